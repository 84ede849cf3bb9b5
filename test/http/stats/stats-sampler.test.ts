import { describe, expect, it } from 'vitest';
import { StatsSampler } from '../../../src/http/stats/stats-sampler.js';
import { StatsSnapshotter } from '../../../src/http/stats/stats-snapshotter.js';
import { HeadlineMetric, ManualClock, MetricsRegistry } from '../../../src/runtime/index.js';
import type { SupervisorStats } from '../../../src/supervisor/index.js';

function fakeRuntime(live: () => number, turns: () => number) {
  const base: SupervisorStats<number> = {
    live: 0,
    loading: 0,
    passivated: 3,
    total: 3,
    mailboxDepthMax: 0,
    mailboxDepthSum: 0,
    turns: 0,
    turnsPerS: 0,
    turnLatencyMs: { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    restarts: 0,
    quarantined: [{ key: -5, reason: 'boom', untilMs: 0 }],
    overflowRejected: 0,
    overflowDropped: 0,
    overflowsByType: {},
    deadLetters: 0,
    activations: 0,
    passivations: 0,
    persistFailures: 0,
    inflightEffects: 0,
  };
  return { stats: () => ({ ...base, live: live(), turns: turns() }) };
}

function setUp(options: { sampleMs?: number; historyMs?: number } = {}) {
  const clock = new ManualClock(1_000_000);
  const metrics = new MetricsRegistry();
  const updates = metrics.counter(HeadlineMetric.updatesReceived, 'updates');
  const llm = metrics.histogram(HeadlineMetric.llmLatency, 'llm');
  let live = 0;
  let turns = 0;
  const runtime = fakeRuntime(
    () => live,
    () => turns,
  );
  const sampler = new StatsSampler({ runtime, metrics, clock, ...options });
  return {
    clock,
    metrics,
    updates,
    llm,
    sampler,
    runtime,
    set: (l: number, t: number) => {
      live = l;
      turns = t;
    },
  };
}

describe('StatsSampler', () => {
  it('turns counters into per-second rates over each interval', async () => {
    const s = setUp({ sampleMs: 2000 });
    s.sampler.start();
    s.updates.inc(100);
    s.set(7, 300);
    await s.clock.advance(2000);
    s.updates.inc(50);
    s.set(9, 340);
    await s.clock.advance(2000);
    expect(s.sampler.history()).toEqual({
      sampleMs: 2000,
      t: [1_002_000, 1_004_000],
      updatesPerS: [50, 25],
      repliesPerS: [null, null],
      turnsPerS: [150, 20],
      llmLatencyMs: [null, null],
      activeChats: [7, 9],
    });
    s.sampler.stop();
  });

  it('charts the mean LLM latency of each interval, not of all time', async () => {
    const s = setUp({ sampleMs: 1000 });
    s.sampler.start();
    s.llm.recordMs(100);
    s.llm.recordMs(300);
    await s.clock.advance(1000);
    s.llm.recordMs(1000);
    await s.clock.advance(1000);
    await s.clock.advance(1000);
    const points = s.sampler.history().llmLatencyMs;
    expect(points[0]).toBeCloseTo(200, 0);
    expect(points[1]).toBeCloseTo(1000, 0);
    expect(points[2]).toBeNull();
    s.sampler.stop();
  });

  it('keeps only the last historyMs of points and filters by since', async () => {
    const s = setUp({ sampleMs: 1000, historyMs: 3000 });
    s.sampler.start();
    await s.clock.advance(5000);
    expect(s.sampler.history().t).toEqual([1_003_000, 1_004_000, 1_005_000]);
    expect(s.sampler.history(1_004_000).t).toEqual([1_005_000]);
    expect(s.sampler.latest()?.t).toBe(1_005_000);
    s.sampler.stop();
    await s.clock.advance(5000);
    expect(s.sampler.latest()?.t).toBe(1_005_000);
  });

  it('refuses intervals that cannot work', () => {
    expect(() => setUp({ sampleMs: 0 })).toThrow(/sampleMs must be positive/);
    expect(() => setUp({ sampleMs: 1000, historyMs: 10 })).toThrow(/historyMs must be at least sampleMs/);
    expect(() => setUp({ sampleMs: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'sampleMs' }),
    );
    expect(() => setUp({ sampleMs: 1000, historyMs: 10 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'historyMs' }),
    );
  });
});

describe('StatsSnapshotter', () => {
  /** The setUp of the sampler, with every read of the runtime's figures counted. */
  function counted(options: { sampleMs?: number } = {}) {
    const s = setUp(options);
    let reads = 0;
    const runtime = {
      stats: () => {
        reads++;
        return s.runtime.stats();
      },
    };
    const sampler = new StatsSampler({ runtime, metrics: s.metrics, clock: s.clock, ...options });
    const snapshotter = new StatsSnapshotter({ runtime, metrics: s.metrics, sampler, clock: s.clock });
    sampler.start();
    return { ...s, sampler, snapshotter, reads: () => reads };
  }

  it('builds one answer per sampling tick and serves those same bytes to every caller of the tick', async () => {
    const s = counted({ sampleMs: 1000 });
    await s.clock.advance(1000);
    s.updates.inc(3);
    const before = s.reads();
    const [first, concurrent] = await Promise.all([s.snapshotter.current(), s.snapshotter.current()]);
    s.updates.inc(4);
    const again = await s.snapshotter.current();
    expect(concurrent).toBe(first);
    expect(again).toBe(first);
    expect(s.reads() - before).toBe(1);
    expect(JSON.parse(first.body.toString('utf8'))).toEqual(first.snapshot);
    expect(first.snapshot.throughput.updates).toBe(3);
    expect(first.etag).toMatch(/^"[\w-]+"$/);

    await s.clock.advance(1000);
    const next = await s.snapshotter.current();
    expect(next).not.toBe(first);
    expect(next.snapshot.throughput.updates).toBe(7);
    expect(next.body.equals(first.body)).toBe(false);
    expect(next.etag).not.toBe(first.etag);
    s.sampler.stop();
  });

  it('counts the stored chats again once per tick at most, before the build', async () => {
    const s = counted({ sampleMs: 1000 });
    let refreshes = 0;
    let stored = 5;
    const snapshotter = new StatsSnapshotter({
      runtime: s.runtime,
      metrics: s.metrics,
      sampler: s.sampler,
      clock: s.clock,
      knownChats: {
        refresh: async () => {
          refreshes++;
        },
        count: () => stored,
      },
    });
    expect((await snapshotter.current()).snapshot.chats.known).toBe(5);
    stored = 6;
    await snapshotter.current();
    expect(refreshes).toBe(1);
    await s.clock.advance(1000);
    expect((await snapshotter.current()).snapshot.chats.known).toBe(6);
    expect(refreshes).toBe(2);
    s.sampler.stop();
  });

  it('says null for metrics nobody registered instead of inventing zeros', async () => {
    const s = setUp();
    const { snapshot: snap } = await new StatsSnapshotter({ ...s }).current();
    expect(snap.throughput.replies).toBeNull();
    expect(snap.llm).toMatchObject({ requests: null, failures: null, tokens: null, latencyMs: { count: 0 } });
    expect(snap.responseTimeMs).toBeNull();
    expect(snap.actors).toMatchObject({ passivated: 3, total: 3, quarantined: 1 });
    expect(snap.counters).toEqual({ [HeadlineMetric.updatesReceived]: 0 });
    expect(Object.keys(snap.histograms)).toEqual([HeadlineMetric.llmLatency]);
  });
});
