export { Actor } from './actor.js';
export { Backoff, type BackoffOptions, noJitter, type RandomSource } from './backoff.js';
export { Cell, CellStatus, type Behaviour, type CellHost } from './cell.js';
export { type Clock, ManualClock, SystemClock, type TimerHandle } from './clock.js';
export { Codec } from './codec.js';
export { keepStringPrototypeFast } from './fast-string-prototype.js';
export { fileStamp } from './file-stamp.js';
export { fnv1a, mix32 } from './fnv1a.js';
export { partitionOf, partitionSql } from './partition-hash.js';
export { Dispatcher, type DispatcherHooks, type DispatcherOptions } from './dispatcher.js';
export {
  ActorQuarantinedError,
  ActorStoppedError,
  AskTimeoutError,
  InvalidOptionError,
  LekhaError,
  MailboxFullError,
  NotOwnedError,
  ShuttingDownError,
} from './errors.js';
export { ERROR_CODES, type LekhaErrorCode } from './error-codes.js';
export { CloseIncompleteError, type CloseFailure, LifecycleStack } from './lifecycle-stack.js';
export { KeysetCursor, type KeysetKey, type KeysetKinds, type KeysetPage, keysetPage } from './keyset-cursor.js';
export { startWorker, workerScript } from './worker-script.js';
export { TimeSlice } from './time-slice.js';
export { lowerThreadPriority } from './thread-priority.js';
export { MAX_HEAP_GROWTH_PERCENT, setHeapGrowth } from './heap-growth.js';
export { Mailbox, type OfferResult, type OverflowPolicy } from './mailbox.js';
export type { Logger, Message, Outcome, Reply, SideEffect } from './message.js';
export {
  Counter,
  Gauge,
  Histogram,
  LATENCY_BUCKETS_MS,
  type HistogramSummary,
  type Metric,
  type MetricLabels,
  MetricsRegistry,
  seriesName,
} from './metrics.js';
export { HeadlineMetric, type HeadlineMetricName } from './headline-metrics.js';
export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export {
  PluginInvalidError,
  PluginLoadError,
  PluginNotFoundError,
  PluginRefusedError,
  PluginSettingsInvalidError,
} from './plugin-errors.js';
export { InvalidDurationError, parseDuration } from './duration.js';
