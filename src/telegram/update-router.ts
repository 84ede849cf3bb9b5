import type { DeadLetterStore } from '../ports/index.js';
import {
  ActorQuarantinedError,
  type Clock,
  HeadlineMetric,
  LekhaError,
  type Logger,
  type MetricsRegistry,
} from '../runtime/index.js';
import type { Durability } from './durability.js';
import type { OffsetTracker } from './offset-tracker.js';
import type { UpdateAcks } from './update-acks.js';
import { routeOf, type TelegramUpdate, telegramUpdateSchema } from './update-schema.js';

/**
 * Hands one validated update to the runtime, keyed by chat. Throws what the
 * supervisor's `tell` throws: `MailboxFullError` (back off and retry),
 * `ShuttingDownError`, `ActorQuarantinedError`.
 */
export type DeliverUpdate = (chatId: number, updateId: number, update: TelegramUpdate, replayed?: boolean) => void;

/**
 * - `queued`: handed to the chat's actor; finished when the actor acks it.
 * - `in-flight`: this update id is already being processed (a redelivery).
 * - `malformed` / `ignored`: finished at once, counted.
 * - `dead-lettered`: the chat is quarantined; finished once the update is
 *   kept in the dead letters.
 */
export type DispatchOutcome = 'queued' | 'in-flight' | 'malformed' | 'ignored' | 'dead-lettered';

export interface UpdateRouterOptions {
  tracker: OffsetTracker;
  durability: Durability<number>;
  deliver: DeliverUpdate;
  /** Where updates for quarantined chats are kept until an admin replays or discards them. */
  deadLetters: DeadLetterStore;
  clock: Clock;
  metrics: MetricsRegistry;
  logger?: Logger;
  /** Wait before asking storage again after a failed flush or dead-letter write. */
  durabilityRetryMs?: number;
}

interface ReplayWaiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The one door updates come through, from polling and webhook alike:
 * validates, routes by chat, follows each update until its turn has run and
 * its effects are durable, and counts what it could not deliver.
 */
export class UpdateRouter implements UpdateAcks {
  private readonly received;
  private readonly malformed;
  private readonly ignored;
  private readonly redelivered;
  private readonly deadLettered;
  private readonly completed;
  private readonly durabilityFailures;
  private readonly deadLetterFailures;
  private readonly ignoredByKind = new Map<string, number>();
  private readonly retryMs: number;
  private readonly replays = new Map<number, ReplayWaiter>();

  constructor(private readonly options: UpdateRouterOptions) {
    const m = options.metrics;
    this.received = m.counter(HeadlineMetric.updatesReceived, 'Updates received from Telegram');
    this.malformed = m.counter(
      'lekha_telegram_updates_malformed_total',
      'Updates that failed validation and were skipped',
    );
    this.ignored = m.counter('lekha_telegram_updates_ignored_total', 'Updates without a chat, ignored');
    this.redelivered = m.counter(
      'lekha_telegram_updates_redelivered_total',
      'Updates received again while still being processed',
    );
    this.deadLettered = m.counter(
      'lekha_telegram_updates_dead_lettered_total',
      'Updates for a quarantined chat, kept in the dead letters',
    );
    this.deadLetterFailures = m.counter(
      'lekha_telegram_dead_letter_failures_total',
      'Failed writes of dead letters (retried; the offset waits)',
    );
    this.completed = m.counter(
      'lekha_telegram_updates_completed_total',
      'Updates whose turn ran and whose effects are durable',
    );
    this.durabilityFailures = m.counter(
      'lekha_telegram_durability_failures_total',
      'Failed waits for durable effects (retried)',
    );
    m.gauge(
      'lekha_telegram_updates_inflight',
      'Updates handed over and not yet finished',
      () => options.tracker.inFlight,
    );
    this.retryMs = options.durabilityRetryMs ?? 1000;
  }

  /**
   * Validates and hands over one raw update; see {@link DispatchOutcome}.
   * Throws when the chat cannot take it now (a full mailbox, a chat this
   * member does not serve): the caller offers it again, and only the offer
   * that is taken counts as received, so the update rate is not inflated
   * by retries.
   */
  dispatch(raw: unknown): DispatchOutcome {
    const outcome = this.route(raw);
    this.received.inc();
    return outcome;
  }

  private route(raw: unknown): DispatchOutcome {
    const { tracker, logger } = this.options;
    const parsed = telegramUpdateSchema.safeParse(raw);
    if (!parsed.success) {
      this.malformed.inc();
      const updateId = updateIdOf(raw);
      logger?.warn(
        { updateId, problems: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) },
        'malformed update skipped',
      );
      if (updateId !== undefined && tracker.begin(updateId)) tracker.complete(updateId);
      return 'malformed';
    }
    const update = parsed.data;
    const updateId = update.update_id;
    if (!tracker.begin(updateId)) {
      this.redelivered.inc();
      return 'in-flight';
    }
    const route = routeOf(update);
    if ('ignoredKind' in route) {
      this.ignored.inc();
      this.ignoredByKind.set(route.ignoredKind, (this.ignoredByKind.get(route.ignoredKind) ?? 0) + 1);
      tracker.complete(updateId);
      return 'ignored';
    }
    try {
      this.options.deliver(route.chatId, updateId, update);
    } catch (error) {
      if (error instanceof ActorQuarantinedError) {
        // Holding the offset for a broken chat would stall every chat: the update is kept for replay instead.
        this.deadLetter(route.chatId, updateId, update, error.reason);
        return 'dead-lettered';
      }
      tracker.abandon(updateId);
      throw error;
    }
    return 'queued';
  }

  /**
   * Keeps an update its quarantined chat could not take, then finishes it
   * (the offset moves past it). Until the dead letter is durable the offset
   * waits: a failed write is retried.
   */
  deadLetter(chatId: number, updateId: number, update: TelegramUpdate, reason: string): void {
    const { deadLetters, clock, logger } = this.options;
    deadLetters.add({ chatId, updateId, reason, update, failedAtMs: clock.now() }).then(
      () => {
        this.deadLettered.inc();
        logger?.warn({ chatId, updateId, reason }, 'update for a quarantined chat kept in the dead letters');
        const replay = this.replays.get(updateId);
        if (replay !== undefined) {
          this.replays.delete(updateId);
          replay.reject(new ActorQuarantinedError(chatId, reason, clock.now()));
        }
        this.finish(updateId);
      },
      (error: unknown) => {
        this.deadLetterFailures.inc();
        logger?.error(
          { err: error, chatId, updateId },
          'could not keep an update in the dead letters; offset held back, retrying',
        );
        clock.setTimer(() => this.deadLetter(chatId, updateId, update, reason), this.retryMs);
      },
    );
  }

  /**
   * Hands a dead letter to its chat again. Resolves once its turn has run and
   * its effects are durable; rejects with `ActorQuarantinedError` when the
   * chat is (or becomes) quarantined, the letter then being kept again.
   */
  replay(chatId: number, updateId: number, update: TelegramUpdate): Promise<void> {
    if (this.replays.has(updateId)) return Promise.reject(new ReplayInProgressError(updateId));
    return new Promise<void>((resolve, reject) => {
      this.replays.set(updateId, { resolve, reject });
      try {
        this.options.deliver(chatId, updateId, update, true);
      } catch (error) {
        this.replays.delete(updateId);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Called by the chat actor at the end of the update's turn. */
  processed(chatId: number, updateId: number): void {
    let pending: Promise<void> | void;
    try {
      pending = this.options.durability.afterFlush(chatId);
    } catch (error) {
      pending = Promise.reject(error);
    }
    if (pending === undefined) {
      this.finish(updateId);
      return;
    }
    pending.then(
      () => this.finish(updateId),
      (error: unknown) => {
        // Not durable: the offset must not pass this update. Ask again later.
        this.durabilityFailures.inc();
        this.options.logger?.error({ err: error, chatId, updateId }, 'effects not durable yet; offset held back');
        this.options.clock.setTimer(() => this.processed(chatId, updateId), this.retryMs);
      },
    );
  }

  /** Counts of ignored updates by kind, for stats. */
  ignoredKinds(): Record<string, number> {
    return Object.fromEntries(this.ignoredByKind);
  }

  private finish(updateId: number): void {
    this.completed.inc();
    this.options.tracker.complete(updateId);
    const replay = this.replays.get(updateId);
    if (replay !== undefined) {
      this.replays.delete(updateId);
      replay.resolve();
    }
  }
}

/** A dead letter is already being replayed. */
export class ReplayInProgressError extends LekhaError {
  declare readonly code: 'DEAD_LETTER_REPLAY_IN_PROGRESS';

  constructor(readonly updateId: number) {
    super('DEAD_LETTER_REPLAY_IN_PROGRESS', `update ${updateId} is already being replayed`, { retryable: true });
  }
}

function updateIdOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
}
