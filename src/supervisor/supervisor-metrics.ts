import type { Counter, Histogram, MetricsRegistry } from '../runtime/index.js';

/** What a supervisor counts and shows; the gauges read the supervisor's state at collection time. */
export class SupervisorMetrics {
  readonly turns: Counter;
  readonly turnLatency: Histogram;
  readonly restarts: Counter;
  readonly overflowRejected: Counter;
  readonly overflowDropped: Counter;
  readonly deadLetters: Counter;
  readonly activations: Counter;
  readonly wakes: Counter;
  readonly passivations: Counter;
  readonly persistFailures: Counter;

  constructor(
    metrics: MetricsRegistry,
    read: {
      live(): number;
      passivated(): number;
      quarantined(): number;
      sideEffectsInflight(): number;
      mailboxDepth(): { max: number; sum: number };
    },
  ) {
    this.turns = metrics.counter('lekha_turns_total', 'Actor turns run');
    this.turnLatency = metrics.histogram('lekha_turn_latency_ms', 'Duration of one actor turn');
    this.restarts = metrics.counter('lekha_actor_restarts_total', 'Actor restarts after a failed turn or load');
    this.overflowRejected = metrics.counter(
      'lekha_mailbox_rejected_total',
      'Messages rejected to the sender by a full mailbox',
    );
    this.overflowDropped = metrics.counter(
      'lekha_mailbox_dropped_total',
      'Low-value messages dropped by a full mailbox',
    );
    this.deadLetters = metrics.counter('lekha_dead_letters_total', 'Messages given up after their turn kept failing');
    this.activations = metrics.counter('lekha_actor_activations_total', 'Actors brought into memory');
    this.wakes = metrics.counter(
      'lekha_actor_wakes_total',
      'Actors started without a message, to go on with work their stored state left unfinished',
    );
    this.passivations = metrics.counter('lekha_actor_passivations_total', 'Actors persisted and dropped from memory');
    this.persistFailures = metrics.counter('lekha_persist_failures_total', 'Persist hooks that failed');
    metrics.gauge('lekha_actors_live', 'Actors in memory', read.live);
    metrics.gauge('lekha_actors_passivated', 'Keys passivated and not re-activated', read.passivated);
    metrics.gauge('lekha_actors_quarantined', 'Keys in quarantine', read.quarantined);
    metrics.gauge('lekha_mailbox_depth', 'Messages waiting in all mailboxes', () => read.mailboxDepth().sum);
    metrics.gauge('lekha_mailbox_depth_max', 'Messages waiting in the deepest mailbox', () => read.mailboxDepth().max);
    metrics.gauge(
      'lekha_side_effects_inflight',
      'Side effects started by actors and not settled',
      read.sideEffectsInflight,
    );
  }
}
