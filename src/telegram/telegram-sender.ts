import { InputFile } from 'grammy';
import {
  Backoff,
  type Clock,
  InvalidOptionError,
  type Logger,
  type MetricsRegistry,
  type RandomSource,
  type TimerHandle,
} from '../runtime/index.js';
import type { ChatEgress, SentReply } from './chat-egress.js';
import { EgressClosedError, EgressOverflowError, TelegramApiError, TelegramSendFailedError } from './errors.js';
import { SlidingWindow } from './sliding-window.js';
import { splitMessage } from './split-message.js';
import { TelegramSenderMetrics } from './telegram-sender-metrics.js';

/** The Bot API calls the sender makes (grammY's `Api` has them). */
export interface SenderApi {
  sendMessage(
    chatId: number,
    text: string,
    other?: { reply_parameters?: { message_id: number; allow_sending_without_reply?: boolean } },
  ): Promise<{ message_id: number }>;
  sendChatAction(chatId: number, action: 'typing'): Promise<boolean>;
  sendDocument(chatId: number, document: InputFile, other?: { caption?: string }): Promise<{ message_id: number }>;
}

/** A file to send as a document (a member's data export). */
export interface OutgoingDocument {
  fileName: string;
  bytes: Uint8Array;
  /** Shown under the file; at most 1024 characters (Telegram's limit). */
  caption?: string;
}

/** Telegram's published limits; tests and benches relax them. */
export interface SendLimits {
  /** Messages per second over all chats (Telegram: about 30). */
  globalPerS: number;
  /** Messages per second in one private chat (Telegram: about 1). */
  privatePerS: number;
  /** Messages per minute in one group (Telegram: 20). */
  groupPerMin: number;
}

export const TELEGRAM_LIMITS: SendLimits = { globalPerS: 30, privatePerS: 1, groupPerMin: 20 };

export interface TelegramSenderOptions {
  api: SenderApi;
  clock: Clock;
  metrics: MetricsRegistry;
  logger?: Logger;
  limits?: SendLimits;
  /** Message parts one chat may have waiting. */
  maxQueuedPerChat?: number;
  /** Message parts all chats together may have waiting. */
  maxQueued?: number;
  /** Tries per part for transient failures (5xx, network). */
  maxAttempts?: number;
  /** First retry delay after a transient failure; doubles with each further try of the part, up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Jitter of the retry delays; default `Math.random`. */
  random?: RandomSource;
  /** Least time between two typing indicators in one chat (Telegram shows one for 5 s). */
  typingIntervalMs?: number;
  /**
   * Added to every window: requests reach Telegram a little after, and not
   * always in the order, we count them. Default: 5% of the window.
   */
  safetyMarginMs?: number;
}

export interface SenderStats {
  queued: number;
  chatsWaiting: number;
  inflight: number;
  sent: number;
  failed: number;
  retried: number;
  floodWaits: number;
  overflowed: number;
  typingSent: number;
  typingDropped: number;
  globalPausedUntilMs: number;
}

interface Job {
  chatId: number;
  remaining: number;
  messageIds: number[];
  enqueuedMs: number;
  resolve: (sent: SentReply) => void;
  reject: (error: unknown) => void;
}

interface Part {
  job: Job;
  text: string;
  /** Sent with sendDocument instead of sendMessage (`text` is then empty). */
  document?: OutgoingDocument;
  replyTo: number | undefined;
  attempts: number;
}

/** One chat's outgoing queue: at most one call in flight, so parts and retries keep their order. */
interface Lane {
  chatId: number;
  parts: Part[];
  window: SlidingWindow;
  pausedUntilMs: number;
  busy: boolean;
  ready: boolean;
  wake: TimerHandle | null;
}

/**
 * Every outgoing Telegram call goes through here.
 *
 * Why our own queue instead of `@grammyjs/transformer-throttler` +
 * `@grammyjs/auto-retry` (measured in `bench/egress.ts`): the throttler's
 * queues are unbounded (a flood of replies runs the process out of memory),
 * and auto-retry sleeps only the request that got the 429 while the others
 * in that chat keep running into the same limit. Here each chat has a
 * bounded queue with one call in flight; a 429 pauses the whole queue of that
 * chat for `retry_after` (or every chat, when several chats are told to wait
 * at once: that is the global limit); chats take turns round-robin so one
 * busy group cannot starve the others; transient failures (5xx, network) are
 * retried with jittered exponential backoff.
 */
export class TelegramSender implements ChatEgress {
  private readonly lanes = new Map<number, Lane>();
  private readonly ready: Lane[] = [];
  private readyHead = 0;
  private readonly global: SlidingWindow;
  private globalPausedUntilMs = 0;
  private pumpTimer: TimerHandle | null = null;
  private pumpDueMs = 0;
  private readonly recentFloods = new Map<number, number>();
  private readonly typingAt = new Map<number, number>();
  private queued = 0;
  private inflight = 0;
  private closed = false;
  private lanesCreated = 0;
  private drained: (() => void) | null = null;

  private readonly limits: SendLimits;
  private readonly maxQueuedPerChat: number;
  private readonly maxQueued: number;
  private readonly maxAttempts: number;
  private readonly retryBackoff: Backoff;
  private readonly typingIntervalMs: number;
  private readonly marginMs: number | undefined;

  private readonly meters: TelegramSenderMetrics;

  constructor(private readonly options: TelegramSenderOptions) {
    this.limits = options.limits ?? TELEGRAM_LIMITS;
    this.maxQueuedPerChat = options.maxQueuedPerChat ?? 50;
    this.maxQueued = options.maxQueued ?? 20_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.typingIntervalMs = options.typingIntervalMs ?? 4500;
    this.marginMs = options.safetyMarginMs;
    for (const [name, value] of Object.entries(this.limits)) {
      if (!(value > 0)) throw new InvalidOptionError(`limits.${name}`, `limits.${name} must be positive, got ${value}`);
    }
    if (!Number.isInteger(this.maxQueuedPerChat) || this.maxQueuedPerChat < 1)
      throw new InvalidOptionError('maxQueuedPerChat', 'maxQueuedPerChat must be a positive integer');
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1)
      throw new InvalidOptionError('maxAttempts', 'maxAttempts must be a positive integer');
    const retryBaseMs = options.retryBaseMs ?? 500;
    const retryMaxMs = options.retryMaxMs ?? 15_000;
    if (!(retryBaseMs > 0))
      throw new InvalidOptionError('retryBaseMs', `retryBaseMs must be positive, got ${retryBaseMs}`);
    if (!(retryMaxMs >= retryBaseMs))
      throw new InvalidOptionError('retryMaxMs', 'retryMaxMs must not be below retryBaseMs');
    this.retryBackoff = new Backoff({ minMs: retryBaseMs, maxMs: retryMaxMs }, options.random);
    this.global = windowFor(this.limits.globalPerS, 1000, this.marginMs);

    this.meters = new TelegramSenderMetrics(options.metrics, { queued: () => this.queued });
  }

  sendReply(chatId: number, text: string, options: { replyToMessageId?: number } = {}): Promise<SentReply> {
    if (this.closed) return Promise.reject(new EgressClosedError());
    const texts = splitMessage(text);
    const lane = this.laneFor(chatId);
    if (lane.parts.length + texts.length > this.maxQueuedPerChat)
      return this.overflow(chatId, 'chat', this.maxQueuedPerChat);
    if (this.queued + texts.length > this.maxQueued) return this.overflow(chatId, 'global', this.maxQueued);
    return new Promise<SentReply>((resolve, reject) => {
      const job: Job = {
        chatId,
        remaining: texts.length,
        messageIds: [],
        enqueuedMs: this.options.clock.now(),
        resolve,
        reject,
      };
      texts.forEach((t, i) =>
        lane.parts.push({ job, text: t, replyTo: i === 0 ? options.replyToMessageId : undefined, attempts: 0 }),
      );
      this.queued += texts.length;
      this.makeReady(lane);
      this.pump();
    });
  }

  /**
   * Sends a file as a document, queued in the chat's lane behind its
   * messages and under the same limits and retries. Telegram refuses a
   * private chat whose user never started the bot with 403: the promise
   * rejects with `TELEGRAM_SEND_FAILED` carrying that code, at once.
   */
  sendDocument(chatId: number, document: OutgoingDocument): Promise<SentReply> {
    if (this.closed) return Promise.reject(new EgressClosedError());
    const lane = this.laneFor(chatId);
    if (lane.parts.length + 1 > this.maxQueuedPerChat) return this.overflow(chatId, 'chat', this.maxQueuedPerChat);
    if (this.queued + 1 > this.maxQueued) return this.overflow(chatId, 'global', this.maxQueued);
    return new Promise<SentReply>((resolve, reject) => {
      const job: Job = { chatId, remaining: 1, messageIds: [], enqueuedMs: this.options.clock.now(), resolve, reject };
      lane.parts.push({ job, text: '', document, replyTo: undefined, attempts: 0 });
      this.queued++;
      this.makeReady(lane);
      this.pump();
    });
  }

  sendTyping(chatId: number): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    const lane = this.lanes.get(chatId);
    if (lane !== undefined && (lane.parts.length > 0 || lane.pausedUntilMs > now)) return; // a message is on its way, or the chat is told to wait
    const last = this.typingAt.get(chatId);
    if (last !== undefined && now - last < this.typingIntervalMs) return;
    if (this.global.nextAllowedAt(now) > now || this.globalPausedUntilMs > now) {
      this.meters.typingDropped.inc();
      return;
    }
    this.global.record(now);
    if (this.typingAt.size >= 10_000) this.forgetTypingBefore(now - this.typingIntervalMs);
    this.typingAt.set(chatId, now);
    this.meters.typingSent.inc();
    this.options.api.sendChatAction(chatId, 'typing').catch((error: unknown) => {
      // A lost typing indicator harms nobody: counted and logged, never retried.
      this.meters.typingDropped.inc();
      this.options.logger?.warn(
        { err: TelegramApiError.from('sendChatAction', error), chatId },
        'typing indicator failed',
      );
    });
  }

  stats(): SenderStats {
    return {
      queued: this.queued,
      chatsWaiting: this.ready.length - this.readyHead,
      inflight: this.inflight,
      sent: this.meters.sent.value,
      failed: this.meters.failed.value,
      retried: this.meters.retried.value,
      floodWaits: this.meters.floodWaits.value,
      overflowed: this.meters.overflowed.value,
      typingSent: this.meters.typingSent.value,
      typingDropped: this.meters.typingDropped.value,
      globalPausedUntilMs: this.globalPausedUntilMs,
    };
  }

  /**
   * Refuses new sends, lets queued ones go out until `deadlineMs`, then
   * rejects what is left with `EgressClosedError`.
   */
  async close(options: { deadlineMs?: number } = {}): Promise<void> {
    this.closed = true;
    if (this.queued > 0 || this.inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = this.options.clock.setTimer(() => finish(), options.deadlineMs ?? 5000);
        const finish = (): void => {
          this.options.clock.clearTimer(timer);
          this.drained = null;
          resolve();
        };
        this.drained = finish;
      });
    }
    if (this.pumpTimer !== null) this.options.clock.clearTimer(this.pumpTimer);
    this.pumpTimer = null;
    for (const lane of this.lanes.values()) {
      if (lane.wake !== null) this.options.clock.clearTimer(lane.wake);
      lane.wake = null;
      const jobs = new Set(lane.parts.map((p) => p.job));
      lane.parts = [];
      for (const job of jobs) job.reject(new EgressClosedError());
    }
    this.queued = 0;
  }

  // ---- scheduling ----

  private laneFor(chatId: number): Lane {
    let lane = this.lanes.get(chatId);
    if (lane === undefined) {
      // Telegram gives private chats positive ids and groups, supergroups and channels negative ones.
      const window =
        chatId > 0
          ? windowFor(this.limits.privatePerS, 1000, this.marginMs)
          : windowFor(this.limits.groupPerMin, 60_000, this.marginMs);
      lane = { chatId, parts: [], window, pausedUntilMs: 0, busy: false, ready: false, wake: null };
      this.lanes.set(chatId, lane);
      if (++this.lanesCreated % 1024 === 0) this.forgetIdleLanes();
    }
    return lane;
  }

  private makeReady(lane: Lane): void {
    if (lane.ready || lane.busy || lane.wake !== null || lane.parts.length === 0) return;
    lane.ready = true;
    this.ready.push(lane);
  }

  private pump(): void {
    const { clock } = this.options;
    const now = clock.now();
    while (this.readyHead < this.ready.length) {
      const globalAt = Math.max(this.global.nextAllowedAt(now), this.globalPausedUntilMs);
      if (globalAt > now) {
        this.armPump(globalAt);
        break;
      }
      const lane = this.ready[this.readyHead] as Lane;
      (this.ready as (Lane | undefined)[])[this.readyHead++] = undefined;
      lane.ready = false;
      const laneAt = Math.max(lane.window.nextAllowedAt(now), lane.pausedUntilMs);
      if (laneAt > now) {
        lane.wake = clock.setTimer(() => {
          lane.wake = null;
          this.makeReady(lane);
          this.pump();
        }, laneAt - now);
        continue;
      }
      this.global.record(now);
      lane.window.record(now);
      this.dispatch(lane, lane.parts[0] as Part);
    }
    if (this.readyHead === this.ready.length) {
      this.ready.length = 0;
      this.readyHead = 0;
    } else if (this.readyHead > 1024) {
      this.ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
  }

  private armPump(atMs: number): void {
    if (this.pumpTimer !== null && this.pumpDueMs <= atMs) return;
    if (this.pumpTimer !== null) this.options.clock.clearTimer(this.pumpTimer);
    this.pumpDueMs = atMs;
    this.pumpTimer = this.options.clock.setTimer(() => {
      this.pumpTimer = null;
      this.pump();
    }, atMs - this.options.clock.now());
  }

  private dispatch(lane: Lane, part: Part): void {
    lane.busy = true;
    this.inflight++;
    const other =
      part.replyTo === undefined
        ? {}
        : { reply_parameters: { message_id: part.replyTo, allow_sending_without_reply: true } };
    const document = part.document;
    const call =
      document === undefined
        ? this.options.api.sendMessage(lane.chatId, part.text, other)
        : this.options.api.sendDocument(
            lane.chatId,
            new InputFile(document.bytes, document.fileName),
            document.caption === undefined ? {} : { caption: document.caption },
          );
    call.then(
      (message) => this.delivered(lane, part, message.message_id),
      (error: unknown) => this.failedOnce(lane, part, error),
    );
  }

  private delivered(lane: Lane, part: Part, messageId: number): void {
    this.inflight--;
    lane.parts.shift();
    this.queued--;
    this.meters.sent.inc();
    const job = part.job;
    job.messageIds.push(messageId);
    if (--job.remaining === 0) {
      this.meters.latency.recordMs(this.options.clock.now() - job.enqueuedMs);
      job.resolve({ messageIds: job.messageIds });
    }
    this.laneDone(lane);
  }

  private failedOnce(lane: Lane, part: Part, thrown: unknown): void {
    this.inflight--;
    const now = this.options.clock.now();
    const error = TelegramApiError.from(methodOf(part), thrown);
    if (error.errorCode === 429) {
      const waitMs = Math.max(1, error.retryAfterS ?? 1) * 1000;
      this.meters.floodWaits.inc();
      lane.pausedUntilMs = now + waitMs;
      this.noteFlood(lane.chatId, now, waitMs);
      this.options.logger?.warn(
        { chatId: lane.chatId, retryAfterS: waitMs / 1000 },
        'Telegram flood limit hit; queue paused',
      );
    } else if (error.retryable && ++part.attempts < this.maxAttempts) {
      this.meters.retried.inc();
      lane.pausedUntilMs = now + this.retryBackoff.delayMs(part.attempts);
    } else {
      this.giveUp(lane, part.job, error, methodOf(part));
    }
    this.laneDone(lane);
  }

  private giveUp(lane: Lane, job: Job, error: TelegramApiError, method = 'sendMessage'): void {
    const before = lane.parts.length;
    lane.parts = lane.parts.filter((p) => p.job !== job);
    this.queued -= before - lane.parts.length;
    this.meters.failed.inc();
    this.options.logger?.warn(
      { chatId: lane.chatId, code: error.errorCode, description: error.description },
      'reply given up',
    );
    job.reject(
      new TelegramSendFailedError(lane.chatId, method, error.errorCode, error.description, {
        cause: error,
        retryable: error.retryable,
      }),
    );
  }

  private laneDone(lane: Lane): void {
    lane.busy = false;
    this.makeReady(lane);
    if (this.drained !== null && this.queued === 0 && this.inflight === 0) this.drained();
    this.pump();
  }

  /** Several chats told to wait within a second means the bot-wide limit: pause everything. */
  private noteFlood(chatId: number, now: number, waitMs: number): void {
    this.recentFloods.set(chatId, now);
    for (const [id, at] of this.recentFloods) if (now - at > 1000) this.recentFloods.delete(id);
    if (this.recentFloods.size >= 3) {
      this.globalPausedUntilMs = Math.max(this.globalPausedUntilMs, now + waitMs);
      this.options.logger?.warn(
        { retryAfterS: waitMs / 1000 },
        'Telegram flood limit hit across chats; all sending paused',
      );
    }
  }

  private overflow(chatId: number, scope: 'chat' | 'global', capacity: number): Promise<SentReply> {
    this.meters.overflowed.inc();
    return Promise.reject(new EgressOverflowError(chatId, scope, capacity));
  }

  private forgetIdleLanes(): void {
    const now = this.options.clock.now();
    for (const [id, lane] of this.lanes) {
      if (
        lane.parts.length === 0 &&
        !lane.busy &&
        lane.wake === null &&
        lane.pausedUntilMs <= now &&
        lane.window.isClear(now)
      )
        this.lanes.delete(id);
    }
  }

  private forgetTypingBefore(cutoffMs: number): void {
    for (const [id, at] of this.typingAt) if (at < cutoffMs) this.typingAt.delete(id);
  }
}

function windowFor(count: number, perMs: number, marginMs: number | undefined): SlidingWindow {
  // Fractional rates (e.g. 0.5/s) become one event per longer window.
  const [limit, windowMs] = count >= 1 ? [Math.floor(count), perMs] : [1, perMs / count];
  return new SlidingWindow(limit, windowMs + (marginMs ?? windowMs * 0.05));
}

function methodOf(part: Part): string {
  return part.document === undefined ? 'sendMessage' : 'sendDocument';
}
