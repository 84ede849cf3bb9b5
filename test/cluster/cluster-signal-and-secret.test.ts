import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClusterSignal, sharedSecret } from '../../src/cluster/index.js';
import { migrate, PostgresDatabase } from '../../src/storage/index.js';
import { waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../support/test-services.js';

describe('the cluster signal over Redis pub/sub', () => {
  let redis: TestRedis;
  const signals: RedisClusterSignal[] = [];

  beforeAll(async () => {
    redis = await createTestRedis('cluster-signal');
  });

  afterAll(async () => {
    await Promise.all(signals.map((s) => s.close()));
    await redis.close();
  });

  async function signal(channel: string): Promise<RedisClusterSignal> {
    const opened = new RedisClusterSignal({ url: redis.url, channel });
    await opened.open();
    signals.push(opened);
    return opened;
  }

  it("wakes every member of the deployment, the announcer too, and no other deployment's", async () => {
    const [a, b, other] = await Promise.all([
      signal(`${redis.prefix}cluster`),
      signal(`${redis.prefix}cluster`),
      signal(`${redis.prefix}other:cluster`),
    ]);
    const woke = { a: 0, b: 0, other: 0 };
    a.subscribe(() => woke.a++);
    const stopB = b.subscribe(() => woke.b++);
    other.subscribe(() => woke.other++);
    await a.announce();
    await waitFor('both members woken', () => woke.a === 1 && woke.b === 1);
    stopB();
    await a.announce();
    await waitFor('the announcer woken again', () => woke.a === 2);
    expect(woke.b).toBe(1);
    expect(woke.other).toBe(0);
  });
});

describe('secrets the members share', () => {
  let schema: TestSchema;
  let db: PostgresDatabase;

  beforeAll(async () => {
    schema = await createTestSchema('cluster_secret');
    db = new PostgresDatabase({ url: schema.url, maxConnections: 8 });
    await migrate(db);
  });

  afterAll(async () => {
    await db?.close();
    await schema?.drop();
  });

  it('is made once, by whichever member asks first, and read the same by all', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => sharedSecret(db, 'dashboard-csrf')));
    expect(answers[0]).toHaveLength(32);
    for (const answer of answers) expect(answer.equals(answers[0]!)).toBe(true);
    expect((await sharedSecret(db, 'another')).equals(answers[0]!)).toBe(false);
  });
});
