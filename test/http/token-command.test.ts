import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog, MemoryTokenStore, runTokenCommand, TokenSecret } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { PostgresDatabase, PostgresTokenStore } from '../../src/storage/index.js';
import { createTestSchema } from '../support/test-services.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    store: new MemoryTokenStore(new MemoryAuditLog()),
    clock: new ManualClock(),
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
    lines: { out, err },
  };
}

describe('lekha token', () => {
  it('create prints the token once on stdout and stores only its hash', async () => {
    const x = io();
    expect(await runTokenCommand(['create', '--role', 'viewer', '--label', 'ops laptop'], x)).toBe(0);
    expect(x.lines.out).toHaveLength(1);
    const token = x.lines.out[0] as string;
    expect(token).toMatch(/^lk_[A-Za-z0-9_-]{43}$/);
    const [record] = await x.store.list();
    expect(record).toMatchObject({
      role: 'viewer',
      label: 'ops laptop',
      createdBy: 'cli',
      hash: TokenSecret.hash(token),
    });
    expect(x.lines.err.join('\n')).toContain(record?.id);
    expect(x.lines.err.join('\n')).not.toContain(token);
  });

  it.each([
    [['create'], '--role must be one of viewer, operator, admin'],
    [['create', '--role', 'root'], '--role must be one of viewer, operator, admin'],
    [['create', '--role', 'admin', '--label', ' '], '--label must be 1–100 characters'],
    [['create', '--role'], 'lekha token:'],
    [['revoke'], 'which token?'],
    [['rotate'], 'unknown subcommand "rotate"'],
  ])('refuses %j with exit code 2 and says why', async (argv, message) => {
    const x = io();
    expect(await runTokenCommand(argv, x)).toBe(2);
    expect(x.lines.err.join('\n')).toContain(message);
    expect(await x.store.list()).toEqual([]);
  });

  it('lists and revokes tokens', async () => {
    const x = io();
    await runTokenCommand(['create', '--role', 'admin'], x);
    const [record] = await x.store.list();
    await runTokenCommand(['list'], x);
    expect(x.lines.out[1]).toMatch(new RegExp(`^${record?.id}\\tadmin\\tactive\\t`));
    expect(await runTokenCommand(['revoke', record?.id as string], x)).toBe(0);
    expect((await x.store.list())[0]?.revokedAt).not.toBeNull();
    expect(await runTokenCommand(['revoke', 'unknown'], x)).toBe(1);
  });

  // Two CLI processes one after the other (each allowed 60 s), each compiling the sources through tsx first.
  it(
    'works from the command line, writing to the database the server reads, and exits once done',
    { timeout: 130_000 },
    async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lekha-cli-'));
      const schema = await createTestSchema('cli_tokens');
      try {
        const cli = path.resolve('src/cli.ts');
        // The command returning at all shows it closed the database: an open pool keeps Node running.
        const run = (args: string[]) =>
          promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], {
            env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: schema.url },
            timeout: 60_000,
          });
        const created = await run(['token', 'create', '--role', 'operator', '--label', 'from the shell']);
        const token = created.stdout.trim();
        expect(token).toMatch(/^lk_/);
        const listed = await run(['token', 'list']);
        expect(listed.stdout).toContain('operator\tactive');
        expect(listed.stdout).toContain('"from the shell"');
        expect(listed.stdout).not.toContain(token);
        const db = new PostgresDatabase({ url: schema.url });
        try {
          expect(await new PostgresTokenStore(db).findByHash(TokenSecret.hash(token))).toMatchObject({
            role: 'operator',
            label: 'from the shell',
          });
        } finally {
          await db.close();
        }
      } finally {
        await schema.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
