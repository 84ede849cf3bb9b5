import { beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobStore, NewJob } from '../../src/ports/index.js';
import { partitionOf } from '../../src/runtime/index.js';
import type { Database } from '../../src/storage/index.js';

const NOW = Date.UTC(2026, 10, 1, 12);
const LEASE = 60_000;

/** A store to test, emptied before each test, and the database under it if there is one. */
export interface JobStoreUnderTest {
  fresh(clock: { now(): number }): Promise<JobStore>;
  db?: Database;
  dispose(): Promise<void>;
}

function reminder(extra: Partial<NewJob> = {}): NewJob {
  return { kind: 'reminder', chatId: -100, userId: 7, text: 'выключить плиту', dueAtMs: NOW - 1000, ...extra };
}

/** The `JobStore` contract (src/ports/scheduler.ts), for every store that implements it. */
export function jobStoreSuite(
  label: string,
  open: () => Promise<JobStoreUnderTest>,
  options: { database: boolean },
): void {
  describe(`job store on ${label}`, () => {
    let target: JobStoreUnderTest;
    let store: JobStore;
    const clock = { ms: NOW, now: () => clock.ms };

    beforeAll(async () => {
      target = await open();
    });

    afterAll(async () => {
      await target.dispose();
    });

    beforeEach(async () => {
      clock.ms = NOW;
      store = await target.fresh(clock);
    });

    it('adds a job with defaults and reads it back as it was given', async () => {
      const added = await store.add(reminder());
      expect(added).toEqual({
        id: expect.any(Number),
        kind: 'reminder',
        key: null,
        chatId: -100,
        userId: 7,
        text: 'выключить плиту',
        dueAtMs: NOW - 1000,
        status: 'pending',
        attempts: 0,
        maxAttempts: 3,
        schedule: { kind: 'once' },
        missedRuns: 'run-once',
        lastError: null,
        createdAtMs: NOW,
        updatedAtMs: NOW,
      });
      expect(await store.get(added.id)).toEqual(added);
      expect(await store.get(added.id + 1000)).toBeUndefined();
      const cron = await store.add({
        kind: 'plugin:digest:daily',
        key: 'digest',
        dueAtMs: NOW,
        schedule: { kind: 'cron', pattern: '0 9 * * *', timeZone: 'Europe/Moscow' },
        missedRuns: 'skip',
        maxAttempts: 5,
      });
      expect(await store.get(cron.id)).toMatchObject({
        text: '',
        chatId: null,
        schedule: { kind: 'cron', pattern: '0 9 * * *', timeZone: 'Europe/Moscow' },
        missedRuns: 'skip',
        maxAttempts: 5,
      });
      const every = await store.add({ kind: 'tick', dueAtMs: NOW, schedule: { kind: 'every', everyMs: 3_600_000 } });
      expect((await store.get(every.id))?.schedule).toEqual({ kind: 'every', everyMs: 3_600_000 });
    });

    it('claims due pending jobs in due order up to the limit, counting an attempt, and leaves future ones', async () => {
      const late = await store.add(reminder({ dueAtMs: NOW - 5000 }));
      const early = await store.add(reminder({ dueAtMs: NOW - 9000 }));
      const third = await store.add(reminder({ dueAtMs: NOW - 1000 }));
      await store.add(reminder({ dueAtMs: NOW + 1000 }));
      const first = await store.claimDue('a', NOW, LEASE, 2);
      expect(first.inDoubt).toBe(0);
      expect(first.claimed.map((j) => j.id)).toEqual([early.id, late.id]);
      expect(first.claimed[0]).toMatchObject({ status: 'claimed', attempts: 1, owner: 'a', leaseUntilMs: NOW + LEASE });
      const second = await store.claimDue('b', NOW, LEASE, 10);
      expect(second.claimed.map((j) => j.id)).toEqual([third.id]);
      expect((await store.claimDue('b', NOW, LEASE, 10)).claimed).toEqual([]);
    });

    it("claims, within a scope, only jobs of no chat and of chats in the scope's partitions", async () => {
      const chats = [-1001234567890, -1009876543210, 42, 777, -100555];
      for (const chatId of chats) await store.add(reminder({ chatId }));
      const global = await store.add({ kind: 'retention', chatId: null, userId: null, dueAtMs: NOW - 1 });
      const owned = [partitionOf(-1001234567890, 8), partitionOf(42, 8)];
      const claimed = (await store.claimDue('a', NOW, LEASE, 10, { partitions: 8, owned })).claimed;
      const expected = chats.filter((c) => owned.includes(partitionOf(c, 8)));
      expect(claimed.map((j) => j.chatId).sort()).toEqual([...expected, null].sort());
      expect(claimed.map((j) => j.id)).toContain(global.id);
      const rest = (await store.claimDue('b', NOW, LEASE, 10)).claimed;
      expect(rest.map((j) => j.chatId).sort()).toEqual(chats.filter((c) => !expected.includes(c)).sort());
    });

    it('lets only the owner holding the claim move a job', async () => {
      const job = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.startDelivery(job.id, 'b')).toBe(false);
      expect(await store.complete(job.id, 'b', null)).toBe(false);
      expect(await store.fail(job.id, 'b', 'x', null)).toBe(false);
      expect(await store.release(job.id, 'b')).toBe(false);
      expect(await store.startDelivery(job.id, 'a')).toBe(true);
      expect(await store.complete(job.id, 'a', null)).toBe(true);
      expect(await store.get(job.id)).toMatchObject({ status: 'done' });
      expect(await store.complete(job.id, 'a', null)).toBe(false);
    });

    it('hands a claimed job whose lease ran out to another owner, and fences the first owner off', async () => {
      const job = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect((await store.claimDue('b', NOW + LEASE - 1, LEASE, 10)).claimed).toEqual([]);
      const taken = await store.claimDue('b', NOW + LEASE, LEASE, 10);
      expect(taken.claimed).toEqual([expect.objectContaining({ id: job.id, owner: 'b', attempts: 2 })]);
      expect(await store.startDelivery(job.id, 'a')).toBe(false);
      expect(await store.complete(job.id, 'a', null)).toBe(false);
      expect(await store.complete(job.id, 'b', null)).toBe(true);
    });

    it('marks a delivering job whose lease ran out in doubt and never hands it out again', async () => {
      const job = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.startDelivery(job.id, 'a')).toBe(true);
      const later = await store.claimDue('b', NOW + LEASE, LEASE, 10);
      expect(later).toEqual({ claimed: [], inDoubt: 1 });
      const stored = await store.get(job.id);
      expect(stored).toMatchObject({ status: 'in_doubt', attempts: 1 });
      expect(stored?.lastError).toMatch(/may have been delivered/);
      expect(stored?.lastError).not.toContain('плиту');
      expect(await store.claimDue('b', NOW + 10 * LEASE, LEASE, 10)).toEqual({ claimed: [], inDoubt: 0 });
      expect(await store.complete(job.id, 'a', null)).toBe(false);
    });

    it('moves a recurring job to its next due time with its attempts starting again', async () => {
      const job = await store.add({ kind: 'tick', dueAtMs: NOW, schedule: { kind: 'every', everyMs: 60_000 } });
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.complete(job.id, 'a', NOW + 60_000)).toBe(true);
      expect(await store.get(job.id)).toMatchObject({ status: 'pending', dueAtMs: NOW + 60_000, attempts: 0 });
      expect((await store.claimDue('a', NOW + 59_999, LEASE, 10)).claimed).toEqual([]);
      expect((await store.claimDue('a', NOW + 60_000, LEASE, 10)).claimed).toHaveLength(1);
    });

    it('puts a failed run back for a retry keeping its attempts, and dead-letters it with the error', async () => {
      const job = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.fail(job.id, 'a', 'TELEGRAM_SEND_FAILED: 502', NOW + 10_000)).toBe(true);
      expect(await store.get(job.id)).toMatchObject({
        status: 'pending',
        dueAtMs: NOW + 10_000,
        attempts: 1,
        lastError: 'TELEGRAM_SEND_FAILED: 502',
      });
      await store.claimDue('a', NOW + 10_000, LEASE, 10);
      expect(await store.fail(job.id, 'a', 'still down', null)).toBe(true);
      expect(await store.get(job.id)).toMatchObject({ status: 'failed', attempts: 2, lastError: 'still down' });
      expect(await store.claimDue('a', NOW + 100 * LEASE, LEASE, 10)).toEqual({ claimed: [], inDoubt: 0 });
    });

    it("restarts a recurring job's attempts when a failure moves it to its next run", async () => {
      const job = await store.add({ kind: 'tick', dueAtMs: NOW, schedule: { kind: 'every', everyMs: 60_000 } });
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.fail(job.id, 'a', 'boom', NOW + 60_000, true)).toBe(true);
      expect(await store.get(job.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: 'boom' });
    });

    it('marks only a delivering job in doubt on its owner’s word', async () => {
      const job = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.markInDoubt(job.id, 'a', 'JOB_TIMEOUT')).toBe(false);
      await store.startDelivery(job.id, 'a');
      expect(await store.markInDoubt(job.id, 'b', 'JOB_TIMEOUT')).toBe(false);
      expect(await store.markInDoubt(job.id, 'a', 'JOB_TIMEOUT')).toBe(true);
      expect(await store.get(job.id)).toMatchObject({ status: 'in_doubt', lastError: 'JOB_TIMEOUT' });
    });

    it('gives back a claimed job that was not started, undoing the attempt, but not a delivering one', async () => {
      const job = await store.add(reminder());
      const other = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.release(job.id, 'a')).toBe(true);
      expect(await store.get(job.id)).toMatchObject({ status: 'pending', attempts: 0, dueAtMs: NOW - 1000 });
      await store.startDelivery(other.id, 'a');
      expect(await store.release(other.id, 'a')).toBe(false);
      expect((await store.claimDue('b', NOW, LEASE, 10)).claimed.map((j) => j.id)).toEqual([job.id]);
    });

    it("cancels only a pending job, and with a member's id only that member's own", async () => {
      const mine = await store.add(reminder({ userId: 7, dueAtMs: NOW + 60_000 }));
      const theirs = await store.add(reminder({ userId: 8, dueAtMs: NOW + 60_000 }));
      const claimed = await store.add(reminder());
      await store.claimDue('a', NOW, LEASE, 10);
      expect(await store.cancel(theirs.id, 7)).toBe(false);
      expect(await store.cancel(mine.id, 7)).toBe(true);
      expect(await store.cancel(mine.id, 7)).toBe(false);
      expect(await store.cancel(claimed.id)).toBe(false);
      expect(await store.cancel(theirs.id)).toBe(true);
      expect((await store.get(mine.id))?.status).toBe('cancelled');
      expect((await store.get(theirs.id))?.status).toBe('cancelled');
      expect((await store.get(claimed.id))?.status).toBe('claimed');
    });

    it('retries only a failed or in-doubt job, due again with its attempts reset', async () => {
      const failed = await store.add(reminder({ maxAttempts: 1 }));
      const pending = await store.add(reminder({ dueAtMs: NOW + 60_000 }));
      await store.claimDue('a', NOW, LEASE, 10);
      await store.fail(failed.id, 'a', 'boom', null);
      expect(await store.retry(pending.id, NOW)).toBe(false);
      expect(await store.retry(failed.id, NOW + 5)).toBe(true);
      expect(await store.get(failed.id)).toMatchObject({ status: 'pending', attempts: 0, dueAtMs: NOW + 5 });
      expect(await store.retry(failed.id, NOW + 5)).toBe(false);
    });

    it('lists by status, kind, chat and member, by due time, a page after another', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await store.add(reminder({ dueAtMs: NOW + 1000 * (5 - i) }))).id);
      await store.add(reminder({ chatId: -200, userId: 9, dueAtMs: NOW + 500 }));
      await store.add({ kind: 'tick', dueAtMs: NOW + 100, schedule: { kind: 'every', everyMs: 60_000 } });
      const byDue = [...ids].reverse();
      const first = await store.list({ chatId: -100, limit: 2 });
      expect(first.map((j) => j.id)).toEqual(byDue.slice(0, 2));
      const second = await store.list({ chatId: -100, limit: 10, afterId: first[1]?.id as number });
      expect(second.map((j) => j.id)).toEqual(byDue.slice(2));
      expect((await store.list({ userId: 9, limit: 10 })).map((j) => j.chatId)).toEqual([-200]);
      expect((await store.list({ kind: 'tick', limit: 10 })).map((j) => j.kind)).toEqual(['tick']);
      await store.cancel(ids[0] as number);
      expect((await store.list({ status: ['cancelled', 'failed'], limit: 10 })).map((j) => j.id)).toEqual([ids[0]]);
      expect(await store.list({ status: 'pending', limit: 100 })).toHaveLength(6);
    });

    it('counts pending jobs of a chat and of a member, and jobs by status', async () => {
      await store.add(reminder({ userId: 7 }));
      await store.add(reminder({ userId: 7, dueAtMs: NOW + 60_000 }));
      await store.add(reminder({ userId: 8, dueAtMs: NOW + 60_000 }));
      const done = await store.add(reminder({ userId: 7, dueAtMs: NOW - 90_000 }));
      await store.add(reminder({ chatId: -200, userId: 7, dueAtMs: NOW + 60_000 }));
      const { claimed } = await store.claimDue('a', NOW, LEASE, 1);
      expect(claimed[0]?.id).toBe(done.id);
      await store.complete(done.id, 'a', null);
      expect(await store.countPending({ chatId: -100 })).toBe(3);
      expect(await store.countPending({ chatId: -100, userId: 7 })).toBe(2);
      expect(await store.countPending({ chatId: -300 })).toBe(0);
      expect(await store.countByStatus()).toEqual({
        pending: 4,
        claimed: 0,
        delivering: 0,
        done: 1,
        failed: 0,
        cancelled: 0,
        in_doubt: 0,
      });
    });

    it('registers a recurring job once under its key and keeps its next due time on later registrations', async () => {
      const first = await store.ensureRecurring({
        kind: 'plugin:digest:daily',
        key: 'plugin:digest:daily',
        dueAtMs: NOW + 1000,
        schedule: { kind: 'cron', pattern: '0 9 * * *' },
      });
      await store.claimDue('a', NOW + 1000, LEASE, 10);
      await store.complete(first.id, 'a', NOW + 86_400_000);
      const again = await store.ensureRecurring({
        kind: 'plugin:digest:daily',
        key: 'plugin:digest:daily',
        dueAtMs: NOW + 2000,
        schedule: { kind: 'cron', pattern: '0 18 * * *' },
      });
      expect(again).toMatchObject({
        id: first.id,
        dueAtMs: NOW + 86_400_000,
        schedule: { kind: 'cron', pattern: '0 18 * * *' },
      });
      expect(await store.list({ kind: 'plugin:digest:daily', limit: 10 })).toHaveLength(1);
    });

    it('gives owners claiming at once disjoint jobs that together are every due one', async () => {
      const ids = new Set<number>();
      for (let i = 0; i < 200; i++) ids.add((await store.add(reminder({ dueAtMs: NOW - i }))).id);
      const [a, b] = await Promise.all([store.claimDue('a', NOW, LEASE, 150), store.claimDue('b', NOW, LEASE, 150)]);
      const rest = await store.claimDue('c', NOW, LEASE, 200);
      const claimed = [...a.claimed, ...b.claimed, ...rest.claimed].map((j) => j.id);
      expect(claimed).toHaveLength(200);
      expect(new Set(claimed)).toEqual(ids);
    });

    if (!options.database) return;

    it('stores the reminder text as UTF-8 bytes under key id 0 and no text for a job without one', async () => {
      const db = target.db as Database;
      const job = await store.add(reminder({ text: 'позвонить маме 📞' }));
      const none = await store.add({ kind: 'tick', dueAtMs: NOW });
      const rows = await db.query<{ id: number; text_cipher: Uint8Array | null; text_key_id: number }>(
        'SELECT id, text_cipher, text_key_id FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id',
        [[job.id, none.id]],
      );
      expect(
        rows.rows.map((r) => [r.text_key_id, r.text_cipher && Buffer.from(r.text_cipher).toString('utf8')]),
      ).toEqual([
        [0, 'позвонить маме 📞'],
        [0, null],
      ]);
    });
  });
}
