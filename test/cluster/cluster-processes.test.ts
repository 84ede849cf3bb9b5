/*
 * Cluster mode as operators run it: three `lekha start` processes from the
 * built CLI sharing one deployment (Postgres schema, Redis prefix, Bot API
 * and Groq emulators), 16 partitions, 2 s leases. Each scenario drives
 * steady traffic over many chats while a member crashes, stalls, restarts,
 * joins or leaves, then checks from outside that every update was processed
 * exactly once in its chat's order, no reply was sent twice, and the chat
 * states equal those of one process given the same input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRun,
  ClusterHarness,
  compareRuns,
  metricSum,
  referenceRun,
  type RunOutcome,
  trafficScript,
  violations,
  waitFor,
} from '../support/cluster-harness.js';

const script = trafficScript({
  groups: 12,
  membersPerGroup: 6,
  privates: 4,
  messagesPerGroup: 30,
  messagesPerPrivate: 5,
  triggerEvery: 6,
});
/** Messages a second: the script lasts about 10 s, long enough for a failover to happen under it. */
const RATE = 40;
const SETTLE_MS = 30_000;
const DRAIN_MS = 60_000;
const opened: ClusterHarness[] = [];
/**
 * The single-process run of the script, started once and awaited where
 * needed: it runs beside the first scenario instead of before it.
 */
let referenceRunning: Promise<RunOutcome>;

beforeAll(() => {
  referenceRunning = referenceRun('cl_ref', script, RATE);
  referenceRunning.catch(() => undefined); // reported where it is awaited
});

async function reference(): Promise<RunOutcome> {
  const outcome = await referenceRunning;
  expect(violations(outcome.check), 'the single-process reference run').toEqual([]);
  return outcome;
}

afterAll(async () => {
  for (const harness of opened) await harness.close();
});

interface Scene {
  harness: ClusterHarness;
  /** Resolves once this fraction of the script has been injected. */
  reached(fraction: number): Promise<void>;
}

/**
 * Starts `members` (the first alone, so one process makes the schema, then
 * the rest together), runs the script at `rate` while `during` acts, waits
 * for the survivors to settle and drain, stops them, and checks the run.
 */
async function scenario(
  label: string,
  during: (scene: Scene) => Promise<void>,
  options: { members?: string[]; rate?: number } = {},
): Promise<{ harness: ClusterHarness; run: RunOutcome }> {
  const harness = await ClusterHarness.open({ label, cluster: true, partitions: 16, leaseMs: 2000, heartbeatMs: 300 });
  opened.push(harness);
  const [first, ...rest] = options.members ?? ['m1', 'm2', 'm3'];
  await harness.cluster.start(first as string);
  await Promise.all(rest.map((id) => harness.cluster.start(id)));
  await harness.cluster.settled(SETTLE_MS);
  const traffic = harness.traffic(script);
  const injecting = traffic.run(options.rate ?? RATE);
  const reached = (fraction: number): Promise<void> =>
    waitFor(
      `${Math.round(fraction * 100)}% of the traffic`,
      () => traffic.injected.length >= script.length * fraction,
      60_000,
    );
  try {
    await during({ harness, reached });
  } finally {
    await injecting;
  }
  await harness.cluster.settled(SETTLE_MS);
  await harness.drained(DRAIN_MS);
  const run = await harness.finish(traffic.injected);
  expect(run.hungOnStop, 'members that did not exit after SIGTERM').toEqual([]);
  expect(violations(run.check), harness.output()).toEqual([]);
  expect(run.check.processed).toBe(script.length);
  expect(compareRuns(await reference(), run), harness.output()).toEqual([]);
  return { harness, run };
}

/** The partitions `id` holds as the cluster says. */
async function partitionsOf(harness: ClusterHarness, id: string): Promise<number[]> {
  const body = await harness.cluster.status();
  return body.members.find((m) => m.id === id)?.partitions ?? [];
}

describe('cluster mode across real processes', () => {
  it('loses and doubles nothing when a worker is killed with SIGKILL under load', async () => {
    await scenario('cl_kill_worker', async ({ harness, reached }) => {
      await reached(0.35);
      const victim = harness.cluster.member(await harness.cluster.worker());
      expect((await partitionsOf(harness, victim.id)).length).toBeGreaterThan(0);
      await victim.kill9();
      // Its partitions go to the survivors once its leases run out.
      await harness.cluster.settled(SETTLE_MS);
    });
  }, 150_000);

  it('loses and doubles nothing when the leader (the poller) is killed with SIGKILL', async () => {
    await scenario('cl_kill_leader', async ({ harness, reached }) => {
      await reached(0.35);
      const leader = harness.cluster.member(await harness.cluster.leader());
      await leader.kill9();
      // Postgres releases the dead leader's advisory lock with its connection: another member polls.
      await harness.cluster.settled(SETTLE_MS);
      expect(await harness.cluster.leader()).not.toBe(leader.id);
    });
  }, 150_000);

  it('refuses the late writes of an owner stalled past its lease (SIGSTOP), and loses nothing when it resumes', async () => {
    let fencedWrites = 0;
    let stalledId = '';
    const { harness } = await scenario('cl_stall', async ({ harness, reached }) => {
      await reached(0.3);
      const stalled = harness.cluster.member(await harness.cluster.worker());
      stalledId = stalled.id;
      const held = await partitionsOf(harness, stalled.id);
      expect(held.length).toBeGreaterThan(0);
      stalled.pause();
      const other = harness.cluster.running().find((m) => m !== stalled)!;
      await waitFor(
        "the stalled member's partitions to be taken over",
        async () => {
          const body = await harness.cluster.status(other);
          return held.every((p) => {
            const owner = body.partitionLeases.find((l) => l.partition === p)?.owner;
            return owner !== null && owner !== undefined && owner !== stalled.id;
          });
        },
        SETTLE_MS,
        100,
      );
      await reached(0.6);
      stalled.resume();
      // Back, it finds its leases gone: what it still had in hand must not land over the new owners' state.
      await harness.cluster.settled(SETTLE_MS);
      fencedWrites = metricSum(await stalled.metrics(), 'lekha_snapshot_writes_fenced_total');
    });
    const stalled = harness.cluster.member(stalledId);
    const logs = stalled.logs().map((line) => String(line.msg));
    // Either a late write was tried and refused by its epoch, or the member dropped its stale chats
    // before writing anything; both are fine, the state check above is what proves no late write landed.
    expect(
      fencedWrites > 0 || logs.some((msg) => /partition leases lost|leases not renewed in time/.test(msg)),
      `no sign the resumed member noticed its lost leases:\n${stalled.output()}`,
    ).toBe(true);
  }, 150_000);

  it('loses and doubles nothing over a rolling restart of all three members (graceful, one at a time)', async () => {
    await scenario(
      'cl_rolling',
      async ({ harness, reached }) => {
        for (const [i, id] of ['m1', 'm2', 'm3'].entries()) {
          await reached(0.1 + i * 0.25);
          const exit = await harness.cluster.member(id).terminate();
          expect(exit, harness.cluster.member(id).output()).toEqual({ code: 0, signal: null });
          await harness.cluster.start(id);
          await harness.cluster.settled(SETTLE_MS);
        }
      },
      { rate: 20 },
    );
  }, 150_000);

  it('loses and doubles nothing when a member joins and another leaves mid-run', async () => {
    await scenario(
      'cl_join_leave',
      async ({ harness, reached }) => {
        await reached(0.25);
        await harness.cluster.start('m3');
        await harness.cluster.settled(SETTLE_MS);
        expect((await partitionsOf(harness, 'm3')).length).toBeGreaterThan(0);
        await reached(0.6);
        const leaving = harness.cluster.member('m1');
        const exit = await leaving.terminate();
        expect(exit, leaving.output()).toEqual({ code: 0, signal: null });
        await harness.cluster.settled(SETTLE_MS);
      },
      { members: ['m1', 'm2'], rate: 25 },
    );
  }, 150_000);
});

describe('a partition that just moved', () => {
  it('is served by its new owner for entries appended at once (the old owner keeps no read out on it)', async () => {
    const harness = await ClusterHarness.open({
      label: 'cl_moved',
      cluster: true,
      partitions: 16,
      leaseMs: 2000,
      heartbeatMs: 300,
    });
    opened.push(harness);
    await harness.cluster.start('m1');
    await harness.cluster.settled(SETTLE_MS);
    // m1 serves all 16 partitions, with a blocking read out on all of them; m2 joins and takes its share.
    await harness.cluster.start('m2');
    await harness.cluster.settled(SETTLE_MS);
    const traffic = harness.traffic(
      trafficScript({
        groups: 16,
        membersPerGroup: 2,
        privates: 0,
        messagesPerGroup: 2,
        messagesPerPrivate: 0,
        triggerEvery: 100,
      }),
    );
    traffic.injectNext(16);
    await harness.drained(DRAIN_MS);
    traffic.injectNext(16);
    await harness.drained(DRAIN_MS);
    const run = await harness.finish(traffic.injected);
    expect(run.hungOnStop).toEqual([]);
    expect(violations(run.check), harness.output()).toEqual([]);
  }, 150_000);
});

describe('the checker', () => {
  it('finds a lost, a doubled and a swapped message and a reply sent twice, and a state unlike the reference', async () => {
    const reference = await referenceRunning;
    expect(violations(reference.check)).toEqual([]);
    const [first, second, third] = [...reference.states.keys()] as [number, number, number];
    const doctored = new Map(reference.states);
    const lost = structuredClone(reference.states.get(first)!);
    lost.processedMessages--;
    doctored.set(first, lost);
    const doubled = structuredClone(reference.states.get(second)!);
    const someone = Object.values(doubled.chat.members).find((m) => !m.isBot)!;
    someone.messages++;
    doctored.set(second, doubled);
    const swapped = structuredClone(reference.states.get(third)!);
    const said = swapped.chat.history.filter((h) => !h.bot);
    [said[0]!.text, said[1]!.text] = [said[1]!.text, said[0]!.text];
    doctored.set(third, swapped);
    const reply = reference.sent.find((s) => s.replyToMessageId !== undefined)!;
    const check = checkRun(reference.injected, doctored, [...reference.sent, reply]);
    expect(check.lost).toEqual([expect.stringContaining(`chat ${first}:`)]);
    expect(check.duplicated).toEqual([expect.stringContaining(`chat ${second}: member ${someone.id}`)]);
    expect(check.outOfOrder).toEqual([expect.stringContaining(`chat ${third}:`)]);
    expect(check.duplicateReplies).toEqual([`message ${reply.chatId}/${reply.replyToMessageId} answered 2 times`]);
    const differing = compareRuns(reference, { ...reference, states: doctored }).map((d) => /^chat -?\d+/.exec(d)?.[0]);
    expect(new Set(differing)).toEqual(new Set([first, second, third].map((id) => `chat ${id}`)));
  }, 150_000);
});
