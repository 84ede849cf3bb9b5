import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { adminQuery, withSearchPath } from '../../bench/postgres-schema.js';

export { withSearchPath };

/** A Postgres schema of its own for one test file. */
export interface TestSchema {
  readonly name: string;
  /** A connection URL whose sessions use this schema. */
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty schema named after `label` plus a random suffix; `drop` removes it and everything in it. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const base = inject('postgresUrl');
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(base, `CREATE SCHEMA ${name}`);
  return {
    name,
    url: withSearchPath(base, name),
    drop: () => adminQuery(base, `DROP SCHEMA IF EXISTS ${name} CASCADE`),
  };
}

/** A Redis key prefix of its own for one test file. */
export interface TestRedis {
  readonly url: string;
  readonly prefix: string;
  /** A client for inspecting and changing keys under the prefix. */
  readonly client: Redis;
  /** Deletes every key under the prefix. */
  clear(): Promise<void>;
  /** Clears and disconnects. */
  close(): Promise<void>;
}

export async function createTestRedis(label: string): Promise<TestRedis> {
  const url = inject('redisUrl');
  const prefix = `test:${label}:${randomBytes(4).toString('hex')}:`;
  const client = new Redis(url);
  const clear = async (): Promise<void> => {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  };
  return {
    url,
    prefix,
    client,
    clear,
    close: async () => {
      await clear();
      client.disconnect();
    },
  };
}
