import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stemWord } from '../../../src/chat/index.js';
import type { NewExperiment, ReplyRecord } from '../../../src/ports/index.js';
import {
  AppendWriter,
  type Database,
  ExperimentConflictError,
  ExperimentStoppedError,
  Keyring,
  migrate,
  PostgresExperimentStore,
  PostgresMemberDataStore,
  StorageReplyLedger,
} from '../../../src/storage/index.js';
import type { SuiteDatabase } from './suite-databases.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-01T12:00:00Z');

const newExperiment = (name: string, overrides: Partial<NewExperiment> = {}): NewExperiment => ({
  name,
  unit: 'chat',
  variants: [
    { name: 'control', share: 1 },
    { name: 'short', share: 1, persona: 'lekha', overrides: { replyLength: 'short', styleRules: ['Коротко.'] } },
  ],
  minimumEffect: 0.1,
  scoreWindowMs: 10 * MINUTE,
  ...overrides,
});

const reply = (overrides: Partial<ReplyRecord> & Pick<ReplyRecord, 'chatId' | 'messageId'>): ReplyRecord => ({
  triggerMessageId: overrides.messageId - 1,
  sentAtMs: T0,
  persona: 'lekha@1',
  template: 'lekha-persona/3',
  experimentId: null,
  variant: null,
  styleRules: [],
  text: 'ответ',
  ...overrides,
});

/**
 * Experiments, the reply ledger, and the retention and erasure of bot
 * replies on one kind of database: the SQL is the same on a Postgres
 * server and on embedded PGlite, and so must be the answers.
 */
export function experimentsSuite(label: string, open: () => Promise<SuiteDatabase>): void {
  describe(`experiments on ${label}`, () => {
    let suite: SuiteDatabase;
    let db: Database;
    let store: PostgresExperimentStore;
    let appends: AppendWriter;
    let ledger: StorageReplyLedger;
    const cipher = new Keyring([{ id: 3, key: randomBytes(32) }], { stem: stemWord });

    beforeAll(async () => {
      suite = await open();
      db = suite.db;
      await migrate(db);
      store = new PostgresExperimentStore(db);
      appends = new AppendWriter({ db, intervalMs: 60_000 });
      ledger = new StorageReplyLedger(appends, { cipher });
    });

    afterAll(async () => {
      await appends.close();
      await suite.dispose();
    });

    describe('the store', () => {
      it('creates a running experiment and lists it, newest first, as it was given', async () => {
        const created = await store.create(newExperiment('first'), T0);
        expect(created).toMatchObject({
          name: 'first',
          unit: 'chat',
          status: 'running',
          minimumEffect: 0.1,
          scoreWindowMs: 10 * MINUTE,
          createdAtMs: T0,
          updatedAtMs: T0,
          stoppedAtMs: null,
        });
        expect(created.variants).toEqual(newExperiment('first').variants);
        expect(await store.get(created.id)).toEqual(created);
        expect(await store.list()).toEqual([created]);
        expect(await store.get(created.id + 1000)).toBeNull();
      });

      it('refuses a second live experiment with EXPERIMENT_CONFLICT naming the live one', async () => {
        const [live] = await store.list();
        const refusal = await store.create(newExperiment('second'), T0).catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(ExperimentConflictError);
        expect(refusal).toMatchObject({ code: 'EXPERIMENT_CONFLICT' });
        expect((refusal as Error).message).toContain(`experiment ${live!.id} "first" is running`);
        expect(await store.list()).toHaveLength(1);
      });

      it('pauses and resumes, refusing a new experiment while paused too', async () => {
        const [live] = await store.list();
        const paused = await store.setStatus(live!.id, 'paused', T0 + 1000);
        expect(paused).toMatchObject({ status: 'paused', updatedAtMs: T0 + 1000, stoppedAtMs: null });
        await expect(store.create(newExperiment('second'), T0)).rejects.toMatchObject({ code: 'EXPERIMENT_CONFLICT' });
        expect(await store.setStatus(live!.id, 'running', T0 + 2000)).toMatchObject({ status: 'running' });
      });

      it('answers null for an experiment that does not exist', async () => {
        expect(await store.setStatus(999_999, 'paused', T0)).toBeNull();
      });

      it('stops for good: a stopped experiment is neither resumed, paused nor stopped again', async () => {
        const [live] = await store.list();
        const stopped = await store.setStatus(live!.id, 'stopped', T0 + 3000);
        expect(stopped).toMatchObject({ status: 'stopped', stoppedAtMs: T0 + 3000 });
        for (const status of ['running', 'paused', 'stopped'] as const) {
          const refusal = await store.setStatus(live!.id, status, T0 + 4000).catch((e: unknown) => e);
          expect(refusal).toBeInstanceOf(ExperimentStoppedError);
          expect(refusal).toMatchObject({ code: 'EXPERIMENT_STOPPED' });
        }
        expect(await store.get(live!.id)).toEqual(stopped);
      });

      it('lets exactly one of two experiments created at once go live', async () => {
        const results = await Promise.allSettled([
          store.create(newExperiment('racer-a'), T0 + 5000),
          store.create(newExperiment('racer-b'), T0 + 5000),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((r) => r.status === 'rejected');
        expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'EXPERIMENT_CONFLICT' });
        const live = (await store.list()).filter((e) => e.status !== 'stopped');
        expect(live).toHaveLength(1);
        await store.setStatus(live[0]!.id, 'stopped', T0 + 6000);
      });
    });

    describe('the reply ledger and outcomes', () => {
      let experimentId: number;
      let otherId: number;

      beforeAll(async () => {
        otherId = (await store.create(newExperiment('other'), T0)).id;
        await store.setStatus(otherId, 'stopped', T0);
        experimentId = (await store.create(newExperiment('readout'), T0)).id;
        const arm = (variant: string) => ({ experimentId, variant });
        // Chat -100: three replies of `control`, two of `short`.
        ledger.reply(reply({ chatId: -100, messageId: 11, ...arm('control'), text: 'Привет, "мир" \\ 🙂' }));
        ledger.reply(reply({ chatId: -100, messageId: 12, ...arm('control'), sentAtMs: T0 + MINUTE }));
        ledger.reply(reply({ chatId: -100, messageId: 13, ...arm('control'), sentAtMs: T0 + 30 * MINUTE }));
        ledger.reply(
          reply({
            chatId: -200,
            messageId: 21,
            ...arm('short'),
            styleRules: ['length', 'a "quoted" rule', 'back\\slash'],
          }),
        );
        ledger.reply(reply({ chatId: -200, messageId: 22, ...arm('short'), sentAtMs: T0 + 2 * MINUTE }));
        // The same reply recorded twice (a redelivered update) is stored once.
        ledger.reply(reply({ chatId: -200, messageId: 22, ...arm('short'), sentAtMs: T0 + 2 * MINUTE }));
        // Not in this experiment.
        ledger.reply(reply({ chatId: -300, messageId: 31, experimentId: otherId, variant: 'control' }));
        ledger.reply(reply({ chatId: -300, messageId: 32 }));
        ledger.signal({ chatId: -100, messageId: 11, kind: 'reaction', value: 1, atMs: T0 + MINUTE });
        ledger.signal({ chatId: -100, messageId: 11, kind: 'reply', value: -1, atMs: T0 + 2 * MINUTE });
        // Outside the ten-minute window: does not count.
        ledger.signal({ chatId: -100, messageId: 11, kind: 'rate', value: 1, atMs: T0 + 11 * MINUTE });
        ledger.signal({ chatId: -200, messageId: 21, kind: 'quote', value: 1, atMs: T0 + 9 * MINUTE });
        ledger.signal({ chatId: -200, messageId: 22, kind: 'continued', value: 0.5, atMs: T0 + 3 * MINUTE });
        ledger.signal({ chatId: -300, messageId: 31, kind: 'rate', value: 1, atMs: T0 + MINUTE });
        await appends.flush();
        expect(appends.stats().rejected).toBe(0);
      });

      it('stores each reply once, its text sealed as a message text is, its style rules as an array', async () => {
        const rows = await db.query<{
          message_id: number;
          style_rules: string[];
          text_cipher: Uint8Array;
          text_key_id: number;
        }>(
          `SELECT message_id, style_rules, text_cipher, text_key_id FROM bot_replies WHERE chat_id = ANY($1::bigint[])
            ORDER BY chat_id DESC, message_id`,
          [[-100, -200]],
        );
        expect(rows.rows.map((r) => r.message_id)).toEqual([11, 12, 13, 21, 22]);
        const first = rows.rows[0]!;
        expect(first.text_key_id).toBe(3);
        expect(Buffer.from(first.text_cipher).toString('utf8')).not.toContain('Привет');
        expect(cipher.openText(first.text_cipher, first.text_key_id)).toBe('Привет, "мир" \\ 🙂');
        expect(rows.rows[3]!.style_rules).toEqual(['length', 'a "quoted" rule', 'back\\slash']);
        expect(rows.rows[4]!.style_rules).toEqual([]);
      });

      it("gives one outcome per reply sent before the cutoff, with only its window's signals", async () => {
        const outcomes = await store.outcomes(experimentId, T0 + 20 * MINUTE);
        // By time sent, then by chat.
        expect(outcomes).toEqual([
          { variant: 'short', signals: [{ kind: 'quote', value: 1 }] },
          {
            variant: 'control',
            signals: [
              { kind: 'reaction', value: 1 },
              { kind: 'reply', value: -1 },
            ],
          },
          { variant: 'control', signals: [] },
          { variant: 'short', signals: [{ kind: 'continued', value: 0.5 }] },
        ]);
        expect(await store.outcomes(experimentId, T0 + 31 * MINUTE)).toHaveLength(5);
        expect(await store.outcomes(experimentId, T0)).toEqual([]);
        expect(await store.outcomes(otherId, T0 + 20 * MINUTE)).toEqual([
          { variant: 'control', signals: [{ kind: 'rate', value: 1 }] },
        ]);
      });
    });

    describe('retention and erasure of replies', () => {
      const member = 4242;
      let members: PostgresMemberDataStore;

      beforeAll(async () => {
        members = new PostgresMemberDataStore(db, appends, cipher, { now: () => T0 });
        const write = (chatId: number, messageId: number, userId: number) =>
          db.query(
            `INSERT INTO messages (chat_id, message_id, user_id, sent_at, kind, text_cipher, text_key_id)
             VALUES ($1, $2, $3, $4, 'text', NULL, 0)`,
            [chatId, messageId, userId, new Date(T0)],
          );
        await write(-500, 1, member);
        await write(-500, 3, 7);
        // Replies to the member's message, to another member's, and in the member's private chat.
        ledger.reply(reply({ chatId: -500, messageId: 2, triggerMessageId: 1 }));
        ledger.reply(reply({ chatId: -500, messageId: 4, triggerMessageId: 3 }));
        ledger.reply(reply({ chatId: member, messageId: 9, triggerMessageId: 8 }));
        ledger.signal({ chatId: -500, messageId: 2, kind: 'reaction', value: 1, atMs: T0 });
        ledger.signal({ chatId: -500, messageId: 4, kind: 'reaction', value: 1, atMs: T0 });
        ledger.signal({ chatId: member, messageId: 9, kind: 'rate', value: -1, atMs: T0 });
        await appends.flush();
      });

      const count = async (table: string, chatId: number) =>
        Number(
          (await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE chat_id = $1`, [chatId]))
            .rows[0]!.n,
        );

      it("erases the replies to the member's messages and in their private chat, with their signals, and nothing else", async () => {
        const rows = await members.eraseRows(member, '~pseudonym');
        expect(rows).toMatchObject({ bot_replies: 2, reply_signals: 2, messages: 1 });
        expect(await count('bot_replies', -500)).toBe(1);
        expect(await count('reply_signals', -500)).toBe(1);
        expect(await count('bot_replies', member)).toBe(0);
        expect(await count('reply_signals', member)).toBe(0);
        // Run again (a resumed erasure), it finds nothing left.
        expect(await members.eraseRows(member, '~pseudonym')).toMatchObject({ bot_replies: 0, reply_signals: 0 });
      });

      it('deletes replies older than the cutoff with their signals, in batches, and keeps newer ones', async () => {
        const before = await count('bot_replies', -100);
        expect(before).toBe(3);
        // Replies at T0 and T0+1m go, the one at T0+30m stays; the first batch is cut at one.
        expect(await members.pruneReplies(T0 + 5 * MINUTE, 1)).toBe(1);
        let total = 1;
        for (let n = 1; n > 0; total += n) n = await members.pruneReplies(T0 + 5 * MINUTE, 1000);
        expect(await count('bot_replies', -100)).toBe(1);
        // The signal of reply 11 that came after the cutoff goes with its reply.
        expect(await count('reply_signals', -100)).toBe(0);
        expect(await count('bot_replies', -200)).toBe(0);
        expect(await count('reply_signals', -200)).toBe(0);
        expect(await count('bot_replies', -500)).toBe(0);
        // -100: 11, 12; -200: 21, 22; -300: 31, 32; -500: 4.
        expect(total).toBe(7);
      });
    });
  });
}
