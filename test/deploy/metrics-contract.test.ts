/*
 * The dashboards and alert rules under deploy/ read only what a running Lekha
 * exports: the real runtime (startRuntime, as `lekha start` wires it) on
 * Postgres and Redis, driven through the Bot API and Groq emulators, is
 * scraped on /metrics, and a real Prometheus (the Debian binary) scrapes it
 * with the alert rules loaded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../support/test-services.js';
import { renderDashboards } from '../../scripts/grafana-dashboards.mjs';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const grafanaDir = path.join(repoRoot, 'deploy', 'grafana');
const alertsFile = path.join(repoRoot, 'deploy', 'prometheus', 'alerts.yml');

let h: Harness;
let schema: TestSchema;
let redis: TestRedis;
let dataDir: string;

beforeAll(async () => {
  schema = await createTestSchema('deploy_metrics');
  redis = await createTestRedis('deploy_metrics');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-deploy-metrics-'));
  h = await startHarness({
    env: {
      DATABASE_URL: schema.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      DATA_DIR: dataDir,
      MEMORY_SHARDS: '1',
      EMBED_THREADS: '1',
    },
    storage: true,
  });
  // Traffic, so that histograms have observations and counters move.
  h.botApi.injectMessage({ chatId: 9101, from: { id: 9101, firstName: 'Вася' }, text: 'Привет, как дела?' });
  await waitFor('the reply', () => h.botApi.sentTo(9101).length === 1, 20_000);
});

afterAll(async () => {
  await h?.close();
  await redis?.close();
  await schema?.drop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

function metricsUrl(): URL {
  if (h.runtime.http === null) throw new Error('the runtime serves no HTTP');
  return new URL('/metrics', h.runtime.http.url);
}

/** Every series name on /metrics (histograms as their _bucket, _sum and _count series). */
async function exportedSeriesNames(): Promise<Set<string>> {
  const text = await (await fetch(metricsUrl())).text();
  return new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1] as string));
}

/** Metric names in a PromQL expression: Lekha's and the process metrics', and `up`. */
function metricNamesIn(expr: string): string[] {
  const names = [...expr.matchAll(/\b(?:lekha|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);
  return /\bup\{/.test(expr) ? [...names, 'up'] : names;
}

interface DashboardFile {
  file: string;
  json: {
    templating: { list: Array<{ query: { query: string } }> };
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
}

function dashboards(): DashboardFile[] {
  return readdirSync(grafanaDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, json: JSON.parse(readFileSync(path.join(grafanaDir, file), 'utf8')) }));
}

function alertExpressions(): Array<{ alert: string; expr: string }> {
  const rules = parse(readFileSync(alertsFile, 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };
  return rules.groups.flatMap((group) => group.rules);
}

/** `name` as scraped: a histogram is read through its `_bucket`, `_sum` and `_count` series. */
function missingFrom(exported: Set<string>, where: string, names: string[]): string[] {
  return names.filter((name) => !exported.has(name)).map((name) => `${where}: ${name}`);
}

describe('dashboards and alert rules against the running bot', () => {
  it('ships the dashboards that scripts/grafana-dashboards.mjs writes', () => {
    const rendered = renderDashboards();
    const files = dashboards().map((d) => d.file);
    expect(files.sort()).toEqual(Object.keys(rendered).sort());
    for (const [file, text] of Object.entries(rendered)) {
      expect(readFileSync(path.join(grafanaDir, file), 'utf8'), `${file} is stale: run the script`).toBe(text);
    }
  });

  it('queries only metrics the running bot exports in every dashboard panel', async () => {
    const exported = await exportedSeriesNames();
    const missing: string[] = [];
    let queries = 0;
    for (const { file, json } of dashboards()) {
      for (const variable of json.templating.list) {
        missing.push(...missingFrom(exported, `${file} variable`, metricNamesIn(variable.query.query)));
      }
      for (const panel of json.panels) {
        for (const target of panel.targets) {
          queries++;
          const names = metricNamesIn(target.expr);
          expect(names.length, `${file} "${panel.title}" reads no metric: ${target.expr}`).toBeGreaterThan(0);
          missing.push(...missingFrom(exported, `${file} "${panel.title}"`, names));
        }
      }
    }
    expect(queries).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('alerts only on metrics the running bot exports', async () => {
    const exported = await exportedSeriesNames();
    exported.add('up'); // Prometheus's own series for every target
    const rules = alertExpressions();
    expect(rules.length).toBeGreaterThanOrEqual(13);
    expect(rules.flatMap(({ alert, expr }) => missingFrom(exported, alert, metricNamesIn(expr)))).toEqual([]);
  });

  it('notices a query of a metric the bot does not export', async () => {
    const exported = await exportedSeriesNames();
    const histogram = 'sum(rate(lekha_turn_latency_ms_bucket[5m])) / sum(rate(lekha_turn_latency_ms_count[5m]))';
    expect(missingFrom(exported, 'ok', metricNamesIn(histogram))).toEqual([]);
    expect(missingFrom(exported, 'bad', metricNamesIn('rate(lekha_turn_latency_ms_total[5m])'))).toEqual([
      'bad: lekha_turn_latency_ms_total',
    ]);
    expect(missingFrom(exported, 'bad', metricNamesIn('lekha_mailbox_depth_total'))).toEqual([
      'bad: lekha_mailbox_depth_total',
    ]);
  });
});

describe('a real Prometheus scraping the running bot', () => {
  let prometheus: ChildProcess | undefined;
  let promDir: string;
  let promUrl: string;
  let promLog = '';

  beforeAll(async () => {
    promDir = mkdtempSync(path.join(tmpdir(), 'lekha-prometheus-'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(path.join(promDir, 'alerts.yml'), readFileSync(alertsFile));
    // deploy/prometheus/prometheus.yml with this runtime as its target and a short interval.
    const config = parse(readFileSync(path.join(repoRoot, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      global: Record<string, string>;
      alerting?: unknown;
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
    delete config.alerting;
    config.scrape_configs = config.scrape_configs.filter((job) => job.job_name === 'lekha');
    (config.scrape_configs[0] as { static_configs: Array<{ targets: string[] }> }).static_configs = [
      { targets: [metricsUrl().host] },
    ];
    writeFileSync(path.join(promDir, 'prometheus.yml'), JSON.stringify(config));
    prometheus = spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${path.join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(promDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (promLog += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (promLog += chunk.toString()));
    await waitFor(
      'Prometheus to be ready',
      () =>
        fetch(`${promUrl}/-/ready`).then(
          (res) => res.ok,
          () => false,
        ),
      30_000,
    );
  });

  afterAll(async () => {
    if (prometheus !== undefined && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('close', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    if (promDir !== undefined) rmSync(promDir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: [] } };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error ?? res.status}`);
    return body.data.result;
  }

  it('scrapes Lekha and answers how many turns it ran', async () => {
    await waitFor(
      'a scrape with lekha_turns_total > 0',
      async () => (await query('lekha_turns_total{job="lekha"} > 0')).length === 1,
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nPrometheus log:\n${promLog}`);
    });
    const [up] = await query('up{job="lekha"}');
    expect(up?.value[1]).toBe('1');
    const [turns] = await query('lekha_turns_total{job="lekha"}');
    expect(Number(turns?.value[1])).toBeGreaterThan(0);
  });

  it('loads every alert rule and evaluates it without errors', async () => {
    const expected = alertExpressions().map((rule) => rule.alert);
    await waitFor(
      'every rule evaluated',
      async () => {
        const res = await fetch(`${promUrl}/api/v1/rules`);
        const body = (await res.json()) as {
          data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
        };
        const rules = body.data.groups.flatMap((g) => g.rules);
        const bad = rules.filter((r) => r.health === 'err').map((r) => `${r.name}: ${r.lastError}`);
        if (bad.length > 0) throw new Error(`rules failing: ${bad.join('; ')}`);
        return rules.length === expected.length && rules.every((r) => r.health === 'ok');
      },
      30_000,
    );
    // A bot that just started and answered is healthy: nothing but the rate
    // alerts' first evaluations, none of them firing.
    expect(await query('ALERTS{alertstate="firing"}')).toEqual([]);
  });
});
