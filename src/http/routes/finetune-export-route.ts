import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FINETUNE_FORMATS, parseExportDate } from '../../chat/index.js';
import type { ApiContext } from '../api-context.js';
import { HttpError, InvalidRequestError } from '../errors.js';
import type { FinetuneFile } from '../ports/finetune-exports.js';

const FinetuneQuery = Type.Object(
  {
    since: Type.String({
      description: 'first day (`YYYY-MM-DD`, UTC) or time (ISO 8601 with offset) of replies exported',
    }),
    until: Type.Optional(Type.String({ description: 'end of the range, excluded; default: now' })),
    minScore: Type.Number({
      minimum: -1,
      maximum: 1,
      default: 0.5,
      description: 'replies scoring below this are not conversation examples',
    }),
    format: Type.Enum([...FINETUNE_FORMATS], { default: 'openai', description: 'the conversation format' }),
    file: Type.Enum(['conversations', 'preferences', 'manifest'], { default: 'conversations' }),
  },
  { additionalProperties: false },
);

const FILE_NAMES: Record<FinetuneFile, string> = {
  conversations: 'conversations.jsonl',
  preferences: 'preferences.jsonl',
  manifest: 'manifest.json',
};

function dateParameter(name: string, value: string): number {
  const ms = parseExportDate(value);
  if (ms === null)
    throw new InvalidRequestError(
      'INVALID_DATE',
      `${name} must be a date (2026-12-01) or an ISO 8601 time with its offset (2026-12-01T08:00:00Z), not "${value}"`,
    );
  return ms;
}

/**
 * `GET /api/export/finetune`: one file of a fine-tune export (the files
 * `lekha export finetune` writes), streamed as it is built. Admin only and
 * audited before any reply is read: the examples are members' words, even
 * pseudonymised.
 */
export const finetuneExportRoute: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/export/finetune',
    {
      config: {
        role: 'admin',
        audit: {
          action: 'export.finetune',
          target: (request) => `finetune:${(request.query as { file?: string }).file ?? 'conversations'}`,
        },
      },
      schema: {
        summary: 'Streams bot replies as fine-tuning data: conversations, preference pairs or the manifest',
        description:
          'Conversations are JSONL in OpenAI chat fine-tuning or ShareGPT format; preferences are JSONL in OpenAI preference (DPO) format; the manifest is JSON. Members appear as pseudonyms, texts are PII-redacted. See docs/personas.md#fine-tuning.',
        tags: ['export'],
        querystring: FinetuneQuery,
        response: {
          200: {
            description: 'the file',
            content: {
              'application/x-ndjson': { schema: Type.Unsafe<Readable>({ type: 'string' }) },
              'application/json': { schema: Type.Unsafe<Readable>({ type: 'object' }) },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { since, until, minScore, format, file } = request.query;
      request.auditDetails = { file, format, minScore, since, ...(until === undefined ? {} : { until }) };
      const sinceMs = dateParameter('since', since);
      const untilMs = until === undefined ? ctx.clock.now() : dateParameter('until', until);
      if (sinceMs >= untilMs) throw new InvalidRequestError('INVALID_RANGE', '`since` must be before `until`');
      const exports = ctx.deps.finetune;
      if (exports === undefined)
        throw new HttpError(
          503,
          'FINETUNE_UNAVAILABLE',
          'fine-tune exports read the database, which this process runs without',
        );
      const lines = exports.file({ sinceMs, untilMs, minScore, format }, file);
      const body = Readable.from(
        (async function* () {
          for await (const line of lines) yield `${line}\n`;
        })(),
      );
      return reply
        .header(
          'content-type',
          file === 'manifest' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        )
        .header('content-disposition', `attachment; filename="${FILE_NAMES[file]}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};
