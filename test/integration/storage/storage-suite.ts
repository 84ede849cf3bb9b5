import type { SuiteDatabase } from './suite-databases.js';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorQuarantinedError, Codec, MetricsRegistry, SystemClock } from '../../../src/runtime/index.js';
import {
  AppendWriter,
  auditLogTable,
  type Database,
  type MessageRow,
  type Migration,
  messagesTable,
  migrate,
  migrations,
  PostgresSnapshotStore,
  SnapshotFormat,
} from '../../../src/storage/index.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import type { CounterState } from '../../support/counter-actor.js';
import { parseCounterState, startCounterRuntime } from '../../support/counter-runtime.js';
import { RecordingDatabase } from '../../support/recording-database.js';

const TABLES = [
  'admin_sessions',
  'admin_tokens',
  'audit_log',
  'bot_replies',
  'chats',
  'cluster_members',
  'cluster_secrets',
  'dead_letters',
  'encryption_keys',
  'experiments',
  'jobs',
  'members',
  'memories',
  'messages',
  'partition_leases',
  'personas',
  'plugin_config',
  'privacy_erasures',
  'reply_signals',
  'schema_migrations',
  'snapshot_hot_stale',
  'snapshots',
  'telegram_admins',
  'users',
];

const INDEXES = [
  'snapshots_unfinished',
  'chats_by_activity',
  'users_by_username_digest',
  'users_name_search',
  'chats_title_search',
  'members_by_user',
  'members_by_chat_activity',
  'messages_by_chat_date',
  'messages_by_user',
  'messages_by_date',
  'memories_by_chat_date',
  'jobs_due',
  'jobs_leased',
  'jobs_by_chat',
  'jobs_by_user',
  'jobs_attention',
  'jobs_by_key',
  'audit_log_by_date',
  'audit_log_by_actor',
  'messages_search',
  'admin_tokens_by_public_id',
  'audit_log_by_seq',
  'audit_log_by_target',
  'memories_by_message',
  'experiments_one_live',
  'bot_replies_by_experiment',
  'bot_replies_by_trigger',
  'bot_replies_by_date',
  'reply_signals_by_reply',
  'reply_signals_by_date',
];

/**
 * The storage guarantees that hold for any database behind the `Database`
 * port. Run against a real Postgres server and against PGlite.
 */
export function storageSuite(label: string, open: () => Promise<SuiteDatabase>): void {
  describe(`storage on ${label}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ db, dispose } = await open());
    });

    afterAll(async () => {
      await dispose();
    });

    describe('migrations', () => {
      it('create every table and index of the schema and record each migration', async () => {
        const report = await migrate(db);
        expect(report).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], version: 14 });
        const tables = await db.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES);
        const indexes = await db.query<{ indexname: string }>(
          `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`,
        );
        expect(indexes.rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(INDEXES));
        const recorded = await db.query<{ version: number; name: string }>(
          'SELECT version, name FROM schema_migrations',
        );
        expect(recorded.rows).toEqual([
          { version: 1, name: 'initial schema' },
          { version: 2, name: 'admin api: message search, token ids, audit details' },
          { version: 3, name: 'long-term memory: kinds, feedback targets, revisions' },
          { version: 4, name: 'dead letters: updates of quarantined chats' },
          { version: 5, name: 'audit rows recorded before the change they describe' },
          { version: 6, name: 'durable jobs replace the unused reminders table' },
          { version: 7, name: "operators' plugin choices" },
          { version: 8, name: 'encryption at rest: sealed names and titles, blind indexes, key registry' },
          { version: 9, name: 'privacy: erasures that resume after a crash' },
          { version: 10, name: 'dashboard login sessions and Telegram admins' },
          { version: 11, name: 'experiments, bot replies and their signals' },
          { version: 12, name: 'personas defined from the dashboard' },
          { version: 13, name: 'cluster members and partition leases' },
          { version: 14, name: 'snapshots marked unfinished: replies a restart goes on with' },
        ]);
      });

      it('apply nothing when run again', async () => {
        expect(await migrate(db)).toEqual({ applied: [], version: 14 });
        expect((await db.query('SELECT 1 FROM schema_migrations')).rowCount).toBe(migrations.length);
      });

      it('roll back a failing migration entirely and apply a fixed one later', async () => {
        const next = (migrations.at(-1) as Migration).version + 1;
        const failing: Migration = {
          version: next,
          name: 'extra',
          statements: ['CREATE TABLE extra (id int)', 'SELEC broken'],
        };
        await expect(migrate(db, { migrations: [...migrations, failing] })).rejects.toThrow();
        const extra = await db.query(
          `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'extra'`,
        );
        expect(extra.rowCount).toBe(0);
        const fixed: Migration = { version: next, name: 'extra', statements: ['CREATE TABLE extra (id int)'] };
        expect(await migrate(db, { migrations: [...migrations, fixed] })).toEqual({ applied: [next], version: next });
        await db.query('DROP TABLE extra');
        await db.query('DELETE FROM schema_migrations WHERE version = $1', [next]);
      });

      it('refuse to continue when an applied migration was edited', async () => {
        const edited: Migration = {
          ...(migrations[0] as Migration),
          statements: ['CREATE TABLE something_else (id int)'],
        };
        await expect(migrate(db, { migrations: [edited] })).rejects.toMatchObject({
          code: 'MIGRATION_MISMATCH',
          retryable: false,
        });
      });
    });

    describe('snapshots table', () => {
      it('never replaces a snapshot with an older or equal sequence, whatever order the writes come in', async () => {
        const store = new PostgresSnapshotStore(db);
        const write = fc.record({
          key: fc.constantFrom('p', 'q', 'r'),
          seq: fc.integer({ min: 1, max: 50 }),
          tag: fc.nat(1000),
        });
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.array(write, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
            async (batches) => {
              const run = randomUUID().slice(0, 8);
              const newest = new Map<string, { seq: number; tag: number }>();
              for (const batch of batches) {
                const distinct = new Map(batch.map((w) => [w.key, w])); // one record per key per batch, as the writer sends
                await store.write(
                  [...distinct.values()].map((w) => ({
                    key: `${run}${w.key}`,
                    version: 1,
                    seq: w.seq,
                    bytes: Uint8Array.of(w.tag % 256, w.tag >> 8),
                  })),
                );
                for (const w of distinct.values()) {
                  const seen = newest.get(w.key);
                  if (seen === undefined || seen.seq < w.seq) newest.set(w.key, w);
                }
              }
              for (const [key, w] of newest) {
                const stored = await store.read(`${run}${key}`);
                expect(stored?.seq).toBe(w.seq);
                expect([...(stored?.bytes ?? [])]).toEqual([w.tag % 256, w.tag >> 8]);
              }
            },
          ),
          { numRuns: 15 },
        );
      });

      it('lists the keys whose newest snapshot was written unfinished, by prefix taken literally', async () => {
        const store = new PostgresSnapshotStore(db);
        const record = (key: string, seq: number, unfinished?: boolean) => ({
          key,
          version: 1,
          seq,
          bytes: Uint8Array.of(seq),
          ...(unfinished === undefined ? {} : { unfinished }),
        });
        await store.write([
          record('uf:a', 1, true),
          record('uf:b', 1, true),
          record('uf:c', 1, false),
          record('uf:d', 1),
          record('ug:a', 1, true),
          record('u%:a', 1, true),
        ]);
        expect(await store.unfinishedKeys('uf:')).toEqual(['uf:a', 'uf:b']);
        // A newer record clears the mark or sets it; an older one changes nothing.
        await store.write([record('uf:a', 2, false), record('uf:c', 2, true), record('uf:b', 0, false)]);
        expect(await store.unfinishedKeys('uf:')).toEqual(['uf:b', 'uf:c']);
        // Wildcards in a prefix are characters like any other.
        expect(await store.unfinishedKeys('u%:')).toEqual(['u%:a']);
        expect(await store.unfinishedKeys('nothing:')).toEqual([]);
      });

      it('writes many snapshots with one statement per batch', async () => {
        const recording = new RecordingDatabase(db);
        const store = new PostgresSnapshotStore(recording, { batchSize: 400 });
        const runtime = await startCounterRuntime({ durable: store });
        const keys = Array.from({ length: 1000 }, (_, i) => `batch-${i}`);
        keys.forEach((key, i) => runtime.add(key, i));
        await Promise.all(keys.map((key) => runtime.seen(key))); // every actor loaded and changed
        await runtime.writeBehind.flush();
        expect(recording.count('INSERT INTO snapshots')).toBe(3);
        const count = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM snapshots WHERE key LIKE 'batch-%'`,
        );
        expect(count.rows[0]?.n).toBe(1000);
        await runtime.stop();
      });
    });

    describe('write-behind with a supervisor', () => {
      it('persists every dirty actor on graceful shutdown: a new runtime sees every counter', async () => {
        const store = new PostgresSnapshotStore(db);
        const sent = new Map<string, number[]>();
        const first = await startCounterRuntime({ durable: store, intervalMs: 3_600_000 }); // no periodic flush: shutdown must do it
        for (let n = 0; n < 2000; n++) {
          const key = `g-${(n * 7919) % 40}`;
          first.add(key, n);
          sent.set(key, [...(sent.get(key) ?? []), n]);
        }
        const stopped = await first.stop();
        expect(stopped.shutdown.persisted).toBe(40);
        expect(stopped.unwritten).toBe(0);

        const second = await startCounterRuntime({ durable: store });
        for (const [key, ns] of sent) expect(await second.seen(key)).toEqual(ns);
        await second.stop();
      });

      it('quarantines a chat whose snapshot bytes are corrupt, with a clear log line, and leaves other chats alone', async () => {
        const store = new PostgresSnapshotStore(db);
        const first = await startCounterRuntime({ durable: store });
        for (const key of ['c-1', 'c-2', 'c-3']) first.add(key, 1, 2);
        await first.stop();
        await db.query(`UPDATE snapshots SET bytes = '\\xc1ffff'::bytea WHERE key = 'c-2'`);

        const logger = new CapturingLogger();
        const second = await startCounterRuntime({ durable: store, logger });
        second.add('c-2', 3);
        await expect.poll(() => second.supervisor.stats().quarantined.length).toBe(1);
        expect(second.supervisor.stats().quarantined[0]).toMatchObject({
          key: 'c-2',
          reason: expect.stringContaining('SNAPSHOT_CORRUPT'),
        });
        expect(() => second.add('c-2', 4)).toThrow(ActorQuarantinedError);
        expect(logger.lines).toContainEqual(
          expect.objectContaining({
            level: 'error',
            msg: 'actor state cannot be loaded; quarantining the key',
            obj: expect.objectContaining({ key: 'c-2' }),
          }),
        );
        expect(await second.seen('c-1')).toEqual([1, 2]);
        second.add('c-3', 3);
        expect(await second.seen('c-3')).toEqual([1, 2, 3]);
        await second.stop();
        const kept = await store.read('c-2');
        expect([...(kept?.bytes ?? [])]).toEqual([0xc1, 0xff, 0xff]); // nothing was reset or overwritten
      });

      it('quarantines a chat whose snapshot comes from a newer build, keeping the snapshot', async () => {
        const store = new PostgresSnapshotStore(db);
        const first = await startCounterRuntime({ durable: store });
        first.add('v-1', 5);
        await first.stop();
        await db.query(`UPDATE snapshots SET schema_version = 99 WHERE key = 'v-1'`);
        const second = await startCounterRuntime({ durable: store });
        second.add('v-1', 6);
        await expect.poll(() => second.supervisor.stats().quarantined[0]?.reason).toContain('SNAPSHOT_VERSION_UNKNOWN');
        await second.stop();
        expect((await store.read('v-1'))?.version).toBe(99);
      });

      it('upgrades a snapshot of an older schema version and stores it back in the current one', async () => {
        const store = new PostgresSnapshotStore(db);
        const codec = new Codec();
        await store.write([{ key: 'u-1', version: 1, seq: 1, bytes: codec.encode({ total: 3 }) }]);
        const v2 = new SnapshotFormat<CounterState>({
          version: 2,
          upgrades: { 1: (old) => ({ seen: Array.from({ length: (old as { total: number }).total }, (_, i) => i) }) },
          parse: parseCounterState,
        });
        const runtime = await startCounterRuntime({ durable: store, format: v2 });
        runtime.add('u-1', 9);
        expect(await runtime.seen('u-1')).toEqual([0, 1, 2, 9]);
        await runtime.stop();
        expect((await store.read('u-1'))?.version).toBe(2);
      });
    });

    describe('append writer', () => {
      function message(chatId: number, messageId: number, text: string | null): MessageRow {
        return {
          chatId,
          messageId,
          userId: 1000 + (messageId % 3),
          replyToMessageId: messageId > 1 ? messageId - 1 : null,
          sentAt: new Date(Date.UTC(2024, 0, 1, 12, 0, messageId)),
          kind: 'text',
          textCipher: text === null ? null : new TextEncoder().encode(text),
          textKeyId: 0,
        };
      }

      function writer(target: Database, logger?: CapturingLogger, intervalMs = 3_600_000): AppendWriter {
        return new AppendWriter({
          db: target,
          intervalMs,
          clock: new SystemClock(),
          metrics: new MetricsRegistry(),
          ...(logger === undefined ? {} : { logger }),
        });
      }

      it('writes a batch of messages with one INSERT and reads them back intact', async () => {
        const recording = new RecordingDatabase(db);
        const appends = writer(recording);
        for (let i = 1; i <= 300; i++)
          appends.append(messagesTable, message(-1001, i, i % 10 === 0 ? null : `привет ${i} 👋`));
        await appends.flush();
        expect(recording.count('INSERT INTO messages')).toBe(1);
        const rows = await db.query<{
          message_id: number;
          user_id: number;
          sent_at: Date;
          text_cipher: Uint8Array | null;
          reply_to_message_id: number | null;
        }>(
          'SELECT message_id, user_id, sent_at, text_cipher, reply_to_message_id FROM messages WHERE chat_id = $1 ORDER BY sent_at',
          [-1001],
        );
        expect(rows.rowCount).toBe(300);
        const seventh = rows.rows[6];
        expect(seventh?.message_id).toBe(7);
        expect(seventh?.reply_to_message_id).toBe(6);
        expect(seventh?.sent_at.toISOString()).toBe('2024-01-01T12:00:07.000Z');
        expect(new TextDecoder().decode(seventh?.text_cipher ?? new Uint8Array())).toBe('привет 7 👋');
        expect(rows.rows[9]?.text_cipher).toBeNull();
        await appends.close();
      });

      it('stores a redelivered message once', async () => {
        const appends = writer(db);
        appends.append(messagesTable, message(-1002, 1, 'one'));
        await appends.flush();
        appends.append(messagesTable, message(-1002, 1, 'one'));
        appends.append(messagesTable, message(-1002, 2, 'two'));
        await appends.flush();
        expect((await db.query('SELECT 1 FROM messages WHERE chat_id = -1002')).rowCount).toBe(2);
        await appends.close();
      });

      it('drops only the rows Postgres refuses, logs them without their content, and writes the rest of the batch', async () => {
        const logger = new CapturingLogger();
        const appends = writer(db, logger);
        for (let i = 1; i <= 20; i++) {
          const row = message(-1003, i, `secret ${i}`);
          appends.append(messagesTable, i === 13 ? { ...row, kind: null as unknown as string } : row);
        }
        await appends.flush();
        expect((await db.query('SELECT 1 FROM messages WHERE chat_id = -1003')).rowCount).toBe(19);
        expect(appends.stats()).toMatchObject({ rejected: 1, queued: 0 });
        const refused = logger.lines.filter((l) => l.msg.includes('refused a row'));
        expect(refused).toHaveLength(1);
        expect(JSON.stringify(refused[0]?.obj)).not.toContain('secret');
        await appends.close();
      });

      it('writes audit rows with their details as JSON', async () => {
        const appends = writer(db);
        const id = randomUUID();
        appends.append(auditLogTable, {
          id,
          at: new Date('2024-05-01T10:00:00Z'),
          actor: 'token:ops',
          role: 'admin',
          action: 'chat.mode.set',
          target: 'chat:-100',
          details: { from: 'normal', to: 'quiet', note: 'кавычки " и \\ тоже' },
          ip: '127.0.0.1',
        });
        await appends.flush();
        const row = await db.query<{ details: unknown; actor: string }>(
          'SELECT details, actor FROM audit_log WHERE id = $1',
          [id],
        );
        expect(row.rows[0]).toEqual({
          actor: 'token:ops',
          details: { from: 'normal', to: 'quiet', note: 'кавычки " и \\ тоже' },
        });
        await appends.close();
      });

      it('writes on its own every interval and resolves afterFlush once the rows appended before it are written', async () => {
        const appends = writer(db, undefined, 20);
        appends.start();
        appends.append(messagesTable, message(-1004, 1, 'x'));
        await appends.afterFlush();
        expect((await db.query('SELECT 1 FROM messages WHERE chat_id = -1004')).rowCount).toBe(1);
        await appends.close();
      });
    });
  });
}
