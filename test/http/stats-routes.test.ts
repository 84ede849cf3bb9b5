import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, RecentErrorLog } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';

let h: AdminHarness;
let app: HttpApp;
let clock: ManualClock;
const errors = new RecentErrorLog();

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 0, 1));
  h = await AdminHarness.create({
    clock,
    http: {
      errors,
      breakers: {
        breakers: () => [
          { name: 'groq', state: 'open', since: new Date(Date.UTC(2026, 0, 1)).toISOString(), failures: 5 },
        ],
      },
    },
    options: { sampleMs: 1000, statsCacheMs: 0 },
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
});
