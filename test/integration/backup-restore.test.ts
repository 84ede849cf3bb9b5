import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { runBackupCommand, runRestoreCommand } from '../../src/backup-command.js';
import { loadConfig } from '../../src/config/index.js';
import { type CliExit, lekha } from '../support/lekha-cli.js';
import { createTestRedis, createTestSchema, type TestRedis, withSearchPath } from '../support/test-services.js';

// Backups as operators take them, restored and served: the embedded database
// through `GET /api/backup` of a running bot and `lekha backup` of a stopped
// one, put back with `lekha restore`; a Postgres server through the pg_dump /
// pg_restore routine of docs/deploy.md. Each restored copy is started with the
// real runtime against the emulators and must answer and hold what was said.

const ADMIN_TOKEN = 'backup-e2e-admin-token-0123456789abcdef';
const GROUP = -8101;
const WORD = 'черепаховый';
const TIMEOUT_MS = 180_000;

const dirs: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `lekha-${label}-`));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function api(h: Harness, route: string, token = ADMIN_TOKEN): Promise<Response> {
  const http = h.runtime.http;
  if (http === null) throw new Error('the runtime serves no HTTP');
  return fetch(`${http.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
}

function chatState(h: Harness): Promise<ChatState> {
  return h.runtime.supervisor.ask<ChatState>(GROUP, (reply) => ({ type: 'GetChatState', reply }));
}

/** Two messages in the group (one asks the bot), answered and durable. */
async function talk(h: Harness): Promise<ChatState> {
  const from = { id: 8101, firstName: 'Варвара' };
  h.botApi.injectMessage({
    chatId: GROUP,
    chatType: 'supergroup',
    title: 'Черепахи',
    from,
    text: `мой ${WORD} кот спит`,
  });
  h.botApi.injectMessage({ chatId: GROUP, chatType: 'supergroup', title: 'Черепахи', from, text: 'Лёха, привет!' });
  await waitFor(
    'the reply and every update confirmed',
    () => h.botApi.sentTo(GROUP).length > 0 && h.botApi.pendingCount === 0,
    30_000,
  );
  await waitFor(
    'the archive to hold the message',
    async () =>
      ((await (await api(h, `/api/chats/${GROUP}/messages?q=${WORD}`)).json()) as { items: unknown[] }).items.length ===
      1,
    30_000,
  );
  return chatState(h);
}

/** A restored copy serves: the chat, its state and the archived message are there, and a new message is answered. */
async function expectServes(h: Harness, before: ChatState): Promise<void> {
  expect((await api(h, `/api/chats/${GROUP}`)).status).toBe(200);
  const found = (await (await api(h, `/api/chats/${GROUP}/messages?q=${WORD}`)).json()) as {
    items: Array<{ text: string }>;
  };
  expect(found.items.map((m) => m.text)).toEqual([`мой ${WORD} кот спит`]);
  const restored = await chatState(h);
  expect(restored.processedMessages).toBe(before.processedMessages);
  expect(restored.chat.answered).toEqual(before.chat.answered);
  h.botApi.injectMessage({
    chatId: GROUP,
    chatType: 'supergroup',
    title: 'Черепахи',
    from: { id: 8102, firstName: 'Гоша' },
    text: 'Лёха, ты тут?',
  });
  await waitFor('a reply from the restored bot', () => h.botApi.sentTo(GROUP).length > 0, 30_000);
  expect((await chatState(h)).processedMessages).toBe(before.processedMessages + 1);
}

describe('backups of the embedded database', () => {
  let source: string;
  let before: ChatState;
  let after: ChatState;
  let online: string;
  let offline: string;
  let redis: TestRedis;
  let redisEnv: Record<string, string>;

  beforeAll(async () => {
    source = tempDir('backup-source');
    redis = await createTestRedis('backup');
    redisEnv = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
    const h = await startHarness({ env: { ADMIN_TOKEN, DATA_DIR: source, ...redisEnv }, storage: true });
    try {
      before = await talk(h);
      expect((await api(h, '/api/backup', 'not-a-token-of-this-server')).status).toBe(401);
      const answer = await api(h, '/api/backup');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/gzip');
      expect(answer.headers.get('content-disposition')).toMatch(
        /^attachment; filename="lekha-backup-[\dTZ-]+\.tar\.gz"$/,
      );
      online = path.join(tempDir('backup-files'), 'online.tar.gz');
      writeFileSync(online, Buffer.from(await answer.arrayBuffer()));
      const audit = (await (await api(h, '/api/audit?action=backup.read')).json()) as {
        items: Array<{ action: string; outcome: string }>;
      };
      expect(audit.items.map((row) => row.action)).toContain('backup.read');
      // While the server holds DATA_DIR, the command points at the route instead of touching the files.
      const busy = await lekha({ DATA_DIR: source }, 'backup', '--out', path.join(source, 'x.tar.gz'));
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('/api/backup');
      expect(existsSync(path.join(source, 'x.tar.gz'))).toBe(false);
      // The bot goes on after the online backup: the stopped one's backup and its Redis copy are newer.
      h.botApi.injectMessage({
        chatId: GROUP,
        chatType: 'supergroup',
        from: { id: 8101, firstName: 'Варвара' },
        text: 'и ещё',
      });
      await waitFor(
        'the last message durable',
        async () =>
          h.botApi.pendingCount === 0 && (await chatState(h)).processedMessages === before.processedMessages + 1,
      );
      after = await chatState(h);
    } finally {
      await h.close();
    }
    offline = path.join(path.dirname(online), 'offline.tar.gz');
    const wrote = await lekha({ DATA_DIR: source }, 'backup', '--out', offline);
    expect(wrote).toMatchObject({ code: 0, stderr: '' });
    expect(wrote.stdout).toContain(`wrote ${offline}`);
    expect(statSync(offline).mode & 0o777).toBe(0o600);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await redis?.close();
  });

  it(
    'restores a backup taken over HTTP from the running bot into a new DATA_DIR that serves',
    { timeout: TIMEOUT_MS },
    async () => {
      const target = tempDir('restore-online');
      const restored = await lekha({ DATA_DIR: target, ...redisEnv }, 'restore', online);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`into ${path.join(target, 'pglite')}`);
      // The hot tier held the chat as it was after the backup: a restored bot must not load that.
      expect(restored.stdout).toContain(`deleted 1 snapshots of the Redis hot tier (prefix ${redis.prefix})`);
      expect(await redis.client.keys(`${redis.prefix}snap:*`)).toEqual([]);
      const h = await startHarness({ env: { ADMIN_TOKEN, DATA_DIR: target, ...redisEnv }, storage: true });
      try {
        await expectServes(h, before);
      } finally {
        await h.close();
      }
    },
  );

  it(
    'replaces a database only with --force, keeping the old one and the memory indexes beside it',
    { timeout: TIMEOUT_MS },
    async () => {
      const target = tempDir('restore-offline');
      expect((await lekha({ DATA_DIR: target }, 'restore', online)).code).toBe(0);
      writeFileSync(path.join(target, 'pglite', 'marker'), 'the database that was here');
      const indexDir = path.join(target, 'memory-index');
      rmSync(indexDir, { recursive: true, force: true });
      writeFileSync(indexDir, 'stands for the memory indexes');

      const refused = await lekha({ DATA_DIR: target }, 'restore', offline);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('RESTORE_WOULD_REPLACE');
      expect(refused.stderr).toContain('--force');
      expect(readFileSync(path.join(target, 'pglite', 'marker'), 'utf8')).toBe('the database that was here');

      const forced = await lekha({ DATA_DIR: target }, 'restore', offline, '--force');
      expect(forced.code, forced.stderr).toBe(0);
      const kept = readdirSync(target).filter((name) => name.startsWith('before-restore-'));
      expect(kept).toHaveLength(1);
      const keptDir = path.join(target, kept[0] as string);
      expect(forced.stdout).toContain(`kept in ${keptDir}`);
      expect(readFileSync(path.join(keptDir, 'pglite', 'marker'), 'utf8')).toBe('the database that was here');
      expect(readFileSync(path.join(keptDir, 'memory-index'), 'utf8')).toBe('stands for the memory indexes');
      expect(existsSync(path.join(target, 'pglite', 'marker'))).toBe(false);
      expect(existsSync(indexDir)).toBe(false);

      const h = await startHarness({ env: { ADMIN_TOKEN, DATA_DIR: target }, storage: true });
      try {
        await expectServes(h, after);
      } finally {
        await h.close();
      }
    },
  );

  // The commands' own functions, as the CLI calls them: a process per refusal would only add compile time.
  it('refuses what is not a backup with a clear error and leaves DATA_DIR as it was', async () => {
    const command = async (
      which: typeof runBackupCommand,
      env: Record<string, string>,
      ...args: string[]
    ): Promise<CliExit> => {
      const exit = { code: 0, stdout: '', stderr: '' };
      exit.code = await which(args, loadConfig({ LOG_LEVEL: 'silent', ...env }), {
        out: (text) => void (exit.stdout += `${text}\n`),
        err: (text) => void (exit.stderr += `${text}\n`),
        now: () => new Date(),
      });
      return exit;
    };
    const files = tempDir('not-backups');
    const tarball = readFileSync(offline);
    const cases: Array<[string, Buffer, string]> = [
      ['random.tar.gz', randomBytes(4096), 'not gzip-compressed'],
      ['truncated.tar.gz', tarball.subarray(0, Math.floor(tarball.length / 2)), 'is damaged'],
      ['plain.tar.gz', gzipSync(Buffer.from('a text file, not a database')), 'no database directory inside'],
    ];
    const target = tempDir('restore-refused');
    for (const [name, bytes, says] of cases) {
      const file = path.join(files, name);
      writeFileSync(file, bytes);
      const refused = await command(runRestoreCommand, { DATA_DIR: target }, file);
      expect(refused.code, name).toBe(1);
      expect(refused.stderr, name).toContain('BACKUP_INVALID');
      expect(refused.stderr, name).toContain(says);
    }
    const missing = await command(runRestoreCommand, { DATA_DIR: target }, path.join(files, 'absent.tar.gz'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    expect(readdirSync(target)).toEqual([]);

    const usage = await command(runRestoreCommand, { DATA_DIR: target });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: lekha restore <file> [--force]');
    const unknown = await command(runBackupCommand, { DATA_DIR: target }, '--output', 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--output'");
    const nothing = await command(runBackupCommand, { DATA_DIR: target });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('nothing to back up');
    const server = await command(runBackupCommand, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(server.code).toBe(1);
    expect(server.stderr).toContain('pg_dump');
    const serverRestore = await command(
      runRestoreCommand,
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      offline,
    );
    expect(serverRestore.code).toBe(1);
    expect(serverRestore.stderr).toContain('pg_restore');
  });
});

describe('backups of a Postgres server (the pg_dump routine)', () => {
  it(
    'restores a pg_dump of a running bot’s database into a new database that serves',
    { timeout: TIMEOUT_MS },
    async () => {
      const run = promisify(execFile);
      const schema = await createTestSchema('backup_pg');
      const base = inject('postgresUrl');
      const database = `lekha_restore_${randomBytes(4).toString('hex')}`;
      const restoredBase = Object.assign(new URL(base), { pathname: `/${database}` }).toString();
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      try {
        const h = await startHarness({
          env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: tempDir('pg-source') },
          storage: true,
        });
        let before: ChatState;
        const dump = path.join(tempDir('pg-dump'), 'lekha.dump');
        try {
          before = await talk(h);
          // Taken while the bot runs, as the documented cron job does.
          await run('pg_dump', ['--format=custom', `--schema=${schema.name}`, `--file=${dump}`, `--dbname=${base}`]);
        } finally {
          await h.close();
        }
        await admin.query(`CREATE DATABASE ${database}`);
        await run('pg_restore', ['--no-owner', `--dbname=${restoredBase}`, dump]);
        const restored = await startHarness({
          env: {
            ADMIN_TOKEN,
            DATABASE_URL: withSearchPath(restoredBase, schema.name),
            DATA_DIR: tempDir('pg-restored'),
          },
          storage: true,
        });
        try {
          await expectServes(restored, before);
        } finally {
          await restored.close();
        }
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await admin.end();
        await schema.drop();
      }
    },
  );
});
