import type { SuiteDatabase } from './suite-databases.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, runTokenCommand, type TokenRecord, TokenSecret } from '../../../src/http/index.js';
import { setUpAudit, setUpRevokeAudit } from '../../support/set-up-audit.js';
import type { AuditRecord } from '../../../src/ports/index.js';
import { ManualClock } from '../../../src/runtime/index.js';
import {
  AppendWriter,
  type Database,
  InvalidCursorError,
  migrate,
  PostgresAuditLog,
  PostgresChatDirectory,
  PostgresSessionStore,
  PostgresTelegramAdminStore,
  PostgresTokenStore,
  StorageChatArchive,
} from '../../../src/storage/index.js';
import { AdminHarness } from '../../support/admin-harness.js';
import { RecordingDatabase } from '../../support/recording-database.js';

const DAY = Date.UTC(2026, 4, 10, 12, 0, 0);

/**
 * The admin API's stores on the database — tokens, audit log, chat
 * directory — and the chat archive that feeds the directory. Run against a
 * real Postgres server and against PGlite.
 */
export function adminStoresSuite(label: string, open: () => Promise<SuiteDatabase>): void {
  describe(`admin stores on ${label}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ db, dispose } = await open());
      await migrate(db);
    });

    afterAll(async () => {
      await dispose();
    });

    describe('token store', () => {
      it('finds a token by the hash of its secret, lists oldest first and keeps the first revocation time', async () => {
        const store = new PostgresTokenStore(db);
        const secret = TokenSecret.generate();
        const base = { label: 'ops', role: 'operator' as const, createdBy: 'cli', revokedAt: null };
        await store.create(
          { ...base, id: 'aaa111', hash: TokenSecret.hash(secret), createdAt: '2026-05-10T10:00:00.000Z' },
          setUpAudit({ id: 'aaa111', createdAt: '2026-05-10T10:00:00.000Z' } as TokenRecord),
        );
        await store.create(
          {
            ...base,
            id: 'bbb222',
            label: 'later',
            hash: TokenSecret.hash('other'),
            createdAt: '2026-05-10T11:00:00.000Z',
          },
          setUpAudit({ id: 'bbb222', createdAt: '2026-05-10T11:00:00.000Z' } as TokenRecord),
        );
        expect(await store.findByHash(TokenSecret.hash(secret))).toEqual({
          ...base,
          id: 'aaa111',
          hash: TokenSecret.hash(secret),
          createdAt: '2026-05-10T10:00:00.000Z',
        });
        expect(await store.findByHash(TokenSecret.hash('unknown'))).toBeUndefined();
        expect((await store.list()).map((t) => t.id)).toEqual(['aaa111', 'bbb222']);
        expect(await store.revoke('aaa111', '2026-05-11T00:00:00.000Z', setUpRevokeAudit('aaa111'))).toMatchObject({
          id: 'aaa111',
          revokedAt: '2026-05-11T00:00:00.000Z',
        });
        expect(await store.revoke('aaa111', '2026-05-12T00:00:00.000Z', setUpRevokeAudit('aaa111'))).toMatchObject({
          revokedAt: '2026-05-11T00:00:00.000Z',
        });
        expect(await store.revoke('nope', '2026-05-12T00:00:00.000Z', setUpRevokeAudit('nope'))).toBeUndefined();
        const raw = await db.query<{ token_hash: Uint8Array }>(
          `SELECT token_hash FROM admin_tokens WHERE public_id = 'aaa111'`,
        );
        expect(Buffer.from(raw.rows[0]?.token_hash ?? []).toString('utf8')).not.toContain(secret);
      });

      it('makes no token change whose audit row cannot be written: both are one transaction', async () => {
        const store = new PostgresTokenStore(db);
        const record = {
          id: 'ccc333',
          label: 'x',
          role: 'admin' as const,
          hash: TokenSecret.hash('ccc'),
          createdAt: '2026-05-10T12:00:00.000Z',
          createdBy: null,
          revokedAt: null,
        };
        // jsonb refuses the escape of an unpaired surrogate: the audit INSERT fails after the token's.
        const unwritable = { ...setUpAudit(record), details: { label: 'bad \uD800' } };
        await expect(store.create(record, unwritable)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
        expect(await store.findByHash(record.hash)).toBeUndefined();
        await store.create(record, setUpAudit(record));
        await expect(
          store.revoke('ccc333', '2026-05-11T00:00:00.000Z', {
            ...setUpRevokeAudit('ccc333'),
            details: { why: '\uDC00' },
          }),
        ).rejects.toMatchObject({
          code: 'AUDIT_UNAVAILABLE',
        });
        expect((await store.findByHash(record.hash))?.revokedAt).toBeNull();
        const rows = await db.query<{ action: string }>(
          `SELECT action FROM audit_log WHERE target = 'token:ccc333' ORDER BY seq`,
        );
        expect(rows.rows).toEqual([{ action: 'token.create' }]);
      });

      it('serves lekha token create, list and revoke, storing only the hash of the printed token', async () => {
        const store = new PostgresTokenStore(db);
        const out: string[] = [];
        const io = { store, clock: new ManualClock(DAY), out: (t: string) => out.push(t), err: () => undefined };
        expect(await runTokenCommand(['create', '--role', 'viewer', '--label', 'cli viewer'], io)).toBe(0);
        const printed = out.pop() as string;
        const record = await store.findByHash(TokenSecret.hash(printed));
        expect(record).toMatchObject({ role: 'viewer', label: 'cli viewer', createdBy: 'cli', revokedAt: null });
        expect(await runTokenCommand(['list'], io)).toBe(0);
        expect(out.some((line) => line.startsWith(`${record?.id}\tviewer\tactive`))).toBe(true);
        expect(await runTokenCommand(['revoke', record?.id as string], io)).toBe(0);
        expect((await store.findByHash(TokenSecret.hash(printed)))?.revokedAt).toBe(new Date(DAY).toISOString());
      });
    });

    describe('dashboard session store', () => {
      const audit = (action: string, target: string): AuditRecord => ({
        ...setUpRevokeAudit('x'),
        action,
        target,
      });
      const session = (id: string, secret: string) => ({
        id,
        hash: TokenSecret.hash(secret),
        method: 'oidc' as const,
        subject: 'oidc:alice',
        label: 'alice@example.com',
        role: 'admin' as const,
        createdAt: '2026-05-10T10:00:00.000Z',
        lastSeenAt: '2026-05-10T10:00:00.000Z',
        expiresAt: '2026-05-10T22:00:00.000Z',
        revokedAt: null,
        ip: '203.0.113.7',
        userAgent: 'Firefox',
      });

      it('finds a session by the hash of its secret, records activity forward only and keeps the first revocation', async () => {
        const store = new PostgresSessionStore(db);
        const secret = TokenSecret.generate();
        await store.create(session('s1', secret), audit('login', 'session:s1'));
        expect(await store.findByHash(TokenSecret.hash(secret))).toEqual(session('s1', secret));
        await store.touch('s1', '2026-05-10T11:00:00.000Z');
        await store.touch('s1', '2026-05-10T10:30:00.000Z');
        expect((await store.findByHash(TokenSecret.hash(secret)))?.lastSeenAt).toBe('2026-05-10T11:00:00.000Z');
        await store.touch('unknown', '2026-05-10T11:00:00.000Z');
        expect(
          await store.revoke('s1', '2026-05-10T12:00:00.000Z', audit('session.revoke', 'session:s1')),
        ).toMatchObject({
          revokedAt: '2026-05-10T12:00:00.000Z',
        });
        expect(
          await store.revoke('s1', '2026-05-10T13:00:00.000Z', audit('session.revoke', 'session:s1')),
        ).toMatchObject({
          revokedAt: '2026-05-10T12:00:00.000Z',
        });
        expect(
          await store.revoke('nope', '2026-05-10T13:00:00.000Z', audit('session.revoke', 'session:nope')),
        ).toBeUndefined();
        expect((await store.list()).map((s) => s.id)).toContain('s1');
        const stored = await db.query('SELECT * FROM admin_sessions');
        expect(JSON.stringify(stored.rows)).not.toContain(secret);
      });

      it('opens no session whose audit row cannot be written', async () => {
        const store = new PostgresSessionStore(db);
        const unwritable = { ...audit('login', 'session:s2'), details: { bad: '\uD800' } };
        await expect(store.create(session('s2', 'secret-two-0123456789'), unwritable)).rejects.toMatchObject({
          code: 'AUDIT_UNAVAILABLE',
        });
        expect(await store.findByHash(TokenSecret.hash('secret-two-0123456789'))).toBeUndefined();
      });
    });

    describe('Telegram admin store', () => {
      const audit = (action: string, id: number): AuditRecord => ({
        ...setUpRevokeAudit('x'),
        action,
        target: `telegram:${id}`,
      });

      it('grants, changes and removes roles by Telegram user id, each with its audit row in the same transaction', async () => {
        const store = new PostgresTelegramAdminStore(db);
        const grant = {
          telegramUserId: 5_000_000_001,
          role: 'viewer' as const,
          label: 'Ann',
          grantedAt: '2026-05-10T10:00:00.000Z',
          grantedBy: 'bootstrap',
        };
        await store.grant(grant, audit('telegram_admin.grant', grant.telegramUserId));
        await store.grant({ ...grant, role: 'admin' }, audit('telegram_admin.grant', grant.telegramUserId));
        expect(await store.find(grant.telegramUserId)).toEqual({ ...grant, role: 'admin' });
        expect(await store.list()).toEqual([{ ...grant, role: 'admin' }]);
        await expect(
          store.grant(
            { ...grant, role: 'viewer' },
            { ...audit('telegram_admin.grant', 1), details: { bad: '\uD800' } },
          ),
        ).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
        expect((await store.find(grant.telegramUserId))?.role).toBe('admin');
        expect(await store.remove(grant.telegramUserId, audit('telegram_admin.remove', grant.telegramUserId))).toEqual({
          ...grant,
          role: 'admin',
        });
        expect(await store.find(grant.telegramUserId)).toBeUndefined();
        expect(
          await store.remove(grant.telegramUserId, audit('telegram_admin.remove', grant.telegramUserId)),
        ).toBeUndefined();
        const rows = await db.query<{ action: string }>(
          `SELECT action FROM audit_log WHERE target = 'telegram:5000000001' ORDER BY seq`,
        );
        expect(rows.rows.map((r) => r.action)).toEqual([
          'telegram_admin.grant',
          'telegram_admin.grant',
          'telegram_admin.remove',
        ]);
      });
    });

    describe('audit log', () => {
      const record = (i: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
        at: new Date(DAY + i * 1000).toISOString(),
        actor: { tokenId: i % 2 === 0 ? 'even' : 'odd', label: 'a token', role: 'admin' },
        action: i % 3 === 0 ? 'token.create' : 'chat.mode.set',
        target: `chat:${i}`,
        ip: '127.0.0.1',
        userAgent: i === 1 ? 'curl/8' : null,
        outcome: 'ok',
        statusCode: 200,
        details: { i },
        ...over,
      });

      it('numbers rows, lists them newest first page by page and filters by actor, action prefix, target and time', async () => {
        // The token store's tests above wrote their own audit rows.
        await db.query('DELETE FROM audit_log');
        const log = new PostgresAuditLog(db);
        const entries = [];
        for (let i = 1; i <= 12; i++) entries.push(await log.append(record(i)));
        expect(entries[0]).toEqual({ id: entries[0]?.id, ...record(1) });
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await log.query({}, { cursor, limit: 5 });
          seen.push(...page.items.map((e) => e.details.i as number));
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        const ids = async (filter: Parameters<PostgresAuditLog['query']>[0]) =>
          (await log.query(filter, { cursor: undefined, limit: 50 })).items.map((e) => e.details.i);
        expect(await ids({ actor: 'even', action: 'token.*' })).toEqual([12, 6]);
        expect(await ids({ action: 'chat.mode.set', from: new Date(DAY + 10_000).toISOString() })).toEqual([11, 10]);
        expect(await ids({ target: 'chat:4', to: new Date(DAY + 4000).toISOString() })).toEqual([4]);
        expect(await ids({ action: 'chat.*', actor: 'odd', to: new Date(DAY + 5000).toISOString() })).toEqual([5, 1]);
      });

      it('settles a requested row once with its outcome, and leaves completed rows alone', async () => {
        const log = new PostgresAuditLog(db);
        const requested = await log.append(record(100, { outcome: 'requested', statusCode: 0 }));
        await log.settle(requested.id, { outcome: 'error', statusCode: 504, details: { why: 'timeout' } });
        await log.settle(requested.id, { outcome: 'ok', statusCode: 200, details: {} });
        const done = await log.append(record(101));
        await log.settle(done.id, { outcome: 'error', statusCode: 500, details: {} });
        const rows = (await log.query({ target: 'chat:100' }, { cursor: undefined, limit: 5 })).items;
        expect(rows).toEqual([
          expect.objectContaining({ id: requested.id, outcome: 'error', statusCode: 504, details: { why: 'timeout' } }),
        ]);
        expect((await log.query({ target: 'chat:101' }, { cursor: undefined, limit: 5 })).items[0]).toMatchObject({
          outcome: 'ok',
          statusCode: 200,
        });
      });

      it('answers a cursor it did not make with InvalidCursorError', async () => {
        const log = new PostgresAuditLog(db);
        await expect(log.query({}, { cursor: 'not-a-cursor', limit: 5 })).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(
          log.query({}, { cursor: Buffer.from('["x"]').toString('base64url'), limit: 5 }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('chat archive', () => {
      it('writes each table with one statement per batch, newest chat and user fields winning and the latest activity kept', async () => {
        const recording = new RecordingDatabase(db);
        const appends = new AppendWriter({ db: recording, intervalMs: 1000, clock: new ManualClock(DAY) });
        const archive = new StorageChatArchive(appends);
        archive.chat({
          chatId: -501,
          type: 'group',
          title: 'Old',
          username: null,
          mode: 'normal',
          lastActivityMs: DAY + 5000,
        });
        archive.chat({
          chatId: -501,
          type: 'supergroup',
          title: 'New',
          username: 'newchat',
          mode: 'silent',
          lastActivityMs: DAY + 1000,
        });
        archive.user({
          userId: 71,
          username: 'ann',
          firstName: 'Ann',
          lastName: null,
          languageCode: 'en',
          isBot: false,
        });
        archive.user({
          userId: 71,
          username: 'ann2',
          firstName: 'Анна',
          lastName: 'К',
          languageCode: 'ru',
          isBot: false,
        });
        for (let m = 1; m <= 30; m++)
          archive.message({
            chatId: -501,
            messageId: m,
            userId: 70 + (m % 3),
            replyToMessageId: null,
            sentAtMs: DAY + m * 1000,
            text: `m${m}`,
          });
        await appends.flush();
        expect(recording.count('INSERT INTO chats')).toBe(1);
        expect(recording.count('INSERT INTO users')).toBe(1);
        expect(recording.count('WITH inserted AS (INSERT INTO messages')).toBe(1);
        const chat = await db.query<{
          type: string;
          title: string;
          username: string;
          mode: string;
          last_activity_at: Date;
        }>(
          `SELECT type, convert_from(title_cipher, 'UTF8') AS title, convert_from(username_cipher, 'UTF8') AS username,
            mode, last_activity_at FROM chats WHERE id = -501`,
        );
        expect(chat.rows).toEqual([
          {
            type: 'supergroup',
            title: 'New',
            username: 'newchat',
            mode: 'silent',
            last_activity_at: new Date(DAY + 5000),
          },
        ]);
        archive.chat({
          chatId: -501,
          type: 'supergroup',
          title: 'Newer',
          username: 'newchat',
          mode: 'active',
          lastActivityMs: DAY + 9000,
        });
        await appends.flush();
        const later = await db.query<{ title: string; mode: string; last_activity_at: Date }>(
          `SELECT convert_from(title_cipher, 'UTF8') AS title, mode, last_activity_at FROM chats WHERE id = -501`,
        );
        expect(later.rows).toEqual([{ title: 'Newer', mode: 'active', last_activity_at: new Date(DAY + 9000) }]);
        const user = await db.query(
          `SELECT convert_from(username_cipher, 'UTF8') AS username, convert_from(first_name_cipher, 'UTF8') AS first_name,
            convert_from(last_name_cipher, 'UTF8') AS last_name, language_code FROM users WHERE id = 71`,
        );
        expect(user.rows).toEqual([{ username: 'ann2', first_name: 'Анна', last_name: 'К', language_code: 'ru' }]);
        await appends.close();
      });

      it("counts each message once in its author's member row, however often it is recorded", async () => {
        const appends = new AppendWriter({ db, intervalMs: 1000, clock: new ManualClock(DAY) });
        const archive = new StorageChatArchive(appends);
        const say = (m: number, userId: number | null) =>
          archive.message({
            chatId: -502,
            messageId: m,
            userId,
            replyToMessageId: null,
            sentAtMs: DAY + m * 1000,
            text: 'x',
          });
        say(1, 7);
        say(2, 7);
        say(2, 7); // redelivered in the same batch
        say(3, 8);
        say(4, null); // a channel post: no member
        await appends.flush();
        say(1, 7); // redelivered later
        say(5, 7);
        await appends.flush();
        const members = await db.query<{
          user_id: number;
          message_count: number;
          first_seen_at: Date;
          last_seen_at: Date;
        }>(
          'SELECT user_id, message_count, first_seen_at, last_seen_at FROM members WHERE chat_id = -502 ORDER BY user_id',
        );
        expect(members.rows).toEqual([
          { user_id: 7, message_count: 3, first_seen_at: new Date(DAY + 1000), last_seen_at: new Date(DAY + 5000) },
          { user_id: 8, message_count: 1, first_seen_at: new Date(DAY + 3000), last_seen_at: new Date(DAY + 3000) },
        ]);
        expect((await db.query('SELECT 1 FROM messages WHERE chat_id = -502')).rowCount).toBe(5);
        await appends.close();
      });
    });

    describe('chat directory', () => {
      const clock = new ManualClock(DAY);
      let directory: PostgresChatDirectory;
      let appends: AppendWriter;

      beforeAll(async () => {
        directory = new PostgresChatDirectory(db, { clock, exportBatchRows: 3 });
        appends = new AppendWriter({ db, intervalMs: 1000, clock });
        const archive = new StorageChatArchive(appends);
        const chats: Array<[number, string, number]> = [
          [-1001, 'Ёжики и котики', 4],
          [-1002, 'Dev chat', 3],
          [-1003, 'Football', 2],
          [-1004, 'Quiet 100% chat', 1],
        ];
        for (const [chatId, title, minutes] of chats) {
          archive.chat({
            chatId,
            type: 'supergroup',
            title,
            username: null,
            mode: 'normal',
            lastActivityMs: DAY - minutes * 60_000,
          });
        }
        archive.chat({
          chatId: -1005,
          type: 'group',
          title: 'Same time A',
          username: null,
          mode: 'active',
          lastActivityMs: DAY - 60_000,
        });
        archive.user({
          userId: 1,
          username: 'masha',
          firstName: 'Маша',
          lastName: null,
          languageCode: 'ru',
          isBot: false,
        });
        archive.user({
          userId: 2,
          username: 'john',
          firstName: 'John',
          lastName: 'Smith',
          languageCode: 'en',
          isBot: false,
        });
        archive.user({
          userId: 3,
          username: null,
          firstName: 'Quote "Q", Esq.',
          lastName: null,
          languageCode: null,
          isBot: false,
        });
        const lines: Array<[number, number, string]> = [
          [1, -86_400_000 - 1000, 'Вчерашнее сообщение про кошку'],
          [1, -3_600_000, 'Мои кошки опять бегали всю ночь'],
          [2, -3_000_000, 'The dogs were running around the yard'],
          [2, -2_000_000, 'I run every morning, "no excuses"'],
          [3, -1_000_000, '=SUM(A1:A9), then\na new line'],
          [1, -500_000, 'Кошка спит. Running late'],
        ];
        lines.forEach(([userId, offset, text], i) => {
          archive.message({
            chatId: -1001,
            messageId: i + 1,
            userId,
            replyToMessageId: null,
            sentAtMs: DAY + offset,
            text,
          });
        });
        archive.message({
          chatId: -1002,
          messageId: 1,
          userId: 2,
          replyToMessageId: null,
          sentAtMs: DAY - 10_000,
          text: 'кошки в другом чате',
        });
        await appends.flush();
      });

      afterAll(async () => {
        await appends.close();
      });

      it('lists chats most recently active first, page by page without repeats, with members and messages today', async () => {
        const ids: number[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await directory.listChats({ query: undefined, cursor, limit: 2 });
          ids.push(...page.items.filter((c) => c.id <= -1001 && c.id >= -1005).map((c) => c.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor !== undefined);
        expect(pages).toBeGreaterThanOrEqual(3);
        expect(ids).toEqual([-1005, -1004, -1003, -1002, -1001]);
        expect(await directory.getChat(-1001)).toEqual({
          id: -1001,
          title: 'Ёжики и котики',
          type: 'supergroup',
          mode: 'normal',
          members: 3,
          messagesToday: 5,
          lastActivityAt: new Date(DAY - 240_000).toISOString(),
        });
        expect(await directory.getChat(-9)).toBeUndefined();
      });

      it('filters chats by title case-insensitively (ё as е, LIKE wildcards taken literally) or by exact id', async () => {
        const titles = async (query: string) =>
          (await directory.listChats({ query, cursor: undefined, limit: 50 })).items.map((c) => c.title);
        expect(await titles('ЕЖИКИ')).toEqual(['Ёжики и котики']);
        expect(await titles('dev')).toEqual(['Dev chat']);
        expect(await titles('100%')).toEqual(['Quiet 100% chat']);
        expect(await titles('%')).toEqual(['Quiet 100% chat']);
        expect(await titles('-1003')).toEqual(['Football']);
      });

      it('lists members most active first with their names, page by page', async () => {
        const first = await directory.listMembers(-1001, { query: undefined, cursor: undefined, limit: 2 });
        expect(first.items.map((m) => [m.userId, m.displayName, m.messages])).toEqual([
          [1, 'Маша', 3],
          [2, 'John Smith', 2],
        ]);
        const second = await directory.listMembers(-1001, {
          query: undefined,
          cursor: first.nextCursor ?? undefined,
          limit: 2,
        });
        expect(second).toEqual({ items: [expect.objectContaining({ userId: 3, messages: 1 })], nextCursor: null });
        expect(
          (await directory.listMembers(-1001, { query: 'МАША', cursor: undefined, limit: 5 })).items.map(
            (m) => m.userId,
          ),
        ).toEqual([1]);
        expect(
          (await directory.listMembers(-1001, { query: 'smi', cursor: undefined, limit: 5 })).items.map(
            (m) => m.userId,
          ),
        ).toEqual([2]);
        expect(await directory.getMember(-1001, 2)).toMatchObject({
          username: 'john',
          messages: 2,
          lastSeenAt: new Date(DAY - 2_000_000).toISOString(),
        });
      });

      const search = (
        q: string | undefined,
        extra: { from?: string; to?: string; userId?: number; limit?: number; cursor?: string } = {},
      ) =>
        directory.searchMessages(-1001, {
          q,
          from: extra.from,
          to: extra.to,
          userId: extra.userId,
          cursor: extra.cursor,
          limit: extra.limit ?? 50,
        });

      it('finds Russian messages by any form of a word, within the one chat, newest first', async () => {
        expect((await search('кошки')).items.map((m) => m.messageId)).toEqual([6, 2, 1]);
        expect((await search('кошкой бегать')).items.map((m) => m.messageId)).toEqual([2]);
      });

      it('finds English messages by any form of a word, and supports quoted phrases and exclusions', async () => {
        expect((await search('runs')).items.map((m) => m.messageId)).toEqual([6, 4, 3]);
        expect((await search('"no excuses"')).items.map((m) => m.messageId)).toEqual([4]);
        expect((await search('running -dogs')).items.map((m) => m.messageId)).toEqual([6, 4]);
      });

      it('filters by author and time and pages through results', async () => {
        expect(
          (await search(undefined, { userId: 1, from: new Date(DAY - 86_400_000).toISOString() })).items.map(
            (m) => m.messageId,
          ),
        ).toEqual([6, 2]);
        expect(
          (await search('кошка', { to: new Date(DAY - 3_600_000).toISOString() })).items.map((m) => m.messageId),
        ).toEqual([2, 1]);
        const first = await search(undefined, { limit: 4 });
        const second = await search(undefined, { limit: 4, cursor: first.nextCursor ?? '' });
        expect([...first.items, ...second.items].map((m) => m.messageId)).toEqual([6, 5, 4, 3, 2, 1]);
        expect(second.nextCursor).toBeNull();
        expect(first.items[0]).toEqual({
          chatId: -1001,
          messageId: 6,
          userId: 1,
          displayName: 'Маша',
          date: new Date(DAY - 500_000).toISOString(),
          text: 'Кошка спит. Running late',
          replyToMessageId: null,
        });
        await expect(search(undefined, { cursor: 'garbage!' })).rejects.toBeInstanceOf(InvalidCursorError);
      });

      it('streams every message and member of an export in batches, in chat and date order', async () => {
        const recording = new RecordingDatabase(db);
        const streaming = new PostgresChatDirectory(recording, { exportBatchRows: 3 });
        const messages = [];
        for await (const m of streaming.streamMessages({ chatId: -1001 })) messages.push(m.messageId);
        expect(messages).toEqual([1, 2, 3, 4, 5, 6]);
        expect(recording.count('SELECT')).toBe(3); // two full batches, then an empty one
        const all = [];
        for await (const m of streaming.streamMessages({
          chatId: undefined,
          from: new Date(DAY - 3_600_000).toISOString(),
        }))
          all.push([m.chatId, m.messageId]);
        expect(all.filter(([chatId]) => chatId === -1001 || chatId === -1002)).toEqual([
          [-1002, 1],
          [-1001, 2],
          [-1001, 3],
          [-1001, 4],
          [-1001, 5],
          [-1001, 6],
        ]);
        const members = [];
        for await (const m of streaming.streamMembers({ chatId: -1001 }))
          members.push([m.chatId, m.userId, m.messages]);
        expect(members).toEqual([
          [-1001, 1, 3],
          [-1001, 2, 2],
          [-1001, 3, 1],
        ]);
      });

      it('serves the export route as CSV with quoting and formula neutralising, straight from the database', async () => {
        const h = await AdminHarness.create({ clock, http: { directory } });
        let app: HttpApp | undefined;
        try {
          app = await h.app();
          const res = await h.request(app, 'GET', '/api/export?chat=-1001&format=csv&kind=messages', { role: 'admin' });
          expect(res.statusCode).toBe(200);
          const lines = res.body.split('\n');
          expect(lines[0]).toBe('chat_id,message_id,date,user_id,display_name,reply_to_message_id,text');
          expect(res.body).toContain(
            `-1001,4,${new Date(DAY - 2_000_000).toISOString()},2,John Smith,,"I run every morning, ""no excuses"""`,
          );
          expect(res.body).toContain(
            `-1001,5,${new Date(DAY - 1_000_000).toISOString()},3,"Quote ""Q"", Esq.",,"'=SUM(A1:A9), then\na new line"`,
          );
          const members = await h.request(
            app,
            'GET',
            '/api/chats/-1001/messages?q=%D0%BA%D0%BE%D1%88%D0%BA%D0%B0&limit=2',
            { role: 'viewer' },
          );
          expect(members.statusCode).toBe(200);
          const page = members.json() as { items: Array<{ messageId: number }>; nextCursor: string };
          expect(page.items.map((m) => m.messageId)).toEqual([6, 2]);
          const bad = await h.request(app, 'GET', '/api/chats/-1001/messages?cursor=AAAA', { role: 'viewer' });
          expect(bad.statusCode).toBe(400);
          expect(bad.json()).toMatchObject({ code: 'INVALID_CURSOR' });
        } finally {
          await app?.close();
          await h.close();
        }
      });
    });
  });
}
