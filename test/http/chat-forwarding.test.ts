import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, localAuditRecord, startHttpServer, TokenSecret } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { FakeClusterView } from '../support/fake-cluster-view.js';

// Two members, each a real admin app on its own port: A's view says chat 42
// lives on B, so A hands calls about it to B and relays B's answers. The
// members share the token and session stores and the CSRF key, as the
// members of one deployment do.

const chat = 42;
// The members of a deployment read one key from `cluster_secrets`.
const csrfKey = randomBytes(32);
const logLines: string[] = [];
const logger = (member: string) =>
  pino({ level: 'debug', base: { member } }, { write: (line: string) => void logLines.push(line) });

let hA: AdminHarness;
let hB: AdminHarness;
let a: HttpServer;
let b: HttpServer;
const viewA = new FakeClusterView('member-a');
const viewB = new FakeClusterView('member-b');
let closedUrl: string;
let silent: Server;
const silentSockets: Socket[] = [];
const sessionSecret = TokenSecret.generate();

async function call(
  server: HttpServer,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function auditRows(h: AdminHarness, target: string) {
  return (await h.audit.query({ target }, { cursor: undefined, limit: 100 })).items;
}

beforeAll(async () => {
  hB = await AdminHarness.create({ logger: logger('b'), http: { cluster: viewB }, options: { csrfKey } });
  hA = await AdminHarness.create({
    logger: logger('a'),
    http: { cluster: viewA, tokens: hB.tokens, sessions: hB.sessions },
    options: { csrfKey, clusterForwardTimeoutMs: 400 },
  });
  b = await startHttpServer(hB.deps(), { host: '127.0.0.1', port: 0 });
  a = await startHttpServer(hA.deps(), { host: '127.0.0.1', port: 0 });
  hB.addChat(chat, 'Chat on B');
  hB.say(chat, 1, 'Ann', 'hello there');
  hB.say(chat, 2, 'Bob', 'something else');
  await hB.settle();
  viewA.owners.set(chat, { kind: 'remote', memberId: 'member-b', httpUrl: b.url });

  // A port nobody listens on, and a member that accepts and never answers.
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  probe.close();
  await once(probe, 'close');
  silent = createServer((socket) => void silentSockets.push(socket));
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');

  const at = new Date().toISOString();
  const id = TokenSecret.newId();
  await hB.sessions.create(
    {
      id,
      hash: TokenSecret.hash(sessionSecret),
      method: 'oidc',
      subject: 'oidc:olga',
      label: 'olga@example.com',
      role: 'operator',
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      revokedAt: null,
      ip: '127.0.0.1',
      userAgent: null,
    },
    localAuditRecord({
      actor: { tokenId: 'test', label: 'test set-up', role: 'admin' },
      action: 'login',
      target: `session:${id}`,
      atMs: 0,
    }),
  );
});

afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  silent?.close();
  await a?.close();
  await b?.close();
  await hA?.close();
  await hB?.close();
});

describe('calls about one chat in cluster mode', () => {
  it('serves a read on the member that owns the chat and relays its answer', async () => {
    const direct = await call(b, 'GET', `/api/chats/${chat}/settings`, { token: hB.tokenFor.viewer });
    expect(direct.status).toBe(200);
    const via = await call(a, 'GET', `/api/chats/${chat}/settings`, { token: hB.tokenFor.viewer });
    expect(via.status).toBe(200);
    expect(via.headers.get('content-type')).toContain('application/json');
    expect(via.body).toEqual(direct.body);
    // A itself knows no chat 42: had it run the route, the answer would be 404.
    viewA.owners.set(chat, { kind: 'local' });
    try {
      const local = await call(a, 'GET', `/api/chats/${chat}/settings`, { token: hB.tokenFor.viewer });
      expect(local.status).toBe(404);
    } finally {
      viewA.owners.set(chat, { kind: 'remote', memberId: 'member-b', httpUrl: b.url });
    }
  });

  it('keeps the query string', async () => {
    const via = await call(a, 'GET', `/api/chats/${chat}/messages?q=hello`, { token: hB.tokenFor.viewer });
    expect(via.status).toBe(200);
    const texts = (via.body.items as Array<{ text: string }>).map((m) => m.text);
    expect(texts).toEqual(['hello there']);
  });

  it('runs a change on the owner, whose actor applies it and whose audit log records it once', async () => {
    const via = await call(a, 'PATCH', `/api/chats/${chat}/settings`, {
      token: hB.tokenFor.operator,
      body: { language: 'en' },
    });
    expect(via.status).toBe(200);
    expect(via.body).toMatchObject({ settings: { language: 'en' } });
    const onB = await call(b, 'GET', `/api/chats/${chat}/settings`, { token: hB.tokenFor.viewer });
    expect(onB.body).toMatchObject({ settings: { language: 'en' } });
    const rowsB = (await auditRows(hB, `chat:${chat}`)).filter((r) => r.action === 'chat.settings.update');
    expect(rowsB).toEqual([expect.objectContaining({ outcome: 'ok', statusCode: 200 })]);
    expect(await auditRows(hA, `chat:${chat}`)).toEqual([]);
  });

  it("relays the owner's refusal with its status and code", async () => {
    const via = await call(a, 'PATCH', `/api/chats/${chat}/settings`, {
      token: hB.tokenFor.operator,
      body: { language: 'klingon' },
    });
    expect(via.status).toBe(400);
    expect(via.body).toMatchObject({ code: 'FST_ERR_VALIDATION' });
  });

  it('checks the caller before asking who owns the chat', async () => {
    const before = viewA.asked.length;
    const none = await call(a, 'GET', `/api/chats/${chat}/settings`);
    expect(none.status).toBe(401);
    const low = await call(a, 'PATCH', `/api/chats/${chat}/settings`, {
      token: hB.tokenFor.viewer,
      body: { language: 'ru' },
    });
    expect(low.status).toBe(403);
    expect(viewA.asked.length).toBe(before);
  });

  it('carries a dashboard session and its CSRF token to the owner', async () => {
    const cookie = `lekha_session=${sessionSecret}`;
    const me = await fetch(`${a.url}/api/me`, { headers: { cookie } });
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const csrfCookie = me.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const via = await call(a, 'PATCH', `/api/chats/${chat}/settings`, {
      body: { language: 'ru' },
      headers: { cookie: `${cookie}; ${csrfCookie}`, 'x-csrf-token': csrfToken },
    });
    expect(via.status).toBe(200);
    const rowsB = (await auditRows(hB, `chat:${chat}`)).filter((r) => r.action === 'chat.settings.update');
    // Newest first.
    expect(rowsB[0]).toMatchObject({ outcome: 'ok', actor: { label: 'olga@example.com' } });

    const forged = await call(a, 'PATCH', `/api/chats/${chat}/settings`, {
      body: { language: 'en' },
      headers: { cookie: `${cookie}; ${csrfCookie}` },
    });
    expect(forged.status).toBe(403);
  });

  it('never forwards a call that was already forwarded (503 CHAT_NOT_OWNED)', async () => {
    const res = await call(a, 'GET', `/api/chats/${chat}/settings`, {
      token: hB.tokenFor.viewer,
      headers: { 'x-lekha-forwarded-by': 'member-c' },
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'CHAT_NOT_OWNED', message: expect.stringContaining('member-c') });
  });

  it('stops after one hop when two members each think the other owns a chat', async () => {
    hA.addChat(44, 'Disputed');
    hB.addChat(44, 'Disputed');
    viewA.owners.set(44, { kind: 'remote', memberId: 'member-b', httpUrl: b.url });
    viewB.owners.set(44, { kind: 'remote', memberId: 'member-a', httpUrl: a.url });
    const askedByB = viewB.asked.filter((id) => id === 44).length;
    const res = await call(a, 'GET', '/api/chats/44/settings', { token: hB.tokenFor.viewer });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'CHAT_NOT_OWNED', message: expect.stringContaining('member-a') });
    expect(res.headers.get('retry-after')).toBe('1');
    expect(viewB.asked.filter((id) => id === 44).length).toBe(askedByB + 1);
  });

  it('answers 503 CHAT_NOT_OWNED with Retry-After while the partition changes hands', async () => {
    viewA.owners.set(45, { kind: 'none' });
    const res = await call(a, 'PATCH', '/api/chats/45/settings', {
      token: hB.tokenFor.operator,
      body: { language: 'en' },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ code: 'CHAT_NOT_OWNED' });
  });

  it('answers 502 CLUSTER_FORWARD_FAILED naming the member when the owner is down', async () => {
    viewA.owners.set(46, { kind: 'remote', memberId: 'member-c', httpUrl: closedUrl });
    const res = await call(a, 'PATCH', '/api/chats/46/settings', {
      token: hB.tokenFor.operator,
      body: { language: 'en' },
    });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'CLUSTER_FORWARD_FAILED', message: expect.stringContaining('member-c') });
    expect(JSON.stringify(res.body)).not.toContain(hB.tokenFor.operator);
  });

  it('answers 502 when the owner does not answer in time', async () => {
    const port = (silent.address() as { port: number }).port;
    viewA.owners.set(47, { kind: 'remote', memberId: 'member-d', httpUrl: `http://127.0.0.1:${port}` });
    const res = await call(a, 'GET', '/api/chats/47', { token: hB.tokenFor.viewer });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'CLUSTER_FORWARD_FAILED',
      message: expect.stringContaining('no answer within 400 ms'),
    });
  });

  it('answers 502 for an owner that advertises no address', async () => {
    viewA.owners.set(48, { kind: 'remote', memberId: 'member-e', httpUrl: null });
    const res = await call(a, 'GET', '/api/chats/48', { token: hB.tokenFor.viewer });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'CLUSTER_FORWARD_FAILED', message: expect.stringContaining('member-e') });
  });

  it('leaves calls about no single chat alone', async () => {
    const before = viewA.asked.length;
    const res = await call(a, 'GET', '/api/chats', { token: hB.tokenFor.viewer });
    expect(res.status).toBe(200);
    expect(viewA.asked.length).toBe(before);
  });

  it('counts forwarded calls by outcome', () => {
    const count = (outcome: string) =>
      (hA.metrics.get('lekha_cluster_chat_calls_forwarded_total', { outcome }) as { value: number } | undefined)?.value;
    expect(count('relayed')).toBeGreaterThanOrEqual(5);
    expect(count('failed')).toBe(3);
    expect(count('not_owned')).toBe(2);
  });

  it('writes no token, session secret or CSRF value to either log', () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('\n');
    expect(all).toContain('CLUSTER_FORWARD_FAILED');
    for (const secret of [...Object.values(hB.tokenFor), sessionSecret]) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/authorization|cookie|csrf-token/i);
  });
});
