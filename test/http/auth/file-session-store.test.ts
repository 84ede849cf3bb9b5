import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminFileCorruptError,
  type AdminSessionRecord,
  FileSessionStore,
  FileTelegramAdminStore,
  localAuditRecord,
  MemoryAuditLog,
  TokenSecret,
} from '../../../src/http/index.js';
import { AdminHarness } from '../../support/admin-harness.js';

let dir: string;
let audit: MemoryAuditLog;
const actor = { tokenId: 'test', label: 'test', role: 'admin' as const };
const row = (action: string, target: string) => localAuditRecord({ actor, action, target, atMs: 0 });

function session(id: string, secret: string): AdminSessionRecord {
  return {
    id,
    hash: TokenSecret.hash(secret),
    method: 'telegram',
    subject: 'telegram:1',
    label: '@ann',
    role: 'viewer',
    createdAt: '2026-12-04T10:00:00.000Z',
    lastSeenAt: '2026-12-04T10:00:00.000Z',
    expiresAt: '2026-12-04T22:00:00.000Z',
    revokedAt: null,
    ip: '127.0.0.1',
    userAgent: null,
  };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lekha-sessions-'));
  audit = new MemoryAuditLog();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileSessionStore', () => {
  it('keeps sessions across instances in a 0600 file that holds no session secret', async () => {
    const file = path.join(dir, 'nested', 'admin-sessions.jsonl');
    const secret = TokenSecret.generate();
    await new FileSessionStore(file, audit).create(session('s1', secret), row('login', 'session:s1'));
    const later = new FileSessionStore(file, audit);
    await later.touch('s1', '2026-12-04T11:00:00.000Z');
    await later.revoke('s1', '2026-12-04T12:00:00.000Z', row('session.revoke', 'session:s1'));
    await later.revoke('s1', '2026-12-04T13:00:00.000Z', row('session.revoke', 'session:s1'));
    expect(await new FileSessionStore(file, audit).findByHash(TokenSecret.hash(secret))).toMatchObject({
      lastSeenAt: '2026-12-04T11:00:00.000Z',
      revokedAt: '2026-12-04T12:00:00.000Z',
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toContain(secret);
  });

  it('opens no session when its audit row cannot be written', async () => {
    const file = path.join(dir, 'admin-sessions.jsonl');
    const broken = new MemoryAuditLog();
    broken.append = async () => {
      throw new Error('audit log down');
    };
    const store = new FileSessionStore(file, broken);
    await expect(
      store.create(session('s2', 'secret-0123456789abcdef'), row('login', 'session:s2')),
    ).rejects.toMatchObject({
      code: 'AUDIT_UNAVAILABLE',
    });
    expect(await store.list()).toEqual([]);
  });

  it('refuses a file with a line it cannot read, naming the file and line, and guesses nothing', async () => {
    const file = path.join(dir, 'admin-sessions.jsonl');
    const store = new FileSessionStore(file, audit);
    await store.create(session('s3', 'secret-0123456789abcdef'), row('login', 'session:s3'));
    await appendFile(file, '{"op":"open","record":{"id":"x"}}\n');
    const error = await store.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminFileCorruptError);
    expect(error).toMatchObject({ code: 'ADMIN_FILE_CORRUPT', message: `${file}:2: not an event of this file` });
  });
});

describe('FileTelegramAdminStore', () => {
  it('grants, changes and removes by Telegram user id, across instances', async () => {
    const file = path.join(dir, 'telegram-admins.jsonl');
    const grant = { telegramUserId: 42, role: 'viewer' as const, label: 'Ann', grantedAt: 'x', grantedBy: 'test' };
    await new FileTelegramAdminStore(file, audit).grant(grant, row('telegram_admin.grant', 'telegram:42'));
    await new FileTelegramAdminStore(file, audit).grant(
      { ...grant, role: 'admin' },
      row('telegram_admin.grant', 'telegram:42'),
    );
    expect(await new FileTelegramAdminStore(file, audit).find(42)).toMatchObject({ role: 'admin' });
    expect(
      await new FileTelegramAdminStore(file, audit).remove(42, row('telegram_admin.remove', 'telegram:42')),
    ).toMatchObject({
      role: 'admin',
    });
    expect(await new FileTelegramAdminStore(file, audit).list()).toEqual([]);
    expect(
      await new FileTelegramAdminStore(file, audit).remove(42, row('telegram_admin.remove', 'telegram:42')),
    ).toBeUndefined();
  });
});

describe('login routes where no login method is configured', () => {
  it('offers none and answers 404 LOGIN_NOT_CONFIGURED to the login endpoints', async () => {
    const h = await AdminHarness.create();
    const app = await h.app();
    try {
      expect((await app.inject({ method: 'GET', url: '/auth/methods' })).json()).toEqual({
        oidc: false,
        telegram: null,
      });
      for (const url of ['/auth/oidc/start', '/auth/oidc/callback?code=x&state=y', '/auth/telegram/callback?id=1']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({ code: 'LOGIN_NOT_CONFIGURED' });
      }
      // A cookie that is no session is simply unauthorised.
      const me = await app.inject({
        method: 'GET',
        url: '/api/me',
        cookies: { lekha_session: TokenSecret.generate() },
      });
      expect(me.statusCode).toBe(401);
    } finally {
      await app.close();
      await h.close();
    }
  });
});
