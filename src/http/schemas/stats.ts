import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';

export const LatencySummary = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  mean: Type.Number(),
  p50: Type.Number(),
  p95: Type.Number(),
  p99: Type.Number(),
  max: Type.Number(),
});
export type LatencySummary = Static<typeof LatencySummary>;

/** One point of the dashboard's charts: rates over the sampling interval that ended at `t`. */
export const StatsPoint = Type.Object({
  t: Type.Number({ description: 'end of the interval, ms since the epoch' }),
  updatesPerS: Nullable(Type.Number()),
  repliesPerS: Nullable(Type.Number()),
  turnsPerS: Type.Number(),
  llmLatencyMs: Nullable(Type.Number({ description: 'mean LLM latency over the interval' })),
  activeChats: Type.Integer({ minimum: 0 }),
});
export type StatsPoint = Static<typeof StatsPoint>;

/** The same points, column by column (what a chart library plots directly). */
export const StatsHistory = Type.Object({
  sampleMs: Type.Integer(),
  t: Type.Array(Type.Number()),
  updatesPerS: Type.Array(Nullable(Type.Number())),
  repliesPerS: Type.Array(Nullable(Type.Number())),
  turnsPerS: Type.Array(Type.Number()),
  llmLatencyMs: Type.Array(Nullable(Type.Number())),
  activeChats: Type.Array(Type.Integer()),
});
export type StatsHistory = Static<typeof StatsHistory>;

export const StatsHistoryQuery = Type.Object(
  {
    since: Type.Optional(
      Type.Number({ minimum: 0, description: 'only points with t greater than this (ms since the epoch)' }),
    ),
  },
  { additionalProperties: false },
);

const count = Nullable(Type.Number({ minimum: 0 }));

/** The runtime at a glance: what `/api/stats` returns. `null`: the metric is not registered in this process. */
export const StatsSnapshot = Type.Object({
  at: DateTime,
  uptimeS: Type.Number(),
  throughput: Type.Object({
    updates: count,
    updatesPerS: Nullable(Type.Number()),
    replies: count,
    repliesPerS: Nullable(Type.Number()),
    turns: Type.Number(),
    turnsPerS: Type.Number(),
  }),
  responseTimeMs: Nullable(LatencySummary),
  llm: Type.Object({
    requests: count,
    failures: count,
    tokens: count,
    latencyMs: Nullable(LatencySummary),
  }),
  actors: Type.Object({
    live: Type.Integer(),
    loading: Type.Integer(),
    passivated: Type.Integer(),
    total: Type.Integer(),
    quarantined: Type.Integer(),
    restarts: Type.Integer(),
    activations: Type.Integer(),
    passivations: Type.Integer(),
    mailboxDepthMax: Type.Integer(),
    mailboxDepthSum: Type.Integer(),
    inflightEffects: Type.Integer(),
    overflowRejected: Type.Integer(),
    overflowDropped: Type.Integer(),
    deadLetters: Type.Integer(),
    persistFailures: Type.Integer(),
    turnLatencyMs: LatencySummary,
  }),
  chats: Type.Object({
    known: Type.Integer({
      minimum: 0,
      description: 'chats the bot has seen a message in: stored ones, active or not (at least the chats in memory)',
    }),
  }),
  counters: Type.Record(Type.String(), Type.Number(), {
    description: 'every counter and gauge of the runtime by metric name (pools, persistence, scheduler, ingress, …)',
  }),
  histograms: Type.Record(Type.String(), LatencySummary, { description: 'every latency histogram by metric name' }),
  sample: Nullable(StatsPoint),
});
export type StatsSnapshot = Static<typeof StatsSnapshot>;
