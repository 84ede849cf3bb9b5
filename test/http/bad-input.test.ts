import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, type ChatDirectory, type Role } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { PostgresAdmin, storedChat } from './postgres-admin.js';

let pg: PostgresAdmin;

beforeAll(async () => {
  pg = await PostgresAdmin.open('bad_input');
});

afterAll(async () => {
  await pg.close();
});

const chat = storedChat.id;
const user = storedChat.memberId;
const cursor = (key: unknown[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Call {
  method: Method;
  url: string;
  role: Role;
  body?: unknown;
}

/** What a driver's error text looks like: the database's name, its parser's words, SQLSTATE codes. */
const driverText = /postgres|syntax|sqlstate|\b(?:08|22|23|25|40|42|53|54|57|XX)[0-9A-Z]{3}\b/i;

function expectClear400(res: LightMyRequestResponse, field: string): void {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as { statusCode: number; code: string; message: string };
  expect(body.statusCode).toBe(400);
  expect(body.message).toContain(field);
  expect(res.body).not.toMatch(driverText);
}

// Every route that takes a chat id in the path, with a body it would accept.
const chatIdRoutes = (id: string): Call[] => [
  { method: 'GET', url: `/api/chats/${id}`, role: 'viewer' },
  { method: 'GET', url: `/api/chats/${id}/settings`, role: 'viewer' },
  { method: 'GET', url: `/api/chats/${id}/prompt`, role: 'operator' },
  { method: 'GET', url: `/api/chats/${id}/users`, role: 'viewer' },
  { method: 'GET', url: `/api/chats/${id}/users/${user}`, role: 'viewer' },
  { method: 'DELETE', url: `/api/chats/${id}/users/${user}/memories`, role: 'admin' },
  { method: 'GET', url: `/api/chats/${id}/messages`, role: 'viewer' },
  { method: 'POST', url: `/api/chats/${id}/mode`, role: 'operator', body: { mode: 'active' } },
  { method: 'PATCH', url: `/api/chats/${id}/settings`, role: 'operator', body: { language: 'en' } },
  { method: 'POST', url: `/api/chats/${id}/release`, role: 'operator' },
];
const userIdRoutes = (id: string): Call[] => [
  { method: 'GET', url: `/api/chats/${chat}/users/${id}`, role: 'viewer' },
  { method: 'DELETE', url: `/api/chats/${chat}/users/${id}/memories`, role: 'admin' },
];

const hugeIds = ['9223372036854775808', '1e23', '-1e23', '4503599627370497'];
const nul = encodeURIComponent('cat\u0000dog');

const cases: Array<[string, Call, string]> = [
  ...hugeIds.flatMap((id) => chatIdRoutes(id).map((c): [string, Call, string] => [`chat id ${id}`, c, 'params/id'])),
  ...hugeIds.flatMap((id) =>
    userIdRoutes(id).map((c): [string, Call, string] => [`user id ${id}`, c, 'params/userId']),
  ),
  ...hugeIds.map((id): [string, Call, string] => [
    `user=${id}`,
    { method: 'GET', url: `/api/chats/${chat}/messages?user=${id}`, role: 'viewer' },
    'querystring/user',
  ]),
  ...hugeIds.map((id): [string, Call, string] => [
    `chat=${id}`,
    { method: 'GET', url: `/api/export?chat=${id}&format=json&kind=messages`, role: 'admin' },
    'querystring/chat',
  ]),
  ...hugeIds.map((id): [string, Call, string] => [
    `chat=${id}`,
    { method: 'GET', url: `/api/dead-letters?chat=${id}`, role: 'viewer' },
    'querystring/chat',
  ]),
  ['NUL in q', { method: 'GET', url: `/api/chats/${chat}/messages?q=${nul}`, role: 'viewer' }, 'querystring/q'],
  ['NUL in query', { method: 'GET', url: `/api/chats?query=${nul}`, role: 'viewer' }, 'querystring/query'],
  [
    'NUL in query',
    { method: 'GET', url: `/api/chats/${chat}/users?query=${nul}`, role: 'viewer' },
    'querystring/query',
  ],
  ['NUL in an audit filter', { method: 'GET', url: `/api/audit?target=${nul}`, role: 'admin' }, 'querystring/target'],
  ['NUL in an audit filter', { method: 'GET', url: `/api/audit?action=${nul}`, role: 'admin' }, 'querystring/action'],
  ['NUL in an audit filter', { method: 'GET', url: `/api/audit?actor=${nul}`, role: 'admin' }, 'querystring/actor'],
  ...[
    [1.5, 2.5],
    [1e300, 1],
  ].flatMap((key): Array<[string, Call, string]> => [
    [
      `cursor ${JSON.stringify(key)}`,
      { method: 'GET', url: `/api/chats?cursor=${cursor(key)}`, role: 'viewer' },
      'cursor',
    ],
    [
      `cursor ${JSON.stringify(key)}`,
      { method: 'GET', url: `/api/chats/${chat}/users?cursor=${cursor(key)}`, role: 'viewer' },
      'cursor',
    ],
    [
      `cursor ${JSON.stringify(key)}`,
      { method: 'GET', url: `/api/chats/${chat}/messages?cursor=${cursor(key)}`, role: 'viewer' },
      'cursor',
    ],
    [
      `cursor ${JSON.stringify(key)}`,
      { method: 'GET', url: `/api/audit?cursor=${cursor(key.slice(0, 1))}`, role: 'admin' },
      'cursor',
    ],
  ]),
  // A safe integer, but no date: message cursors carry a time in ms.
  [
    'cursor [8.7e15,1]',
    { method: 'GET', url: `/api/chats/${chat}/messages?cursor=${cursor([8.7e15, 1])}`, role: 'viewer' },
    'cursor',
  ],
  [
    'a lone surrogate in a banned word',
    {
      method: 'PATCH',
      url: `/api/chats/${chat}/settings`,
      role: 'operator',
      body: { bannedWords: ['ok', 'bad\uD800'] },
    },
    'body/bannedWords/1',
  ],
  [
    'a lone low surrogate in a banned word',
    { method: 'PATCH', url: `/api/chats/${chat}/settings`, role: 'operator', body: { bannedWords: ['\uDC00x'] } },
    'body/bannedWords/0',
  ],
  [
    'a lone surrogate in a token label',
    { method: 'POST', url: '/api/tokens', role: 'admin', body: { role: 'admin', label: 'ops \uD800' } },
    'body/label',
  ],
  [
    'NUL in a token label',
    { method: 'POST', url: '/api/tokens', role: 'admin', body: { role: 'viewer', label: 'ops\u0000' } },
    'body/label',
  ],
];

describe('bad input on the admin API (Postgres-backed stores)', () => {
  it.each(cases.map(([what, call, field]) => [what, `${call.method} ${call.url.split('?')[0]}`, call, field] as const))(
    'answers %s on %s with a 400 that names the field and no driver text',
    async (_what, _route, call, field) => {
      const res = await pg.request(call.method, call.url, { role: call.role, body: call.body });
      expectClear400(res, field);
    },
  );

  it('keeps a chat\u2019s settings and the token table untouched by refused input', async () => {
    const before = (await pg.request('GET', `/api/chats/${chat}/settings`, { role: 'viewer' })).json();
    const tokensBefore = await pg.tokens.list();
    await pg.request('PATCH', `/api/chats/${chat}/settings`, {
      role: 'operator',
      body: { bannedWords: ['bad\uD800'] },
    });
    await pg.request('POST', '/api/tokens', { role: 'admin', body: { role: 'admin', label: 'ops \uD800' } });
    expect((await pg.request('GET', `/api/chats/${chat}/settings`, { role: 'viewer' })).json()).toEqual(before);
    expect(await pg.tokens.list()).toEqual(tokensBefore);
  });

  it('still accepts the largest valid ids, emoji and non-Latin text', async () => {
    expect((await pg.request('GET', `/api/chats/${-(2 ** 52)}`, { role: 'viewer' })).statusCode).toBe(404);
    expect((await pg.request('GET', `/api/chats/${chat}/users/${2 ** 52 - 1}`, { role: 'viewer' })).statusCode).toBe(
      404,
    );
    const search = await pg.request('GET', `/api/chats/${chat}/messages?q=${encodeURIComponent('hello 😀 ёжик')}`, {
      role: 'viewer',
    });
    expect(search.statusCode).toBe(200);
    const patched = await pg.request('PATCH', `/api/chats/${chat}/settings`, {
      role: 'operator',
      body: { bannedWords: ['😀', 'ёж'] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().settings.bannedWords).toEqual(['😀', 'ёж']);
  });
});

describe('content type of every JSON answer', () => {
  const fill = (path: string): string =>
    path.replace('{id}', String(chat)).replace('{userId}', String(user)).replace('{tokenId}', 'abc123');

  it('is application/json on every documented route, on success, refusal and error alike', async () => {
    const doc = (await pg.request('GET', '/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => [m.toUpperCase() as Method, path] as const),
    );
    expect(routes.length).toBeGreaterThan(20);
    const checked: string[] = [];
    for (const [method, path] of routes) {
      if (path === '/metrics') continue; // Prometheus text, not JSON
      const url = fill(path);
      const asAdmin = await pg.request(method, url, {
        role: 'admin',
        body: method === 'POST' || method === 'PATCH' ? {} : undefined,
      });
      const anonymous = await pg.request(method, url);
      for (const res of [asAdmin, anonymous]) {
        if (res.body.length === 0 || res.headers['content-type']?.toString().startsWith('text/csv')) continue;
        expect(res.headers['content-type'], `${method} ${url} → ${res.statusCode}`).toMatch(/^application\/json/);
        expect(() => JSON.parse(res.body), `${method} ${url}`).not.toThrow();
        checked.push(`${method} ${path} ${res.statusCode}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['GET /api/stats 200', 'GET /healthz 200', 'GET /readyz 200', 'GET /api/stats 401']),
    );
    for (const url of ['/nope', '/api/nope', '/docs/json']) {
      expect((await pg.request('GET', url, { role: 'admin' })).headers['content-type']).toMatch(/^application\/json/);
    }
  });
});

describe('errors the admin API did not expect', () => {
  it('answer a generic 500 without the driver\u2019s text, which goes to the server log', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }),
    );
    const h = await AdminHarness.create({ logger });
    const deps = h.deps();
    // A real driver error: what a query with an out-of-range value raises.
    const failing = {
      ...deps.directory,
      getChat: () => pg.db.query('SELECT $1::bigint', ['1e23']).then(() => undefined),
    };
    const app = await buildHttpApp({ ...deps, directory: failing as ChatDirectory });
    try {
      const res = await h.request(app, 'GET', '/api/chats/-100', { role: 'viewer' });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({
        statusCode: 500,
        code: 'INTERNAL',
        error: 'Internal Server Error',
        message: 'internal error; the server log has the details',
      });
      expect(lines.some((l) => l.includes('invalid input syntax for type bigint'))).toBe(true);
    } finally {
      await app.close();
      await h.close();
    }
  });

  it('keep a 4xx status but not a message that was not written for API callers', async () => {
    const h = await AdminHarness.create();
    const deps = h.deps();
    const driverish = Object.assign(new Error('invalid input syntax for type bigint: "x"'), {
      statusCode: 400,
      code: '22P02',
    });
    const app = await buildHttpApp({
      ...deps,
      directory: { ...deps.directory, getChat: () => Promise.reject(driverish) } as ChatDirectory,
    });
    try {
      const res = await h.request(app, 'GET', '/api/chats/-100', { role: 'viewer' });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toMatch(driverText);
    } finally {
      await app.close();
      await h.close();
    }
  });
});
