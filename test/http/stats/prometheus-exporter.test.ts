import { describe, expect, it } from 'vitest';
import { PrometheusExporter } from '../../../src/http/stats/prometheus-exporter.js';
import { ManualClock, MetricsRegistry } from '../../../src/runtime/index.js';

function line(text: string, prefix: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${prefix} `));
  if (found === undefined) throw new Error(`no line ${prefix}`);
  return Number(found.slice(prefix.length + 1));
}

describe('PrometheusExporter', () => {
  it('exports counters, gauges and histograms of the runtime registry with HELP and TYPE', async () => {
    const metrics = new MetricsRegistry();
    metrics.counter('lekha_updates_total', 'Telegram updates received').inc(42);
    metrics.gauge('lekha_actors_live', 'Actors in memory', () => 17);
    const h = metrics.histogram('lekha_llm_latency_ms', 'LLM latency');
    for (const ms of [0.3, 3, 30, 300, 3000]) h.recordMs(ms);
    const exporter = new PrometheusExporter({ metrics, clock: new ManualClock(), defaultMetrics: false });
    const text = await exporter.render();
    expect(text).toContain(
      '# HELP lekha_updates_total Telegram updates received\n# TYPE lekha_updates_total counter\nlekha_updates_total 42',
    );
    expect(text).toContain('# TYPE lekha_actors_live gauge\nlekha_actors_live 17');
    expect(text).toContain('# TYPE lekha_llm_latency_ms histogram');
    expect(line(text, 'lekha_llm_latency_ms_bucket{le="0.5"}')).toBe(1);
    expect(line(text, 'lekha_llm_latency_ms_bucket{le="5"}')).toBe(2);
    expect(line(text, 'lekha_llm_latency_ms_bucket{le="50"}')).toBe(3);
    expect(line(text, 'lekha_llm_latency_ms_bucket{le="500"}')).toBe(4);
    expect(line(text, 'lekha_llm_latency_ms_bucket{le="5000"}')).toBe(5);
    expect(line(text, 'lekha_llm_latency_ms_bucket{le="+Inf"}')).toBe(5);
    expect(line(text, 'lekha_llm_latency_ms_count')).toBe(5);
    expect(line(text, 'lekha_llm_latency_ms_sum')).toBeCloseTo(3333.3, -1);
    expect(exporter.contentType).toContain('text/plain');
  });

  it('exports the labelled series of one metric under one HELP and TYPE, a series added later included', async () => {
    const metrics = new MetricsRegistry();
    const clock = new ManualClock();
    metrics.counter('lekha_plugin_calls_total', 'Plugin calls', { plugin: 'weather' }).inc(3);
    metrics.histogram('lekha_plugin_latency_ms', 'Plugin latency', { plugin: 'weather' }).recordMs(2);
    const exporter = new PrometheusExporter({ metrics, clock, defaultMetrics: false, cacheMs: 1 });
    const first = await exporter.render();
    expect(line(first, 'lekha_plugin_calls_total{plugin="weather"}')).toBe(3);
    expect(line(first, 'lekha_plugin_latency_ms_bucket{plugin="weather",le="2.5"}')).toBe(1);
    expect(line(first, 'lekha_plugin_latency_ms_count{plugin="weather"}')).toBe(1);
    metrics.counter('lekha_plugin_calls_total', 'Plugin calls', { plugin: 'crypto' }).inc();
    await clock.advance(5);
    const second = await exporter.render();
    expect(second.match(/# TYPE lekha_plugin_calls_total counter/g)).toHaveLength(1);
    expect(line(second, 'lekha_plugin_calls_total{plugin="crypto"}')).toBe(1);
    expect(line(second, 'lekha_plugin_calls_total{plugin="weather"}')).toBe(3);
  });

  it('includes the process metrics and picks up metrics registered after the first scrape', async () => {
    const metrics = new MetricsRegistry();
    const clock = new ManualClock();
    const exporter = new PrometheusExporter({ metrics, clock, cacheMs: 1000 });
    const first = await exporter.render();
    expect(first).toContain('process_cpu_user_seconds_total');
    expect(first).toContain('nodejs_eventloop_lag_seconds');
    metrics.counter('lekha_llm_requests_total', 'LLM requests').inc(5);
    expect(await exporter.render()).toBe(first);
    await clock.advance(1000);
    expect(line(await exporter.render(), 'lekha_llm_requests_total')).toBe(5);
  });

  it('exports exact bucket counts that never go down between scrapes', async () => {
    const metrics = new MetricsRegistry();
    const clock = new ManualClock();
    const h = metrics.histogram('lekha_reply_latency_ms', 'Reply latency');
    const exporter = new PrometheusExporter({ metrics, clock, defaultMetrics: false, cacheMs: 1 });
    let previous = -1;
    for (let round = 1; round <= 5; round++) {
      // Values on both sides of the 10 s bound, closer together than the HDR histogram's resolution there.
      for (let i = 0; i < 1000; i++) h.recordMs(i % 2 === 0 ? 9_999 : 10_001);
      h.recordMs(0.2);
      await clock.advance(5);
      const text = await exporter.render();
      const atTenSeconds = line(text, 'lekha_reply_latency_ms_bucket{le="10000"}');
      expect(atTenSeconds).toBe(round * 501);
      expect(atTenSeconds).toBeGreaterThan(previous);
      previous = atTenSeconds;
      expect(line(text, 'lekha_reply_latency_ms_bucket{le="0.5"}')).toBe(round);
      expect(line(text, 'lekha_reply_latency_ms_count')).toBe(round * 1001);
      expect(line(text, 'lekha_reply_latency_ms_sum')).toBeCloseTo(round * (500 * 9_999 + 500 * 10_001 + 0.2), 3);
    }
  });
});
