import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { launchChromium } from '../support/chromium.js';
import { FakeClusterView, threeMemberStatus } from '../support/fake-cluster-view.js';

// The Cluster page in Chromium over the real route, with the cluster as a
// fake view reports it: members with their partitions, the leader and a
// stopping member, every lease with its owner, epoch and lag; the page
// follows a change of owner on its own, and a single process has no page.

let clustered: AdminHarness;
let single: AdminHarness;
let clusterServer: HttpServer;
let singleServer: HttpServer;
let browser: Browser;
// A clock that stands still, so heartbeat ages are exact.
const now = Date.UTC(2026, 0, 1, 12);
const view = new FakeClusterView('member-a', threeMemberStatus(now));
const problems: string[] = [];

beforeAll(async () => {
  clustered = await AdminHarness.create({ clock: new ManualClock(now), http: { cluster: view } });
  single = await AdminHarness.create();
  clusterServer = await startHttpServer(clustered.deps(), { host: '127.0.0.1', port: 0 });
  singleServer = await startHttpServer(single.deps(), { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await clusterServer?.close();
  await singleServer?.close();
  await clustered?.close();
  await single?.close();
});

async function open(server: HttpServer, hash: string, token: string, locale = 'en-GB'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 4')) problems.push(m.text());
  });
  await page.goto(`${server.url}/${hash}`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  return page;
}

describe('the Cluster page', () => {
  it('shows the members with their partitions and the leader, and every partition lease', async () => {
    const page = await open(clusterServer, '#/cluster', clustered.tokenFor.viewer);
    try {
      await page.waitForSelector('#cluster-members tr[data-member]');
      expect(await page.locator('nav a[data-nav=cluster]').count()).toBe(1);
      expect(await page.locator('#cluster-members tr[data-member]').count()).toBe(3);

      const a = page.locator('#cluster-members tr[data-member=member-a]');
      expect(await a.getAttribute('data-leader')).toBe('true');
      expect(await a.locator('[data-badge=leader]').textContent()).toBe('Leader');
      expect(await a.locator('[data-count]').textContent()).toBe('2');
      expect(await a.locator('[data-partitions]').textContent()).toBe('0–1');
      expect(await a.textContent()).toContain('(this process)');

      const b = page.locator('#cluster-members tr[data-member=member-b]');
      expect(await b.locator('[data-badge=leader]').count()).toBe(0);
      expect(await b.textContent()).toContain('1.5 s');
      const c = page.locator('#cluster-members tr[data-member=member-c]');
      expect(await c.getAttribute('data-stopping')).toBe('true');
      expect(await c.textContent()).toContain('stopping');

      expect(await page.locator('#cluster-partitions tr[data-partition]').count()).toBe(4);
      const p1 = await page.locator('#cluster-partitions tr[data-partition="1"] td').allTextContents();
      expect(p1.slice(0, 4)).toEqual(['1', 'member-a', '1', '12']);
      const p3 = await page.locator('#cluster-partitions tr[data-partition="3"] td').allTextContents();
      expect(p3).toEqual(['3', 'nobody', '2', '—', '—']);
      expect(await page.textContent('[data-card=unowned] .value')).toBe('1');
      expect(await page.textContent('[data-card=lag] .value')).toBe('17');

      // Partition 3 finds an owner: the page shows it without a reload.
      const next = threeMemberStatus(now);
      view.current = {
        ...next,
        members: next.members.map((m) => (m.id === 'member-b' ? { ...m, partitions: [2, 3] } : m)),
        partitionLeases: next.partitionLeases.map((p) =>
          p.partition === 3 ? { ...p, owner: 'member-b', epoch: 3, expiresAtMs: now + 5000, lag: 0 } : p,
        ),
      };
      await page.waitForSelector('#cluster-partitions tr[data-partition="3"][data-owner=member-b]', {
        timeout: 10_000,
      });
      expect(await b.locator('[data-partitions]').textContent()).toBe('2–3');
      expect(await page.textContent('[data-card=unowned] .value')).toBe('0');
    } finally {
      await page.close();
    }
  });

  it('speaks Russian', async () => {
    const page = await open(clusterServer, '#/cluster', clustered.tokenFor.viewer, 'ru-RU');
    try {
      await page.waitForSelector('#cluster-members tr[data-member]');
      expect(await page.textContent('nav a[data-nav=cluster]')).toBe('Кластер');
      expect(await page.textContent('#cluster-members [data-badge=leader]')).toBe('Лидер');
    } finally {
      await page.close();
    }
  });

  it('has no Cluster entry for a single process', async () => {
    const page = await open(singleServer, '#/overview', single.tokenFor.viewer);
    try {
      await page.waitForSelector('nav a[data-nav=overview]');
      expect(await page.locator('nav a[data-nav=cluster]').count()).toBe(0);
      await page.goto(`${singleServer.url}/#/cluster`);
      await page.waitForSelector('#cluster-off');
    } finally {
      await page.close();
    }
  });

  it('raised no script errors', () => {
    expect(problems).toEqual([]);
  });
});
