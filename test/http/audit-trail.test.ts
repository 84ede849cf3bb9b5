import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, cliIdentity, issueToken, runTokenCommand, TokenSecret } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { setUpAudit } from '../support/set-up-audit.js';
import { PostgresAdmin, storedChat } from './postgres-admin.js';

let pg: PostgresAdmin;
const chat = storedChat.id;
const member = storedChat.memberId;

beforeAll(async () => {
  pg = await PostgresAdmin.open('audit_trail');
});

afterAll(async () => {
  await pg.close();
});

/** Makes every write of the given kind to `audit_log` fail, as a full disk or a revoked grant would. */
async function refuseAudit(on: 'INSERT' | 'UPDATE'): Promise<void> {
  await pg.db.query(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log refuses writes in this test'; END $$`);
  await pg.db.query(
    `CREATE TRIGGER refuse_audit BEFORE ${on} ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
  );
}

afterEach(async () => {
  await pg.db.query('DROP TRIGGER IF EXISTS refuse_audit ON audit_log');
});

async function auditRows(
  where = 'TRUE',
  params: unknown[] = [],
): Promise<Array<{ action: string; target: string; actor: string; outcome: string; status_code: number }>> {
  const result = await pg.db.query<{
    action: string;
    target: string;
    actor: string;
    outcome: string;
    status_code: number;
  }>(`SELECT action, target, actor, outcome, status_code FROM audit_log WHERE ${where} ORDER BY seq`, params);
  return result.rows;
}

async function modeOf(chatId: number): Promise<string> {
  const res = await pg.request('GET', `/api/chats/${chatId}/settings`, { role: 'viewer' });
  return (res.json() as { settings: { mode: string } }).settings.mode;
}

describe('an audited change whose audit row cannot be written', () => {
  it.each([
    ['a mode change', 'POST', `/api/chats/${chat}/mode`, 'operator', { mode: 'active' }],
    ['a settings change', 'PATCH', `/api/chats/${chat}/settings`, 'operator', { bannedWords: ['spam'] }],
    ['a quarantine release', 'POST', `/api/chats/${chat}/release`, 'operator', undefined],
    ['forgetting a member', 'DELETE', `/api/chats/${chat}/users/${member}/memories`, 'admin', undefined],
    ['a token creation', 'POST', '/api/tokens', 'admin', { role: 'admin', label: 'unaudited admin' }],
    ['a message history read', 'GET', `/api/chats/${chat}/messages`, 'viewer', undefined],
    ['a prompt read', 'GET', `/api/chats/${chat}/prompt`, 'operator', undefined],
    ['an export', 'GET', `/api/export?chat=${chat}&format=json&kind=messages`, 'admin', undefined],
  ] as const)('is refused with 503 AUDIT_UNAVAILABLE and has no effect: %s', async (_what, method, url, role, body) => {
    // The chat's actor holds settings from an audited change first.
    expect(
      (await pg.request('POST', `/api/chats/${chat}/mode`, { role: 'operator', body: { mode: 'silent' } })).statusCode,
    ).toBe(200);
    const settingsBefore = (await pg.request('GET', `/api/chats/${chat}/settings`, { role: 'viewer' })).json();
    const tokensBefore = await pg.tokens.list();
    const forgottenBefore = pg.harness.forgotten.length;
    const releasesBefore = pg.harness.supervisor.stats().quarantined.length;

    await refuseAudit('INSERT');
    const res = await pg.request(method, url, { role, body });

    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({
      code: 'AUDIT_UNAVAILABLE',
      message: expect.stringMatching(/audit log .* nothing was (done|changed)/),
    });
    expect(res.body).not.toMatch(/refuses writes|postgres|P0001/i);
    await pg.db.query('DROP TRIGGER refuse_audit ON audit_log');
    expect((await pg.request('GET', `/api/chats/${chat}/settings`, { role: 'viewer' })).json()).toEqual(settingsBefore);
    expect(await pg.tokens.list()).toEqual(tokensBefore);
    expect(pg.harness.forgotten.length).toBe(forgottenBefore);
    expect(pg.harness.supervisor.stats().quarantined.length).toBe(releasesBefore);
  });

  it('leaves a token active when its revocation cannot be audited', async () => {
    const { token, record } = await issueToken(
      pg.tokens,
      { role: 'viewer', label: 'keeps working', createdBy: 'test' },
      pg.harness.clock,
      setUpAudit,
    );
    await refuseAudit('INSERT');
    const res = await pg.request('DELETE', `/api/tokens/${record.id}`, { role: 'admin' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect((await pg.tokens.findByHash(TokenSecret.hash(token)))?.revokedAt).toBeNull();
  });
});

describe('the audit row of a change', () => {
  it('is written as requested before the change is made, and settled with the outcome after', async () => {
    const seenDuringChange: string[] = [];
    const setMode = pg.harness.supervisor.ask.bind(pg.harness.supervisor);
    const spy = async (...args: Parameters<typeof setMode>) => {
      const rows = await auditRows(`action = 'chat.mode.set' AND outcome = 'requested'`);
      seenDuringChange.push(...rows.map((r) => r.outcome));
      return setMode(...args);
    };
    pg.harness.supervisor.ask = spy as typeof pg.harness.supervisor.ask;
    try {
      expect(
        (await pg.request('POST', `/api/chats/${chat}/mode`, { role: 'operator', body: { mode: 'normal' } }))
          .statusCode,
      ).toBe(200);
    } finally {
      pg.harness.supervisor.ask = setMode;
    }
    expect(seenDuringChange).toEqual(['requested']);
    const last = (await pg.audit.query({ action: 'chat.mode.set' }, { cursor: undefined, limit: 1 }))
      .items[0] as AuditEntry;
    expect(last).toMatchObject({ outcome: 'ok', statusCode: 200, target: `chat:${chat}`, details: { mode: 'normal' } });
  });

  it('stays as requested, and the change stands, when the outcome cannot be written', async () => {
    await refuseAudit('UPDATE');
    const res = await pg.request('POST', `/api/chats/${chat}/mode`, { role: 'operator', body: { mode: 'active' } });
    expect(res.statusCode).toBe(200);
    await pg.db.query('DROP TRIGGER refuse_audit ON audit_log');
    expect(await modeOf(chat)).toBe('active');
    const last = (await pg.audit.query({ action: 'chat.mode.set' }, { cursor: undefined, limit: 1 }))
      .items[0] as AuditEntry;
    expect(last).toMatchObject({ outcome: 'requested', statusCode: 0, details: { request: { mode: 'active' } } });
  });

  it('of a token is written in the token\u2019s own transaction, with the token id as target', async () => {
    const created = await pg.request('POST', '/api/tokens', {
      role: 'admin',
      body: { role: 'viewer', label: 'audited' },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { record: { id: string } }).record.id;
    expect(await auditRows('target = $1', [`token:${id}`])).toEqual([
      { action: 'token.create', target: `token:${id}`, actor: expect.any(String), outcome: 'ok', status_code: 201 },
    ]);
    expect((await pg.request('DELETE', `/api/tokens/${id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await auditRows('target = $1', [`token:${id}`])).map((r) => [r.action, r.outcome, r.status_code])).toEqual([
      ['token.create', 'ok', 201],
      ['token.revoke', 'ok', 200],
    ]);
  });
});

describe('reads of message history, prompts and exports', () => {
  it.each([
    ['messages.read', `/api/chats/${chat}/messages?q=hello`, 'viewer', { search: true, messages: 1 }],
    ['prompt.read', `/api/chats/${chat}/prompt`, 'operator', { found: false }],
    ['export.read', `/api/export?chat=${chat}&format=csv&kind=messages`, 'admin', { kind: 'messages', format: 'csv' }],
  ] as const)('are audited as %s with who read what', async (action, url, role, details) => {
    const res = await pg.request('GET', url, { role, headers: { 'user-agent': 'reader/1.0' } });
    expect(res.statusCode, res.body).toBe(200);
    const me = (await pg.request('GET', '/api/me', { role })).json() as { tokenId: string };
    const last = (await pg.audit.query({ action }, { cursor: undefined, limit: 1 })).items[0] as AuditEntry;
    expect(last).toMatchObject({
      actor: { tokenId: me.tokenId, role },
      target: `chat:${chat}`,
      outcome: 'ok',
      statusCode: 200,
      userAgent: 'reader/1.0',
      details,
    });
    expect(JSON.stringify(last)).not.toContain('hello');
  });
});

describe('lekha token', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      store: pg.tokens,
      clock: new ManualClock(Date.UTC(2026, 5, 1)),
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      out_: out,
      err_: err,
    };
  };

  it('records create and revoke in the audit log as made by cli', async () => {
    const x = io();
    expect(await runTokenCommand(['create', '--role', 'operator', '--label', 'from the shell'], x)).toBe(0);
    const record = await pg.tokens.findByHash(TokenSecret.hash(x.out_[0] as string));
    expect(record).toBeDefined();
    expect(await runTokenCommand(['revoke', record?.id as string], x)).toBe(0);
    const rows = (
      await pg.audit.query(
        { actor: cliIdentity.tokenId, target: `token:${record?.id}` },
        { cursor: undefined, limit: 10 },
      )
    ).items;
    expect(rows.map((r) => r.action)).toEqual(['token.revoke', 'token.create']);
    expect(rows[1]).toMatchObject({
      actor: { tokenId: 'cli', role: 'admin' },
      ip: 'local',
      outcome: 'ok',
      at: '2026-06-01T00:00:00.000Z',
      details: { tokenId: record?.id, role: 'operator', label: 'from the shell' },
    });
    expect(JSON.stringify(rows)).not.toContain(x.out_[0]);
  });

  it('creates no token and exits 1 with the reason when the audit log cannot be written', async () => {
    const x = io();
    const before = await pg.tokens.list();
    await refuseAudit('INSERT');
    expect(await runTokenCommand(['create', '--role', 'admin'], x)).toBe(1);
    expect(x.err_.join('\n')).toContain('the audit log cannot be written');
    expect(x.out_).toEqual([]);
    expect(await pg.tokens.list()).toEqual(before);
  });

  it('refuses a label that is not plain text', async () => {
    const x = io();
    expect(await runTokenCommand(['create', '--role', 'admin', '--label', 'ops\uD800'], x)).toBe(2);
    expect(x.err_.join('\n')).toContain('--label must not contain NUL characters or unpaired UTF-16 surrogates');
  });
});
