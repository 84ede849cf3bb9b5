import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, createLogger, loadConfig } from '../../src/config/index.js';
import { type Runtime, startRuntime } from '../../src/main.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { CookieClient, type Hop } from '../support/cookie-client.js';
import { emulatorEnv, freePort, RELAXED_LIMITS } from '../support/edge-harness.js';
import { OidcTestProvider } from '../support/oidc-test-provider.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

const CLIENT_SECRET = 'oidc-client-secret-for-login-tests-0123456789';
const ADMIN_TOKEN = 'admin-token-for-login-tests-000001';

/** Every log line the runtimes of this file wrote, as `lekha start` would write them. */
const lines: string[] = [];
/** Values that must never reach a log line: the client secret, codes, states, session ids, CSRF tokens. */
const secrets = new Set<string>([CLIENT_SECRET]);

let botApi: BotApiEmulator;
let groq: GroqEmulator;
let idp: OidcTestProvider;
let schema: TestSchema;
let config: Config;
let runtime: Runtime;
let base: string;

async function start(): Promise<Runtime> {
  const logger = createLogger(config, { destination: { write: (line: string) => void lines.push(line) } });
  return startRuntime(config, logger, {
    random: () => 0.999,
    telegramLimits: RELAXED_LIMITS,
    polling: { timeoutS: 1, retryMinMs: 50 },
  });
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await OidcTestProvider.start({
    clientSecret: CLIENT_SECRET,
    redirectUri: `${base}/auth/oidc/callback`,
    accounts: [
      { id: 'alice', email: 'Alice@Example.com' },
      { id: 'bob', email: 'bob@elsewhere.org', groups: ['ops'] },
      { id: 'carol', email: 'carol@elsewhere.org', groups: ['marketing'] },
      // Claims an admin's address without the provider vouching for it.
      { id: 'mallory', email: 'alice@example.com', emailVerified: false },
    ],
  });
  botApi = await BotApiEmulator.start({ limits: false });
  groq = await GroqEmulator.start({ latency: 5 });
  schema = await createTestSchema('admin_login_oidc');
  config = loadConfig({
    ...emulatorEnv(botApi, groq),
    DATABASE_URL: schema.url,
    HTTP_PORT: String(port),
    LOG_LEVEL: 'trace',
    ADMIN_TOKEN,
    PUBLIC_URL: base,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_ROLES: 'admin:alice@example.com,operator:group:ops',
  });
  runtime = await start();
});

afterAll(async () => {
  await runtime?.stop();
  await Promise.all([idp?.close(), botApi?.close(), groq?.close()]);
  await schema?.drop();
});

/** Logs in through the identity provider as `account`; answers every hop and the browser. */
async function logIn(account: string, client = new CookieClient()): Promise<{ hops: Hop[]; client: CookieClient }> {
  idp.nextAccount = account;
  const hops = await client.follow(
    `${base}/auth/oidc/start`,
    (next) => next === `${base}/` || next.startsWith(`${base}/?`),
  );
  for (const hop of hops) {
    const url = new URL(hop.url);
    for (const name of ['code', 'state']) {
      const value = url.searchParams.get(name);
      if (value !== null) secrets.add(value);
    }
  }
  const session = client.cookie(base, 'lekha_session');
  if (session !== undefined) secrets.add(session);
  return { hops, client };
}

async function me(client: CookieClient): Promise<{ status: number; body: Record<string, unknown> }> {
  const hop = await client.request(`${base}/api/me`);
  const body = JSON.parse(hop.body) as Record<string, unknown>;
  if (typeof body.csrfToken === 'string') secrets.add(body.csrfToken);
  return { status: hop.status, body };
}

async function auditRows(action: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${base}/api/audit?action=${action}&limit=100`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await res.json()) as { items: Array<Record<string, unknown>> }).items;
}

describe('dashboard login with OpenID Connect against a real provider', () => {
  it('offers OpenID Connect on the login page and no Telegram widget', async () => {
    const res = await fetch(`${base}/auth/methods`);
    expect(await res.json()).toEqual({ oidc: true, telegram: null });
    expect(res.headers.get('content-security-policy')).not.toContain('telegram.org');
  });

  it('runs the code flow with PKCE, state and nonce, and opens an admin session for a mapped e-mail', async () => {
    const { hops, client } = await logIn('alice');
    const authorize = new URL(hops[0]?.location as string);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toMatch(/.{20,}/);
    expect(authorize.searchParams.get('nonce')).toMatch(/.{20,}/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/auth/oidc/callback`);

    const callback = hops.find((hop) => hop.url.startsWith(`${base}/auth/oidc/callback`)) as Hop;
    expect(callback.status).toBe(303);
    expect(callback.location).toBe(`${base}/`);
    const cookie = callback.setCookies.find((c) => c.startsWith('lekha_session=')) as string;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    // PUBLIC_URL is http here: the cookie cannot be Secure or the browser would drop it.
    expect(cookie).not.toMatch(/Secure/i);

    const who = await me(client);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ role: 'admin', label: 'Alice@Example.com', via: 'session' });
    expect(who.body.csrfToken).toEqual(expect.any(String));

    const logins = await auditRows('login');
    expect(logins[0]).toMatchObject({
      action: 'login',
      outcome: 'ok',
      actor: { tokenId: who.body.tokenId, label: 'Alice@Example.com', role: 'admin' },
      details: { method: 'oidc', subject: 'oidc:alice' },
    });
  });

  it('gives the role of a group claim, read from userinfo', async () => {
    const { client } = await logIn('bob');
    expect((await me(client)).body).toMatchObject({ role: 'operator', label: 'bob@elsewhere.org' });
  });

  it('refuses a user the provider knows but no rule maps to a role, and audits why', async () => {
    const { hops, client } = await logIn('carol');
    expect(hops.at(-1)?.location).toBe(`${base}/?login_error=no-role`);
    expect(client.cookie(base, 'lekha_session')).toBeUndefined();
    expect((await me(client)).status).toBe(401);
    expect((await auditRows('login.refused'))[0]).toMatchObject({
      outcome: 'error',
      actor: { tokenId: 'anonymous', label: 'oidc:carol' },
      details: { method: 'oidc', reason: 'no-role' },
    });
  });

  it('does not trust an e-mail the provider has not verified', async () => {
    const { hops, client } = await logIn('mallory');
    expect(hops.at(-1)?.location).toBe(`${base}/?login_error=no-role`);
    expect(client.cookie(base, 'lekha_session')).toBeUndefined();
  });

  it('refuses a callback whose state was tampered with, and the flow cannot be finished afterwards', async () => {
    idp.nextAccount = 'alice';
    const client = new CookieClient();
    const hops = await client.follow(`${base}/auth/oidc/start`, (next) =>
      next.startsWith(`${base}/auth/oidc/callback`),
    );
    const callback = new URL(hops.at(-1)?.location as string);
    const state = callback.searchParams.get('state') as string;
    secrets.add(state);
    secrets.add(callback.searchParams.get('code') as string);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const refused = await client.request(tampered.href);
    expect(refused.location).toBe(`${base}/?login_error=invalid-response`);
    expect(client.cookie(base, 'lekha_session')).toBeUndefined();
    // The untampered answer comes too late: a flow is finished once.
    const replay = await client.request(callback.href);
    expect(replay.location).toBe(`${base}/?login_error=unknown-flow`);
    expect(client.cookie(base, 'lekha_session')).toBeUndefined();
    expect(
      (await auditRows('login.refused')).slice(0, 2).map((row) => (row.details as { reason: string }).reason),
    ).toEqual(['unknown-flow', 'invalid-response']);
  });

  it('refuses a callback that reaches a browser which did not start the login', async () => {
    idp.nextAccount = 'alice';
    const attacker = new CookieClient();
    const hops = await attacker.follow(`${base}/auth/oidc/start`, (next) =>
      next.startsWith(`${base}/auth/oidc/callback`),
    );
    const victim = new CookieClient();
    const answer = await victim.request(hops.at(-1)?.location as string);
    expect(answer.location).toBe(`${base}/?login_error=unknown-flow`);
    expect(victim.cookie(base, 'lekha_session')).toBeUndefined();
  });

  it('asks session calls that change state for the CSRF token, and bearer-token calls for none', async () => {
    const { client } = await logIn('alice');
    const { body } = await me(client);
    const create = (headers: Record<string, string>) =>
      client.request(`${base}/api/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ role: 'viewer', label: 'made from a session' }),
      });
    const without = await create({});
    expect(without.status).toBe(403);
    expect(JSON.parse(without.body)).toMatchObject({ code: 'FST_CSRF_INVALID_TOKEN' });
    const forged = await create({ 'x-csrf-token': 'forged-token-value' });
    expect(forged.status).toBe(403);
    const made = await create({ 'x-csrf-token': body.csrfToken as string });
    expect(made.status).toBe(201);
    secrets.add((JSON.parse(made.body) as { token: string }).token);

    // Another session's token is bound to that session and does not pass here.
    const other = await logIn('alice');
    const otherToken = (await me(other.client)).body.csrfToken as string;
    expect((await create({ 'x-csrf-token': otherToken })).status).toBe(403);

    const bearer = await fetch(`${base}/api/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer', label: 'made by a script' }),
    });
    expect(bearer.status).toBe(201);
    secrets.add(((await bearer.json()) as { token: string }).token);
  });

  it('logs out: the cookie is cleared, the session ends, and the logout is audited', async () => {
    const { client } = await logIn('alice');
    const { body } = await me(client);
    const session = client.cookie(base, 'lekha_session') as string;
    const out = await client.request(`${base}/api/session/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': body.csrfToken as string },
    });
    expect(out.status).toBe(200);
    expect(out.setCookies.some((c) => /^lekha_session=;/.test(c))).toBe(true);
    expect(client.cookie(base, 'lekha_session')).toBeUndefined();
    // The old cookie, replayed, is refused.
    const replay = await fetch(`${base}/api/me`, { headers: { cookie: `lekha_session=${session}` } });
    expect(replay.status).toBe(401);
    expect((await auditRows('session.logout'))[0]).toMatchObject({
      outcome: 'ok',
      target: `session:${String(body.tokenId).slice('session:'.length)}`,
    });
  });

  it('lists live sessions to admins and revokes one at once', async () => {
    const admin = await logIn('alice');
    const adminMe = (await me(admin.client)).body;
    const operator = await logIn('bob');
    const operatorId = String((await me(operator.client)).body.tokenId).slice('session:'.length);

    const list = JSON.parse((await admin.client.request(`${base}/api/sessions`)).body) as {
      items: Array<{ id: string; current: boolean; label: string }>;
    };
    expect(list.items).toContainEqual(
      expect.objectContaining({ id: operatorId, label: 'bob@elsewhere.org', current: false }),
    );
    expect(list.items.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(operator.client.cookie(base, 'lekha_session'));
    // An operator may not list sessions.
    expect((await operator.client.request(`${base}/api/sessions`)).status).toBe(403);

    const revoked = await admin.client.request(`${base}/api/sessions/${operatorId}`, {
      method: 'DELETE',
      headers: { 'x-csrf-token': adminMe.csrfToken as string },
    });
    expect(revoked.status).toBe(200);
    expect((await me(operator.client)).status).toBe(401);
    expect((await auditRows('session.revoke'))[0]).toMatchObject({ target: `session:${operatorId}`, outcome: 'ok' });
  });

  it('keeps sessions across a restart: they live in the database, hashed', async () => {
    const { client } = await logIn('alice');
    const secret = client.cookie(base, 'lekha_session') as string;
    await runtime.stop();
    runtime = await start();
    expect((await me(client)).body).toMatchObject({ role: 'admin', via: 'session' });
    const stored = await runtime.storage?.db.query<{ session_hash: Uint8Array }>(
      'SELECT session_hash FROM admin_sessions',
    );
    const hashes = (stored?.rows ?? []).map((row) => Buffer.from(row.session_hash).toString('hex'));
    expect(hashes.length).toBeGreaterThan(0);
    const { createHash } = await import('node:crypto');
    expect(hashes).toContain(createHash('sha256').update(secret).digest('hex'));
    const everything = await runtime.storage?.db.query('SELECT * FROM admin_sessions');
    expect(JSON.stringify(everything?.rows)).not.toContain(secret);
  });

  it('writes no client secret, code, state, session id or CSRF token to the log', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.includes('dashboard login'))).toBe(true);
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(
        lines.filter((line) => line.includes(secret)),
        `log lines with ${secret.slice(0, 4)}…`,
      ).toEqual([]);
    }
  });
});
