import { type Clock, HeadlineMetric, Histogram, type MetricsRegistry, seriesName } from '../../runtime/index.js';
import type { RuntimeStatsSource } from '../ports/runtime-stats-source.js';
import type { LatencySummary, StatsSnapshot } from '../schemas/stats.js';
import type { KnownChats } from './known-chats.js';
import { MetricReader } from './metric-reader.js';
import type { StatsSampler } from './stats-sampler.js';

export interface StatsSnapshotterOptions {
  runtime: RuntimeStatsSource;
  metrics: MetricsRegistry;
  sampler: StatsSampler;
  /** Chats the bot knows beyond those in memory; without it, the supervisor's count. */
  knownChats?: Pick<KnownChats, 'count'> | undefined;
  clock: Pick<Clock, 'now'>;
  /**
   * How long one snapshot is served before the next is built. Building one
   * walks every metric and reads several percentiles; serving a slightly
   * older picture is what lets `/api/stats` answer thousands of polls per
   * second without touching the runtime.
   */
  cacheMs?: number | undefined;
}

/** Builds the `/api/stats` picture of the runtime and serves it from a short cache. */
export class StatsSnapshotter {
  private readonly startedAtMs: number;
  private readonly cacheMs: number;
  private cached: { snapshot: StatsSnapshot; untilMs: number } | null = null;

  constructor(private readonly options: StatsSnapshotterOptions) {
    this.startedAtMs = options.clock.now();
    this.cacheMs = options.cacheMs ?? 500;
  }

  snapshot(): StatsSnapshot {
    const now = this.options.clock.now();
    if (this.cached !== null && this.cached.untilMs > now) return this.cached.snapshot;
    const snapshot = this.build(now);
    this.cached = { snapshot, untilMs: now + this.cacheMs };
    return snapshot;
  }

  private build(now: number): StatsSnapshot {
    const { metrics, sampler } = this.options;
    const runtime = this.options.runtime.stats();
    const sample = sampler.latest();
    const counters: Record<string, number> = {};
    const histograms: Record<string, LatencySummary> = {};
    for (const metric of metrics.all()) {
      if (metric instanceof Histogram) histograms[seriesName(metric)] = metric.summary();
      else counters[seriesName(metric)] = metric.value;
    }
    return {
      at: new Date(now).toISOString(),
      uptimeS: (now - this.startedAtMs) / 1000,
      throughput: {
        updates: MetricReader.value(metrics, HeadlineMetric.updatesReceived),
        updatesPerS: sample?.updatesPerS ?? null,
        replies: MetricReader.value(metrics, HeadlineMetric.repliesSent),
        repliesPerS: sample?.repliesPerS ?? null,
        turns: runtime.turns,
        turnsPerS: sample?.turnsPerS ?? runtime.turnsPerS,
      },
      responseTimeMs: histograms[HeadlineMetric.replyLatency] ?? null,
      llm: {
        requests: MetricReader.value(metrics, HeadlineMetric.llmRequests),
        failures: MetricReader.value(metrics, HeadlineMetric.llmFailures),
        tokens: sumOrNull(
          MetricReader.value(metrics, HeadlineMetric.llmPromptTokens),
          MetricReader.value(metrics, HeadlineMetric.llmCompletionTokens),
        ),
        latencyMs: histograms[HeadlineMetric.llmLatency] ?? null,
      },
      actors: {
        live: runtime.live,
        loading: runtime.loading,
        passivated: runtime.passivated,
        total: runtime.total,
        quarantined: runtime.quarantined.length,
        restarts: runtime.restarts,
        activations: runtime.activations,
        passivations: runtime.passivations,
        mailboxDepthMax: runtime.mailboxDepthMax,
        mailboxDepthSum: runtime.mailboxDepthSum,
        inflightEffects: runtime.inflightEffects,
        overflowRejected: runtime.overflowRejected,
        overflowDropped: runtime.overflowDropped,
        deadLetters: runtime.deadLetters,
        persistFailures: runtime.persistFailures,
        turnLatencyMs: runtime.turnLatencyMs,
      },
      chats: { known: this.options.knownChats?.count() ?? runtime.total },
      counters,
      histograms,
      sample,
    };
  }
}

/** Prompt plus completion tokens; null when the gateway registered neither. */
function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}
