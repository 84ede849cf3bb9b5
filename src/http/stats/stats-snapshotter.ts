import { createHash } from 'node:crypto';
import { type Clock, HeadlineMetric, Histogram, type MetricsRegistry, seriesName } from '../../runtime/index.js';
import type { RuntimeStatsSource } from '../ports/runtime-stats-source.js';
import type { LatencySummary, StatsSnapshot } from '../schemas/stats.js';
import type { KnownChats } from './known-chats.js';
import { MetricReader } from './metric-reader.js';
import type { StatsSampler } from './stats-sampler.js';

export interface StatsSnapshotterOptions {
  runtime: RuntimeStatsSource;
  metrics: MetricsRegistry;
  /** Its ticks set the pace: one snapshot is built per sampling tick. */
  sampler: Pick<StatsSampler, 'latest' | 'ticks'>;
  /** Chats the bot knows beyond those in memory; without it, the supervisor's count. */
  knownChats?: Pick<KnownChats, 'count' | 'refresh'> | undefined;
  clock: Pick<Clock, 'now'>;
}

/** One `/api/stats` answer, ready to send: the snapshot, its JSON bytes and their entity tag. */
export interface StatsResponse {
  readonly snapshot: StatsSnapshot;
  readonly body: Buffer;
  /** A strong entity tag of `body` (quoted), for `If-None-Match`. */
  readonly etag: string;
}

/**
 * Builds the `/api/stats` picture of the runtime once per sampling tick and
 * serves that same answer, already serialised, to every client until the
 * next tick. Building one walks every metric, reads several percentiles and
 * asks the supervisor for its figures; the charts only move once per tick
 * anyway, so every open dashboard polling `/api/stats` costs the runtime one
 * build per tick, not one per poll.
 */
export class StatsSnapshotter {
  private readonly startedAtMs: number;
  private cached: { tick: number; response: StatsResponse } | null = null;
  private building: { tick: number; response: Promise<StatsResponse> } | null = null;

  constructor(private readonly options: StatsSnapshotterOptions) {
    this.startedAtMs = options.clock.now();
  }

  /** The answer of the current sampling tick, built by the first caller of the tick and shared by the rest. */
  current(): Promise<StatsResponse> {
    const tick = this.options.sampler.ticks;
    if (this.cached?.tick === tick) return Promise.resolve(this.cached.response);
    if (this.building?.tick === tick) return this.building.response;
    const response = this.rebuild(tick);
    this.building = { tick, response };
    return response;
  }

  private async rebuild(tick: number): Promise<StatsResponse> {
    try {
      // Never throws: a directory that cannot be counted leaves the last count.
      await this.options.knownChats?.refresh();
      const snapshot = this.build(this.options.clock.now());
      const body = Buffer.from(JSON.stringify(snapshot), 'utf8');
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      const response: StatsResponse = { snapshot, body, etag };
      // A build that outlived its tick still answers its callers, but does not displace a newer one.
      if (this.cached === null || this.cached.tick <= tick) this.cached = { tick, response };
      return response;
    } finally {
      if (this.building?.tick === tick) this.building = null;
    }
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
