import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { fileStamp } from '../../runtime/index.js';
import { HttpError } from '../errors.js';

/**
 * `GET /api/backup`: the embedded database as a gzipped tar while the bot
 * runs — the file `lekha restore` reads. Admin only and audited before the
 * dump starts: a backup is all the data leaving the system. Database writes
 * wait while the dump is taken (turns go on; the flush lag grows for that
 * long).
 */
export const backupRoute: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/backup',
    {
      config: { role: 'admin', audit: { action: 'backup.read', target: () => 'database' } },
      schema: {
        summary: 'Streams a backup of the embedded database (PGlite) for `lekha restore`',
        description:
          'Only for the embedded database: with DATABASE_URL the answer is 409 BACKUP_UNAVAILABLE, and the Postgres server is backed up with pg_dump.',
        tags: ['operations'],
        response: {
          200: {
            description: 'the backup file',
            content: { 'application/gzip': { schema: Type.Unsafe<Readable>({ type: 'string', format: 'binary' }) } },
          },
        },
      },
    },
    async (_request, reply) => {
      const backup = ctx.deps.backup;
      if (backup === undefined)
        throw new HttpError(
          409,
          'BACKUP_UNAVAILABLE',
          'this bot does not use the embedded database: back up its Postgres server with pg_dump (docs/deploy.md#backups)',
        );
      const dump = await backup.dump();
      const time = fileStamp(new Date(ctx.clock.now()));
      return reply
        .header('content-type', 'application/gzip')
        .header('content-length', String(dump.size))
        .header('content-disposition', `attachment; filename="lekha-backup-${time}.tar.gz"`)
        .header('cache-control', 'no-store')
        .send(Readable.fromWeb(dump.stream() as WebReadableStream<Uint8Array>));
    },
  );
};
