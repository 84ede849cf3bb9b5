import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, type AuditLog, buildHttpApp, type HttpApp } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';

let h: AdminHarness;
let app: HttpApp;
const chat = -600;

beforeAll(async () => {
  h = await AdminHarness.create();
  app = await h.app();
  h.addChat(chat, 'Audited');
  h.say(chat, 1, 'Ann', 'hi');
  await h.settle();
});

afterAll(async () => {
  await app.close();
  await h.close();
});

async function lastAudit(): Promise<AuditEntry> {
  const page = await h.audit.query({}, { cursor: undefined, limit: 1 });
  return page.items[0] as AuditEntry;
}

const ua = { 'user-agent': 'audit-test/1.0' };

describe('audit log', () => {
  it.each([
    [
      'POST',
      `/api/chats/${chat}/mode`,
      'operator',
      { mode: 'active' },
      'chat.mode.set',
      `chat:${chat}`,
      { mode: 'active', previous: 'normal' },
    ],
    [
      'PATCH',
      `/api/chats/${chat}/settings`,
      'operator',
      { language: 'en' },
      'chat.settings.update',
      `chat:${chat}`,
      { patch: { language: 'en' } },
    ],
    [
      'POST',
      `/api/chats/${chat}/release`,
      'operator',
      undefined,
      'chat.quarantine.release',
      `chat:${chat}`,
      { released: false },
    ],
    [
      'GET',
      `/api/export?chat=${chat}&format=json&kind=members`,
      'admin',
      undefined,
      'export.read',
      `chat:${chat}`,
      { kind: 'members', format: 'json' },
    ],
  ] as const)(
    'records %s %s: who, what, target, when, from where',
    async (method, url, role, body, action, target, details) => {
      const before = Date.now();
      const res = await h.request(app, method, url, { role, body, headers: ua });
      expect(res.statusCode).toBeLessThan(300);
      const entry = await lastAudit();
      expect(entry).toMatchObject({
        actor: { role, label: `${role} token` },
        action,
        target,
        ip: '127.0.0.1',
        userAgent: 'audit-test/1.0',
        outcome: 'ok',
        statusCode: 200,
        details,
      });
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1);
    },
  );

  it('records token creation and revocation with the token id as target, never the secret', async () => {
    const created = await h.request(app, 'POST', '/api/tokens', {
      role: 'admin',
      body: { role: 'viewer', label: 'for audit' },
    });
    const { token, record } = created.json() as { token: string; record: { id: string } };
    const createdRow = await lastAudit();
    expect(createdRow).toMatchObject({
      action: 'token.create',
      target: `token:${record.id}`,
      statusCode: 201,
      details: { tokenId: record.id, role: 'viewer', label: 'for audit' },
    });
    expect(JSON.stringify(createdRow)).not.toContain(token);
    await h.request(app, 'DELETE', `/api/tokens/${record.id}`, { role: 'admin' });
    expect(await lastAudit()).toMatchObject({ action: 'token.revoke', target: `token:${record.id}`, outcome: 'ok' });
  });

  it('records refused attempts of a known caller, but not anonymous ones or reads', async () => {
    await h.request(app, 'POST', `/api/chats/${chat}/mode`, { role: 'viewer', body: { mode: 'silent' } });
    expect(await lastAudit()).toMatchObject({
      action: 'chat.mode.set',
      actor: { role: 'viewer' },
      outcome: 'error',
      statusCode: 403,
    });
    const count = (await h.audit.query({}, { cursor: undefined, limit: 200 })).items.length;
    await h.request(app, 'POST', `/api/chats/${chat}/mode`, { body: { mode: 'silent' } });
    await h.request(app, 'GET', `/api/chats/${chat}`, { role: 'admin' });
    await h.request(app, 'GET', '/api/stats', { role: 'admin' });
    expect((await h.audit.query({}, { cursor: undefined, limit: 200 })).items.length).toBe(count);
  });

  it('lists the log newest first with filters and pages', async () => {
    for (const mode of ['silent', 'normal', 'active'] as const) {
      await h.request(app, 'POST', `/api/chats/${chat}/mode`, { role: 'operator', body: { mode } });
    }
    const byAction = (await h.request(app, 'GET', '/api/audit?action=chat.mode.set&limit=2', { role: 'admin' })).json();
    expect(byAction.items.map((e: AuditEntry) => e.details.mode)).toEqual(['active', 'normal']);
    const next = (
      await h.request(app, 'GET', `/api/audit?action=chat.mode.set&limit=2&cursor=${byAction.nextCursor}`, {
        role: 'admin',
      })
    ).json();
    expect(next.items[0].details.mode).toBe('silent');

    const prefixed = (await h.request(app, 'GET', '/api/audit?action=token.*', { role: 'admin' })).json();
    expect(new Set(prefixed.items.map((e: AuditEntry) => e.action))).toEqual(new Set(['token.create', 'token.revoke']));

    const me = (await h.request(app, 'GET', '/api/me', { role: 'operator' })).json();
    const byActor = (
      await h.request(app, 'GET', `/api/audit?actor=${me.tokenId}&target=chat:${chat}`, { role: 'admin' })
    ).json();
    expect(byActor.items.length).toBeGreaterThanOrEqual(5);
    expect(byActor.items.every((e: AuditEntry) => e.actor.tokenId === me.tokenId)).toBe(true);

    const future = (await h.request(app, 'GET', '/api/audit?from=2999-01-01T00:00:00Z', { role: 'admin' })).json();
    expect(future.items).toEqual([]);
  });

  it('rejects a bad audit filter with 400', async () => {
    const res = await h.request(app, 'GET', '/api/audit?from=soon', { role: 'admin' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('querystring/from must match format "date-time"');
  });

  it('refuses the call with 503 before changing anything, and logs why, when the audit store cannot write', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
    );
    const broken = await AdminHarness.create({ logger });
    broken.addChat(-1, 'No audit');
    const deps = broken.deps();
    const brokenApp = await buildHttpApp({
      ...deps,
      audit: {
        append: () => Promise.reject(new Error('audit table is gone')),
        settle: deps.audit.settle.bind(deps.audit),
        query: deps.audit.query.bind(deps.audit),
      } satisfies AuditLog,
    });
    try {
      const res = await broken.request(brokenApp, 'POST', '/api/chats/-1/mode', {
        role: 'operator',
        body: { mode: 'silent' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        code: 'AUDIT_UNAVAILABLE',
        message: expect.stringContaining('nothing was done'),
      });
      expect(broken.supervisor.stats().live).toBe(0); // the chat's actor never got the change
      expect(lines.some((l) => l.includes('"audit"') && l.includes('chat.mode.set'))).toBe(true);
      expect(lines.some((l) => l.includes('audit table is gone'))).toBe(true);
    } finally {
      await brokenApp.close();
      await broken.close();
    }
  });
});
