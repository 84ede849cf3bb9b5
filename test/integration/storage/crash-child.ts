// A Lekha-like process for the crash test: counter actors persisted through
// the real storage (Postgres + Redis), fed rounds of changes until it is
// killed. It reports to its parent over IPC:
//   { told: r }    round r is about to be sent to every chat
//   { durable: r } afterFlush confirmed round r durable for every chat
import { MetricsRegistry, SystemClock } from '../../../src/runtime/index.js';
import { Storage } from '../../../src/storage/index.js';
import type { CounterState } from '../../support/counter-actor.js';
import { counterFormat, superviseCounters } from '../../support/counter-runtime.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`crash child: ${name} is not set`);
  return value;
}

const chats = Number(env('CHATS'));
const base = Number(env('BASE'));
const clock = new SystemClock();
const metrics = new MetricsRegistry();
const storage = await Storage.open({
  databaseUrl: env('DATABASE_URL'),
  redisUrl: env('REDIS_URL'),
  redisKeyPrefix: env('REDIS_PREFIX'),
  snapshotIntervalMs: Number(env('INTERVAL_MS')),
  clock,
  metrics,
});
const snapshots = await storage.writeBehind<string, CounterState>({ format: counterFormat });
const { add, seen } = superviseCounters(snapshots, { clock, metrics });

const keys = Array.from({ length: chats }, (_, i) => `chat:${i}`);
const send = (message: object): void => {
  process.send?.(message);
};
for (let round = 1; ; round++) {
  send({ told: round });
  for (const key of keys) add(key, base + round);
  // Once every chat answered, the round's changes are made; only then may afterFlush vouch for them.
  await Promise.all(keys.map((key) => seen(key)));
  void Promise.all(keys.map((key) => snapshots.afterFlush(key))).then(() => send({ durable: round }));
  await new Promise((resolve) => setTimeout(resolve, 3));
}
