import { CLI_TEST_TIMEOUT_MS, lekha } from './support/lekha-cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/storage/index.js';
import { createTestSchema, type TestSchema } from './support/test-services.js';

/** The newest schema version this build ships, and every version it applies to an empty database. */
const latest = (migrations.at(-1) as { version: number }).version;
const all = migrations.map((m) => m.version).join(', ');

describe('lekha migrate', () => {
  let schema: TestSchema;

  beforeAll(async () => {
    schema = await createTestSchema('cli_migrate');
  });

  afterAll(async () => {
    await schema.drop();
  });

  // Two CLI processes one after the other, each compiling the sources through tsx first: tens of seconds on a busy machine.
  it(
    'brings the schema of DATABASE_URL up to date, and does nothing the second time',
    { timeout: CLI_TEST_TIMEOUT_MS },
    async () => {
      const first = await lekha({ DATABASE_URL: schema.url }, 'migrate');
      expect(first).toMatchObject({ code: 0, stdout: `schema version ${latest} (postgres): applied ${all}\n` });
      const second = await lekha({ DATABASE_URL: schema.url }, 'migrate');
      expect(second).toMatchObject({ code: 0, stdout: `schema version ${latest} (postgres): nothing to apply\n` });
    },
  );

  it(
    'names the problem when the database cannot be reached or the URL is malformed',
    { timeout: CLI_TEST_TIMEOUT_MS },
    async () => {
      const [unreachable, malformed] = await Promise.all([
        lekha({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, 'migrate'),
        lekha({ DATABASE_URL: 'mysql://x' }, 'migrate'),
      ]);
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toContain('STORAGE_UNAVAILABLE: cannot reach the Postgres server of DATABASE_URL');
      expect(malformed.code).toBe(78);
      expect(malformed.stderr).toContain('DATABASE_URL: expected a postgres:// or postgresql:// connection URL');
    },
  );
});
