import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PostgresDatabase,
  PostgresSnapshotStore,
  RedisSnapshotStore,
  type SnapshotStore,
} from '../../../src/storage/index.js';
import { counterFormat } from '../../support/counter-runtime.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../../support/test-services.js';

const CHATS = 30;
const INTERVAL_MS = 100;
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

interface Generation {
  told: number;
  durable: number;
}

/** Runs the child until it confirmed `minDurable` rounds, lets it go on a little, then SIGKILLs it. */
function runAndKill(env: Record<string, string>, minDurable: number): Promise<Generation> {
  return new Promise((resolve, reject) => {
    const seen: Generation = { told: 0, durable: 0 };
    const proc = fork(child, [], {
      env: { ...process.env, ...env },
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let killing = false;
    proc.on('message', (message: { told?: number; durable?: number }) => {
      if (message.told !== undefined) seen.told = Math.max(seen.told, message.told);
      if (message.durable !== undefined) seen.durable = Math.max(seen.durable, message.durable);
      if (!killing && seen.durable >= minDurable) {
        killing = true;
        // A random moment within the next interval: mid-flush as often as between flushes.
        setTimeout(() => proc.kill('SIGKILL'), Math.random() * INTERVAL_MS * 1.5);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`crash child exited on its own (code ${code}, signal ${signal})`));
    });
  });
}

describe('a hard crash (SIGKILL)', () => {
  let schema: TestSchema;
  let redis: TestRedis;
  let db: PostgresDatabase;
  let tiers: Array<[string, SnapshotStore]>;

  beforeAll(async () => {
    schema = await createTestSchema('crash');
    redis = await createTestRedis('crash');
    db = new PostgresDatabase({ url: schema.url });
    tiers = [
      ['postgres', new PostgresSnapshotStore(db)],
      ['redis', new RedisSnapshotStore(redis.client, { prefix: redis.prefix, ttlMs: 0 })],
    ];
  });

  afterAll(async () => {
    await db.close();
    await redis.close();
    await schema.drop();
  });

  /** Every chat's state in every tier; each must decode (nothing torn). */
  async function read(): Promise<Map<string, Map<string, number[]>>> {
    const out = new Map<string, Map<string, number[]>>();
    for (const [tier, store] of tiers) {
      const states = new Map<string, number[]>();
      for (let i = 0; i < CHATS; i++) {
        const key = `chat:${i}`;
        const record = await store.read(key);
        if (record !== undefined) states.set(key, counterFormat.decode(key, record.version, record.bytes).seen);
      }
      out.set(tier, states);
    }
    return out;
  }

  function range(from: number, to: number): number[] {
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  }

  it(
    'loses at most the changes after the last completed flush and never tears or rolls back a snapshot',
    { timeout: 120_000 },
    async () => {
      const env = {
        DATABASE_URL: schema.url,
        REDIS_URL: redis.url,
        REDIS_PREFIX: redis.prefix,
        CHATS: String(CHATS),
        INTERVAL_MS: String(INTERVAL_MS),
        LOG_LEVEL: 'silent',
      };

      const first = await runAndKill({ ...env, BASE: '0' }, 4);
      const afterFirst = await read();
      const recovered = new Map<string, number[]>();
      for (let i = 0; i < CHATS; i++) {
        const key = `chat:${i}`;
        const durable = afterFirst.get('postgres')?.get(key) ?? [];
        const hot = afterFirst.get('redis')?.get(key) ?? [];
        // Each tier holds 1..x: a whole round prefix, never a partial state.
        expect(durable).toEqual(range(1, durable.length));
        expect(hot).toEqual(range(1, hot.length));
        // Everything afterFlush confirmed survived; nothing that was never sent appeared.
        expect(durable.length).toBeGreaterThanOrEqual(first.durable);
        expect(Math.max(durable.length, hot.length)).toBeLessThanOrEqual(first.told);
        // Redis is written before Postgres, so with Redis up it is never behind.
        expect(hot.length).toBeGreaterThanOrEqual(durable.length);
        recovered.set(key, hot); // what activation reads: Redis first
      }

      const second = await runAndKill({ ...env, BASE: '1000000' }, 4);
      const afterSecond = await read();
      for (let i = 0; i < CHATS; i++) {
        const key = `chat:${i}`;
        const before = recovered.get(key) ?? [];
        for (const tier of ['postgres', 'redis']) {
          const state = afterSecond.get(tier)?.get(key) ?? [];
          const added = state.slice(before.length);
          // The second run continued from the recovered state: its newer snapshots replaced the first run's.
          expect(state.slice(0, before.length)).toEqual(before);
          expect(added).toEqual(range(1_000_001, 1_000_000 + added.length));
          if (tier === 'postgres') expect(added.length).toBeGreaterThanOrEqual(second.durable);
          expect(added.length).toBeLessThanOrEqual(second.told);
        }
      }
    },
  );
});
