/*
 * A reply in flight when its process goes away — killed, stopped past its
 * shutdown deadline, or a cluster member whose partitions move — goes on at
 * the next start, or on the member that takes the partition, without
 * waiting for the chat's next message (which may never come). Real
 * `lekha start` processes from the built CLI on Postgres (and Redis in
 * cluster mode); the model holds its answers until the process that asked
 * is gone, so each reply is durably `thinking` when it goes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { readChatStates } from '../../bench/cluster/chat-check.js';
import { hasReplyInFlight } from '../../src/actors/index.js';
import { partitionOf } from '../../src/cluster/index.js';
import { loadConfig } from '../../src/config/index.js';
import { startRuntime } from '../../src/main.js';
import type { Counter } from '../../src/runtime/index.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { ClusterHarness, metricSum, waitFor } from '../support/cluster-harness.js';
import { emulatorEnv, RELAXED_LIMITS } from '../support/edge-harness.js';
import { FilePersistence } from '../support/file-persistence.js';

const opened: ClusterHarness[] = [];
const WAIT_MS = 60_000;
const PARTITIONS = 4;

afterAll(async () => {
  for (const harness of opened) await harness.close();
});

async function open(label: string, cluster: boolean): Promise<ClusterHarness> {
  const harness = await ClusterHarness.open({
    label,
    cluster,
    partitions: PARTITIONS,
    // The model call outlasts the test; a SIGTERM cuts it after a second.
    env: { GROQ_TIMEOUT_MS: '600000', SHUTDOWN_DEADLINE_MS: '1000' },
  });
  opened.push(harness);
  return harness;
}

/** One message to each private chat (each gets a reply); returns the chats. */
function ask(botApi: BotApiEmulator, chats: number[]): number[] {
  for (const chatId of chats)
    botApi.injectMessage({
      chatId,
      from: { id: chatId, firstName: `U${chatId}` },
      text: `привет, это ${chatId}`,
    });
  return chats;
}

/** Waits until every chat's message is processed and its state, durable, holds the reply in flight. */
async function thinking(harness: ClusterHarness, chats: readonly number[]): Promise<void> {
  await harness.drained(WAIT_MS, { replies: false });
  await waitFor(
    'every reply to be durably in flight',
    async () => {
      const states = await readChatStates(harness.schema.url);
      return chats.every((chatId) => {
        const state = states.get(chatId);
        return state !== undefined && hasReplyInFlight(state) && state.chat.inFlight?.phase === 'thinking';
      });
    },
    WAIT_MS,
  );
}

/** Waits until each chat got its one reply (a private chat's reply quotes nothing), and never a second. */
async function answered(harness: ClusterHarness, chats: readonly number[]): Promise<void> {
  await waitFor(
    `a reply in each of ${chats.length} chats`,
    () => chats.every((chatId) => harness.botApi.sentTo(chatId).length > 0),
    WAIT_MS,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${harness.output()}`, { cause: error });
  });
  for (const chatId of chats) expect(harness.botApi.sentTo(chatId), `chat ${chatId}`).toHaveLength(1);
}

describe('replies in flight when their process goes away', () => {
  it('are sent by the next process after a SIGKILL and after a SIGTERM past the deadline, with no new message', async () => {
    const harness = await open('rif_single', false);
    const release = harness.groq.hold();
    const first = await harness.cluster.start('first');
    const killed = ask(harness.botApi, [7_101, 7_102, 7_103, 7_104]);
    await thinking(harness, killed);
    expect(harness.botApi.sent).toHaveLength(0);
    await first.kill9();

    // Nothing more is said in those chats: only the stored replies in flight can bring the next process to them.
    const second = await harness.cluster.start('second');
    const stopped = ask(harness.botApi, [7_201, 7_202, 7_203]);
    await thinking(harness, stopped);
    // The killed process's chats were started at once; their replies wait for the held model too.
    expect(harness.botApi.sent).toHaveLength(0);
    const exit = await second.terminate();
    expect(exit.code).toBe(0);

    release();
    const third = await harness.cluster.start('third');
    await answered(harness, [...killed, ...stopped]);
    // Each was started by the wake (no message came), as /metrics tells an operator.
    expect(metricSum(await third.metrics(), 'lekha_actor_wakes_total')).toBe(killed.length + stopped.length);
    await waitFor(
      'no reply in flight',
      async () => [...(await readChatStates(harness.schema.url)).values()].every((s) => !hasReplyInFlight(s)),
      WAIT_MS,
    );
  }, 240_000);

  it('are sent by the member that takes the partitions of one killed with SIGKILL', async () => {
    const harness = await open('rif_cluster', true);
    await harness.cluster.start('m1');
    await harness.cluster.start('m2');
    await harness.cluster.settled(WAIT_MS);
    const release = harness.groq.hold();
    const asked = ask(
      harness.botApi,
      Array.from({ length: 12 }, (_, i) => 7_300 + i),
    );
    await thinking(harness, asked);
    const held = (await harness.cluster.status()).members.find((m) => m.id === 'm1')?.partitions ?? [];
    // Some of the chats are the killed member's: their replies can only go on at m2.
    const orphaned = asked.filter((chatId) => held.includes(partitionOf(chatId, PARTITIONS)));
    expect(orphaned).not.toEqual([]);
    await harness.cluster.member('m1').kill9();
    await harness.cluster.settled(WAIT_MS, ['m2']);
    // m2's own chats have their calls held since before; the ones it took over ask again once started.
    release();
    await answered(harness, asked);
    // m2 started the killed member's chats itself: no message came for them.
    expect(metricSum(await harness.cluster.member('m2').metrics(), 'lekha_actor_wakes_total')).toBe(orphaned.length);
  }, 240_000);
});

describe('a start that cannot list the chats with a reply in flight', () => {
  it('says so in its log, serves every chat meanwhile, and tries again until it can', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lekha-unlistable-'));
    const botApi = await BotApiEmulator.start({ limits: false });
    const groq = await GroqEmulator.start({ latency: 5 });
    /** Chat states kept as always; the list of unfinished chats cannot be read the first two times. */
    class Unlistable extends FilePersistence {
      refusals = 2;
      override unfinished(): Promise<number[]> {
        if (this.refusals-- > 0) return Promise.reject(new Error('the store did not answer'));
        return Promise.resolve([7_402]);
      }
    }
    const lines: string[] = [];
    const runtime = await startRuntime(
      loadConfig({ ...emulatorEnv(botApi, groq), LOG_LEVEL: 'info', HTTP_PORT: '0' }),
      pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      {
        persistence: new Unlistable(path.join(dir, 'chats.jsonl')),
        random: () => 0.999,
        telegramLimits: RELAXED_LIMITS,
        polling: { timeoutS: 1, retryMinMs: 50 },
      },
    );
    const failures = (): Array<{ level: number; retryInMs: number; err: { message: string } }> =>
      lines.filter((line) => line.includes('could not be listed; trying again')).map((line) => JSON.parse(line));
    try {
      await waitFor('the first failure to be logged', () => failures().length > 0, WAIT_MS);
      ask(botApi, [7_401]);
      await waitFor('a reply while the list cannot be read', () => botApi.sentTo(7_401).length === 1, WAIT_MS);
      // Tried again after a growing backoff, and the chat listed at last was started.
      await waitFor(
        'the chat listed at the third try to be started',
        () => (runtime.metrics.get('lekha_actor_wakes_total') as Counter | undefined)?.value === 1,
        WAIT_MS,
      );
      expect(failures().map((f) => [f.level, f.err.message])).toEqual([
        [50, 'the store did not answer'],
        [50, 'the store did not answer'],
      ]);
      const [first, second] = failures().map((f) => f.retryInMs) as [number, number];
      expect(second).toBeGreaterThanOrEqual(first);
      expect(runtime.supervisor.isLive(7_402)).toBe(true);
    } finally {
      await runtime.stop();
      await Promise.all([botApi.close(), groq.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
