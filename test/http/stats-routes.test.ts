import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, RecentErrorLog } from '../../src/http/index.js';
import { AnomalyLog } from '../../src/actors/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';

let h: AdminHarness;
let app: HttpApp;
let clock: ManualClock;
const errors = new RecentErrorLog();
const anomalies = new AnomalyLog(3);

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  h = await AdminHarness.create({
    clock,
    http: {
      errors,
      anomalies,
      breakers: {
        breakers: () => [
          { name: 'groq', state: 'open', since: new Date(Date.UTC(2026, 0, 1)).toISOString(), failures: 5 },
        ],
      },
    },
    options: { sampleMs: 1000 },
  });
  app = await h.app();
  for (let c = 1; c <= 3; c++) h.addChat(-c, `Chat ${c}`);
});

afterAll(async () => {
  await app.close();
  await h.close();
});

describe('/api/stats and /api/stats/history', () => {
  it('shows updates/s, replies/s, LLM latency and active chats of the runtime as it works', async () => {
    for (let i = 0; i < 10; i++) h.say(-(1 + (i % 3)), 1, 'Ann', i % 2 === 0 ? 'Лёха, привет' : 'просто так');
    await h.settle();
    await clock.advance(1000);
    const stats = (await h.request(app, 'GET', '/api/stats', { role: 'viewer' })).json();
    expect(stats.throughput).toMatchObject({
      updates: 10,
      updatesPerS: 10,
      replies: 5,
      repliesPerS: 5,
      turns: 15,
      turnsPerS: 15,
    });
    expect(stats.actors).toMatchObject({ live: 3, total: 3, quarantined: 0 });
    expect(stats.sample).toMatchObject({ t: clock.now(), updatesPerS: 10, repliesPerS: 5, activeChats: 3 });
    expect(stats.llm.latencyMs.count).toBe(5);
    expect(stats.counters.lekha_turns_total).toBe(15);
    expect(stats.histograms.lekha_turn_latency_ms.count).toBe(15);

    h.say(-1, 2, 'Bob', 'ещё');
    await h.settle();
    await clock.advance(1000);
    const history = (await h.request(app, 'GET', '/api/stats/history', { role: 'viewer' })).json();
    expect(history).toMatchObject({ sampleMs: 1000, updatesPerS: [10, 1], repliesPerS: [5, 0], activeChats: [3, 3] });
    const since = (await h.request(app, 'GET', `/api/stats/history?since=${history.t[0]}`, { role: 'viewer' })).json();
    expect(since.t).toEqual([history.t[1]]);
  });

  it('rejects a since that is not a number', async () => {
    const res = await h.request(app, 'GET', '/api/stats/history?since=yesterday', { role: 'viewer' });
    expect(res.statusCode).toBe(400);
  });

  it('exposes the same runtime figures to Prometheus', async () => {
    const text = (await app.inject('/metrics')).body;
    expect(text).toMatch(/^lekha_telegram_updates_received_total 11$/m);
    expect(text).toMatch(/^lekha_actors_live 3$/m);
    expect(text).toMatch(/^lekha_turn_latency_ms_count \d+$/m);
  });

  it('answers every caller of one sampling tick with the same bytes, and 304 to a caller that has them', async () => {
    await clock.advance(1000);
    const viewer = await h.request(app, 'GET', '/api/stats', { role: 'viewer' });
    h.say(-1, 3, 'Cid', 'между тиками');
    await h.settle();
    const admin = await h.request(app, 'GET', '/api/stats', { role: 'admin' });
    expect(viewer.statusCode).toBe(200);
    expect(admin.body).toBe(viewer.body);
    const etag = viewer.headers.etag as string;
    expect(admin.headers.etag).toBe(etag);
    expect(viewer.headers['cache-control']).toBe('private, no-cache');
    expect(viewer.headers['content-type']).toBe('application/json; charset=utf-8');

    const unchanged = await h.request(app, 'GET', '/api/stats', {
      role: 'viewer',
      headers: { 'if-none-match': etag },
    });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(etag);
    const stale = await h.request(app, 'GET', '/api/stats', {
      role: 'viewer',
      headers: { 'if-none-match': '"other"' },
    });
    expect(stale.statusCode).toBe(200);

    await clock.advance(1000);
    const next = await h.request(app, 'GET', '/api/stats', { role: 'viewer', headers: { 'if-none-match': etag } });
    expect(next.statusCode).toBe(200);
    expect(next.headers.etag).not.toBe(etag);
    expect(next.json().throughput.updates).toBe(viewer.json().throughput.updates + 1);
  });

  it('still refuses a caller without a token, whatever it has cached', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/stats', headers: { 'if-none-match': '*' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('/api/alerts', () => {
  it('lists quarantined chats, circuit breakers and recent errors, newest first', async () => {
    h.addChat(-9, 'Broken');
    h.unreadable.add(-9);
    h.say(-9, 1, 'Ann', 'hi');
    await h.settle();
    errors.write(
      JSON.stringify({
        level: 50,
        time: Date.UTC(2026, 0, 1, 10),
        msg: 'actor turn failed',
        key: -9,
        err: { message: 'boom', code: 'E_BOOM' },
      }),
    );
    errors.write(
      JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 1, 11), msg: 'Groq rate limited', reason: '429' }),
    );
    const alerts = (await h.request(app, 'GET', '/api/alerts?errors=5', { role: 'viewer' })).json();
    expect(alerts.quarantined).toEqual([
      { chatId: -9, reason: expect.stringContaining('SNAPSHOT_CORRUPT'), until: expect.any(String) },
    ]);
    expect(alerts.breakers).toEqual([{ name: 'groq', state: 'open', since: '2026-01-01T00:00:00.000Z', failures: 5 }]);
    expect(alerts.recentErrors).toEqual([
      { at: '2026-01-01T11:00:00.000Z', level: 'warn', message: 'Groq rate limited', code: null, detail: 'reason=429' },
      {
        at: '2026-01-01T10:00:00.000Z',
        level: 'error',
        message: 'actor turn failed',
        code: 'E_BOOM',
        detail: 'boom — key=-9',
      },
    ]);
    expect(alerts.counters).toEqual({ deadLetters: 0, persistFailures: 0, overflowRejected: 0, restarts: 0 });
  });

  it('lists raids and takeovers, newest first, with what the bot did and the last few only', async () => {
    const raid = {
      chatId: -9,
      kind: 'join_burst' as const,
      atMs: Date.UTC(2026, 0, 1, 12),
      detail: '14 joins in 1 minute, baseline 0.02 (z 13.8)',
      observed: 14,
      expected: 0.02,
      suspects: 14,
      action: 'restrict' as const,
      status: 'pending' as const,
      outcome: null,
    };
    const first = anomalies.record(raid);
    anomalies.record({ ...raid, kind: 'new_member_links', atMs: raid.atMs + 1000 });
    anomalies.record({ ...raid, kind: 'takeover', atMs: raid.atMs + 2000, action: 'notify_admins', suspects: 1 });
    anomalies.settle(first, 'refused', 'the bot is not a chat admin allowed to restrict members');
    let alerts = (await h.request(app, 'GET', '/api/alerts?anomalies=2', { role: 'viewer' })).json();
    expect(alerts.anomalies.map((a: { kind: string }) => a.kind)).toEqual(['takeover', 'new_member_links']);
    alerts = (await h.request(app, 'GET', '/api/alerts', { role: 'viewer' })).json();
    expect(alerts.anomalies[2]).toEqual({
      id: first,
      chatId: -9,
      kind: 'join_burst',
      at: '2026-01-01T12:00:00.000Z',
      detail: raid.detail,
      observed: 14,
      expected: 0.02,
      suspects: 14,
      action: 'restrict',
      status: 'refused',
      outcome: 'the bot is not a chat admin allowed to restrict members',
    });
    // The log keeps the last three: a fourth pushes the oldest out.
    anomalies.record({ ...raid, atMs: raid.atMs + 3000 });
    alerts = (await h.request(app, 'GET', '/api/alerts', { role: 'viewer' })).json();
    expect(alerts.anomalies).toHaveLength(3);
    expect(alerts.anomalies.some((a: { id: number }) => a.id === first)).toBe(false);
    const bad = await h.request(app, 'GET', '/api/alerts?anomalies=500', { role: 'viewer' });
    expect(bad.statusCode).toBe(400);
  });
});
