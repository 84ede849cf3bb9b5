import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Counter, Histogram, LATENCY_BUCKETS_MS, MetricsRegistry, seriesName } from '../../src/runtime/index.js';

describe('metrics', () => {
  it('reports percentiles of recorded durations', () => {
    const h = new Histogram('t', 'test');
    for (let i = 1; i <= 1000; i++) h.recordMs(i / 10); // 0.1 … 100 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p95).toBeCloseTo(95, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 0);
  });

  it('keeps the mean exact, outliers included, and starts it over on reset', () => {
    const h = new Histogram('t', 'test');
    for (let i = 1; i <= 1000; i++) h.recordMs(i / 10);
    h.recordMs(2000);
    expect(h.summary().mean).toBeCloseTo((50_050 + 2000) / 1001, 9);
    h.reset();
    h.recordMs(0.25);
    h.recordMs(0.75);
    expect(h.summary()).toMatchObject({ count: 2, mean: 0.5 });
  });

  it('counts the values at or below each bucket bound exactly, at any magnitude', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000_000 }), { minLength: 1, maxLength: 300 }), (micros) => {
        const h = new Histogram('t', 'test');
        for (const us of micros) h.recordMs(us / 1000);
        const expected = LATENCY_BUCKETS_MS.map((le) => micros.filter((us) => us <= le * 1000).length);
        expect(h.cumulativeCounts()).toEqual(expected);
        expect(h.sumMs).toBeCloseTo(micros.reduce((a, b) => a + b, 0) / 1000, 6);
      }),
      { numRuns: 100 },
    );
  });

  it('tells apart values either side of a bound that the HDR histogram keeps in one bucket', () => {
    const h = new Histogram('t', 'test');
    // 9,999 and 10,001 ms share one HDR bucket (8 ms wide there): only exact counts split them at le=10000.
    h.recordMs(9_999);
    h.recordMs(10_001);
    h.recordMs(0.5);
    h.recordMs(0.5004); // recorded as 500 µs: at the bound
    h.recordMs(0.5006); // 501 µs: above it
    const at = (le: number) => h.cumulativeCounts()[LATENCY_BUCKETS_MS.indexOf(le)];
    expect(at(0.5)).toBe(2);
    expect(at(1)).toBe(3);
    expect(at(10_000)).toBe(4);
    expect(at(30_000)).toBe(5);
    h.recordMs(60_000); // above every bound: in the count only
    expect(at(30_000)).toBe(5);
    expect(h.count).toBe(6);
    h.reset();
    expect(h.cumulativeCounts().every((n) => n === 0)).toBe(true);
  });

  it('reports zeros for an empty histogram', () => {
    expect(new Histogram('t', 'test').summary()).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });

  it('returns the same metric for the same name and refuses a kind clash', () => {
    const registry = new MetricsRegistry();
    const a = registry.counter('x_total', 'x');
    a.inc(2);
    expect(registry.counter('x_total', 'x').value).toBe(2);
    expect(registry.get('x_total')).toBeInstanceOf(Counter);
    expect(() => registry.histogram('x_total', 'x')).toThrow(/already registered as a Counter/);
  });

  it('reads callback gauges at collection time', () => {
    let live = 3;
    const g = new MetricsRegistry().gauge('live', 'live', () => live);
    live = 5;
    expect(g.value).toBe(5);
  });

  it('keeps one series per label set under one name, and refuses a kind clash across them', () => {
    const registry = new MetricsRegistry();
    registry.counter('calls_total', 'calls', { plugin: 'weather' }).inc(3);
    registry.counter('calls_total', 'calls', { plugin: 'crypto' }).inc();
    expect(registry.counter('calls_total', 'calls', { plugin: 'weather' }).value).toBe(3);
    expect((registry.get('calls_total', { plugin: 'crypto' }) as Counter).value).toBe(1);
    expect(registry.get('calls_total')).toBeUndefined();
    expect(registry.series('calls_total').map(seriesName)).toEqual([
      'calls_total{plugin="weather"}',
      'calls_total{plugin="crypto"}',
    ]);
    expect(() => registry.histogram('calls_total', 'calls', { plugin: 'news' })).toThrow(/already registered/);
  });
});
