import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { InvalidRequestError, NotFoundError } from '../errors.js';
import { type AnalyticsExportRow, exportColumns } from '../export/export-columns.js';
import { type Column, csvStream, jsonArrayStream } from '../export/export-stream.js';
import { DateTime } from '../schemas/pagination.js';
import { TelegramId } from '../schemas/telegram-id.js';
import { requireChat } from './require-chat.js';

const ExportQuery = Type.Object(
  {
    chat: Type.Optional(TelegramId.chat('one chat; every chat when absent (not for analytics)')),
    format: Type.Enum(['csv', 'json']),
    kind: Type.Enum(['messages', 'members', 'analytics']),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

function rowsStream<T>(rows: AsyncIterable<T>, format: 'csv' | 'json', columns: ReadonlyArray<Column<T>>): Readable {
  return format === 'csv' ? csvStream(rows, columns) : jsonArrayStream(rows);
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/**
 * `GET /api/export`: messages, members or member analytics as CSV or JSON,
 * streamed from the store as the client reads (no table is held in memory).
 * Admin only, and audited (`export.read`) before any row is read: an export
 * is data leaving the system.
 */
export const exportRoute: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory, insights } = ctx.deps;

  app.get(
    '/export',
    {
      config: {
        role: 'admin',
        audit: {
          action: 'export.read',
          target: (request) => {
            const chat = (request.query as { chat?: unknown }).chat;
            return chat === undefined ? 'chats:all' : `chat:${String(chat)}`;
          },
        },
      },
      schema: {
        summary: 'Streams messages, members or analytics as CSV or JSON',
        description:
          'CSV is RFC 4180 with a header line; cells that a spreadsheet would run as formulas (starting with =, +, -, @, tab or CR) are prefixed with an apostrophe.',
        tags: ['export'],
        querystring: ExportQuery,
        response: {
          200: {
            description: 'the export file',
            // The body is a stream (never serialised from an object); the schemas describe the file.
            content: {
              'text/csv': { schema: Type.Unsafe<Readable>({ type: 'string' }) },
              'application/json': { schema: Type.Unsafe<Readable>({ type: 'array', items: {} }) },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { chat: chatId, format, kind, from, to } = request.query;
      request.auditDetails = {
        kind,
        format,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      };
      if (chatId !== undefined) await requireChat(directory, chatId);
      if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) {
        throw new InvalidRequestError('INVALID_RANGE', '`from` is after `to`');
      }

      let body: Readable;
      if (kind === 'messages') {
        body = rowsStream(directory.streamMessages({ chatId, from, to }), format, exportColumns.messages);
      } else if (kind === 'members') {
        body = rowsStream(directory.streamMembers({ chatId }), format, exportColumns.members);
      } else {
        if (chatId === undefined)
          throw new InvalidRequestError('CHAT_REQUIRED', 'analytics are exported one chat at a time: pass chat=<id>');
        const analytics = await insights.allUserAnalytics(chatId);
        if (analytics === undefined)
          throw new NotFoundError('CHAT_STATE_NOT_FOUND', `chat ${chatId} has no bot state yet`);
        const rows: AnalyticsExportRow[] = analytics.value.map((a) => ({ chatId, ...a }));
        body = rowsStream(fromArray(rows), format, exportColumns.analytics);
      }

      const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      const name = `lekha-${kind}-${chatId ?? 'all'}-${day}.${format}`;
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};
