import {
  type Clock,
  HeadlineMetric,
  InvalidOptionError,
  type MetricsRegistry,
  type TimerHandle,
} from '../../runtime/index.js';
import type { RuntimeStatsSource } from '../ports/runtime-stats-source.js';
import type { StatsHistory, StatsPoint } from '../schemas/stats.js';
import { MetricReader } from './metric-reader.js';

export interface StatsSamplerOptions {
  runtime: RuntimeStatsSource;
  metrics: MetricsRegistry;
  clock: Clock;
  /** Interval between points; the dashboard's charts move this often. */
  sampleMs?: number | undefined;
  /** How much history is kept (the charts show the last hour). */
  historyMs?: number | undefined;
}

interface Totals {
  t: number;
  updates: number | null;
  replies: number | null;
  turns: number;
  llmCount: number | null;
  llmSumMs: number | null;
  live: number;
}

/**
 * Turns the runtime's cumulative counters into rates: every `sampleMs` it
 * records updates/s, replies/s, turns/s, mean LLM latency and live chats
 * over the interval just ended, and keeps the last `historyMs` of points
 * for the dashboard's charts (so a freshly opened dashboard shows the last
 * hour at once).
 */
export class StatsSampler {
  readonly sampleMs: number;
  private readonly capacity: number;
  private readonly points: StatsPoint[] = [];
  private previous: Totals | null = null;
  private timer: TimerHandle | null = null;
  private tickCount = 0;

  constructor(private readonly options: StatsSamplerOptions) {
    this.sampleMs = options.sampleMs ?? 2000;
    const historyMs = options.historyMs ?? 3_600_000;
    if (!(this.sampleMs > 0))
      throw new InvalidOptionError('sampleMs', `sampleMs must be positive, got ${this.sampleMs}`);
    if (!(historyMs >= this.sampleMs))
      throw new InvalidOptionError('historyMs', `historyMs must be at least sampleMs, got ${historyMs}`);
    this.capacity = Math.ceil(historyMs / this.sampleMs);
  }

  /** Takes the first reading and samples every `sampleMs` until `stop()`. */
  start(): void {
    if (this.timer !== null) return;
    this.previous = this.totals();
    this.arm();
  }

  stop(): void {
    if (this.timer !== null) this.options.clock.clearTimer(this.timer);
    this.timer = null;
  }

  /**
   * How many sampling ticks have passed: figures derived from the sampler
   * are current until this moves, so a cache keyed on it is rebuilt once per
   * tick however many clients read it.
   */
  get ticks(): number {
    return this.tickCount;
  }

  /** The newest point, or null before the first interval has ended. */
  latest(): StatsPoint | null {
    return this.points.at(-1) ?? null;
  }

  /** Points newer than `sinceMs` (all kept points when undefined), column by column. */
  history(sinceMs?: number): StatsHistory {
    const out: StatsHistory = {
      sampleMs: this.sampleMs,
      t: [],
      updatesPerS: [],
      repliesPerS: [],
      turnsPerS: [],
      llmLatencyMs: [],
      activeChats: [],
    };
    for (const p of this.points) {
      if (sinceMs !== undefined && p.t <= sinceMs) continue;
      out.t.push(p.t);
      out.updatesPerS.push(p.updatesPerS);
      out.repliesPerS.push(p.repliesPerS);
      out.turnsPerS.push(p.turnsPerS);
      out.llmLatencyMs.push(p.llmLatencyMs);
      out.activeChats.push(p.activeChats);
    }
    return out;
  }

  private arm(): void {
    this.timer = this.options.clock.setTimer(() => {
      this.sample();
      if (this.timer !== null) this.arm();
    }, this.sampleMs);
  }

  private sample(): void {
    this.tickCount++;
    const now = this.totals();
    const before = this.previous;
    this.previous = now;
    if (before === null || now.t <= before.t) return;
    const perS = (a: number | null, b: number | null): number | null =>
      a === null || b === null ? null : (Math.max(0, a - b) * 1000) / (now.t - before.t);
    const llmCalls = now.llmCount !== null && before.llmCount !== null ? now.llmCount - before.llmCount : 0;
    const point: StatsPoint = {
      t: now.t,
      updatesPerS: perS(now.updates, before.updates),
      repliesPerS: perS(now.replies, before.replies),
      turnsPerS: perS(now.turns, before.turns) ?? 0,
      llmLatencyMs: llmCalls > 0 ? ((now.llmSumMs as number) - (before.llmSumMs as number)) / llmCalls : null,
      activeChats: now.live,
    };
    this.points.push(point);
    if (this.points.length > this.capacity) this.points.shift();
  }

  private totals(): Totals {
    const { metrics } = this.options;
    const runtime = this.options.runtime.stats();
    const llm = MetricReader.histogram(metrics, HeadlineMetric.llmLatency);
    return {
      t: this.options.clock.now(),
      updates: MetricReader.value(metrics, HeadlineMetric.updatesReceived),
      replies: MetricReader.value(metrics, HeadlineMetric.repliesSent),
      turns: runtime.turns,
      llmCount: llm === null ? null : llm.count,
      // The histogram keeps a mean, not a sum; mean × count gives the sum back.
      llmSumMs: llm === null ? null : llm.count === 0 ? 0 : llm.summary().mean * llm.count,
      live: runtime.live,
    };
  }
}
