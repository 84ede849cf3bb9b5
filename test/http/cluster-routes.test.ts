import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { FakeClusterView, threeMemberStatus } from '../support/fake-cluster-view.js';

const now = Date.UTC(2026, 0, 1);

describe('GET /api/cluster and the cluster readiness check', () => {
  let clustered: AdminHarness;
  let single: AdminHarness;
  let app: HttpApp;
  let alone: HttpApp;
  const view = new FakeClusterView('member-a', threeMemberStatus(now));

  beforeAll(async () => {
    clustered = await AdminHarness.create({ clock: new ManualClock(now), http: { cluster: view } });
    single = await AdminHarness.create({ clock: new ManualClock(now) });
    app = await clustered.app();
    alone = await single.app();
  });

  afterAll(async () => {
    await app.close();
    await alone.close();
    await clustered.close();
    await single.close();
  });

  it('says cluster mode is off for a single process', async () => {
    const res = await single.request(alone, 'GET', '/api/cluster', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ enabled: false });
  });

  it('shows the members with their partitions, leader and heartbeat age, and every lease with its lag', async () => {
    const res = await clustered.request(app, 'GET', '/api/cluster', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ enabled: true, memberId: 'member-a', partitions: 4, leader: 'member-a' });
    expect(body.members).toEqual([
      expect.objectContaining({
        id: 'member-a',
        partitions: [0, 1],
        leader: true,
        stopping: false,
        heartbeatAgeMs: 200,
      }),
      expect.objectContaining({ id: 'member-b', partitions: [2], leader: false, heartbeatAgeMs: 1500 }),
      expect.objectContaining({ id: 'member-c', partitions: [], stopping: true, heartbeatAgeMs: 4200 }),
    ]);
    expect(body.members[1]).toEqual({
      id: 'member-b',
      httpUrl: 'http://member-b.internal:8080',
      startedAtMs: now - 3_600_000,
      heartbeatAtMs: now - 1500,
      heartbeatAgeMs: 1500,
      stopping: false,
      partitions: [2],
      leader: false,
    });
    expect(body.partitionLeases).toEqual(threeMemberStatus(now).partitionLeases);
  });

  it('documents both answers in the OpenAPI document', async () => {
    const doc = app.swagger() as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    const ok = JSON.stringify(doc.paths['/api/cluster']?.get.responses['200']);
    for (const field of ['enabled', 'members', 'partitionLeases', 'heartbeatAgeMs', 'lag', 'epoch']) {
      expect(ok).toContain(field);
    }
  });

  it('answers 503 CLUSTER_UNAVAILABLE when the lease table cannot be read, without the driver text', async () => {
    view.current = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    try {
      const res = await clustered.request(app, 'GET', '/api/cluster', { role: 'viewer' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'CLUSTER_UNAVAILABLE' });
      expect(res.body).not.toContain('hunter2');
    } finally {
      view.current = threeMemberStatus(now);
    }
  });

  it('adds a cluster check to /readyz: ready while the member takes part, 503 with the reason when not', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toContainEqual({ name: 'cluster', ready: true, reason: null });

    view.ready = { ready: false, reason: 'leases lost: Postgres unreachable for 6 s' };
    try {
      const notReady = await app.inject({ method: 'GET', url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toEqual({
        status: 'not_ready',
        checks: [{ name: 'cluster', ready: false, reason: 'leases lost: Postgres unreachable for 6 s' }],
      });
    } finally {
      view.ready = { ready: true };
    }
  });

  it('has no cluster check without cluster mode', async () => {
    const res = await alone.inject({ method: 'GET', url: '/readyz' });
    expect(res.json().checks).not.toContainEqual(expect.objectContaining({ name: 'cluster' }));
  });

  it('serves chats locally without asking when the view says this member owns them', async () => {
    clustered.addChat(-77, 'Local chat');
    clustered.say(-77, 1, 'Ann', 'hello');
    await clustered.settle();
    const res = await clustered.request(app, 'GET', '/api/chats/-77/settings', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(view.asked).toContain(-77);
  });

  it('sends every route about one chat through the owner check, whatever its method', async () => {
    view.owners.set(-66, { kind: 'none' });
    const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const calls = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/chats/{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
    expect(calls.length).toBeGreaterThanOrEqual(15);
    for (const { method, path } of calls) {
      const url = path.replace('{id}', '-66').replace('{userId}', '7').replace('{name}', 'weather');
      const res = await clustered.request(app, method as 'GET', url, { role: 'admin' });
      expect(res.statusCode, `${method} ${path}`).toBe(503);
      expect(res.json(), `${method} ${path}`).toMatchObject({ code: 'CHAT_NOT_OWNED' });
      expect(res.headers['retry-after'], `${method} ${path}`).toBe('1');
    }
  });
});
