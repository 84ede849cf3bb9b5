import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  Groq,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'groq-sdk';
import {
  Backoff,
  type Clock,
  type Histogram,
  InvalidOptionError,
  type Logger,
  type MetricsRegistry,
  type RandomSource,
} from '../runtime/index.js';
import { BoundedSemaphore } from './bounded-semaphore.js';
import { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from '../runtime/index.js';
import { DailyTokenBudget } from './daily-token-budget.js';
import { LlmChatBusyError } from './errors.js';
import type { ToolSpec } from '../ports/index.js';
import type { ChatTurn, LlmPort, LlmReply, LlmRequest, OfflineReason, ToolChoice } from './llm-port.js';
import { LlmGatewayMetrics } from './llm-gateway-metrics.js';
import { estimateCostUsd, GROQ_PRICES, type ModelPrice } from './model-prices.js';
import { OfflineResponder } from './offline-responder.js';
import { TokenBucket } from './token-bucket.js';
import { readToolCalls, toGroqTools } from './tool-calls.js';

export interface LlmGatewayOptions {
  /** No key: every reply comes from the offline responder. */
  apiKey?: string;
  /** OpenAI-compatible Groq endpoint root (an emulator in tests); default Groq's. */
  baseURL?: string;
  /**
   * The model, then the fallbacks tried when it is rate-limited or unavailable.
   * A request naming its own model (a persona's) puts that one first instead.
   */
  models: readonly string[];
  /** Timeout of one model call. */
  timeoutMs?: number;
  /** Longest a request may take in all, retries and waits included. */
  deadlineMs?: number;
  maxTokens?: number;
  temperature?: number;
  /** Account budgets per minute (Groq's RPM and TPM limits). */
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Longest wait for the per-minute budgets before answering offline. */
  budgetWaitMs?: number;
  maxConcurrency?: number;
  /** Requests that may wait for a free slot; more are answered offline. */
  maxQueued?: number;
  /** Calls per request for transient failures (5xx, timeouts, connection errors). */
  maxAttempts?: number;
  /** First retry delay after a transient failure; doubles with each further call, up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Jitter of the retry delays; default `Math.random`. */
  random?: RandomSource;
  breaker?: CircuitBreakerOptions;
  /** Tokens a chat / a user may use per UTC day; 0 or unset: no limit. */
  dailyTokensPerChat?: number;
  dailyTokensPerUser?: number;
  prices?: Readonly<Record<string, ModelPrice>>;
  clock: Clock;
  metrics: MetricsRegistry;
  logger?: Logger;
}

/** One finished request, for the admin surface. */
export interface LlmRequestRecord {
  atMs: number;
  chatId: number;
  userId: number;
  source: LlmReply['source'];
  offlineReason?: OfflineReason;
  model?: string;
  attempts: number;
  /** Tool calls the model asked for instead of answering. */
  toolCalls?: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface LlmStats {
  online: boolean;
  models: string[];
  breaker: BreakerState;
  breakerOpenings: number;
  requests: number;
  modelReplies: number;
  offlineReplies: number;
  offlineByReason: Record<string, number>;
  budgetRefusals: number;
  failures: number;
  retries: number;
  rateLimited: number;
  fallbacks: number;
  toolCallReplies: number;
  malformedToolCalls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  unpricedModels: string[];
  inflight: number;
  queued: number;
  latencyMs: ReturnType<Histogram['summary']>;
  recent: LlmRequestRecord[];
}

type CallFailure =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'unavailable' }
  | { kind: 'transient' }
  | { kind: 'tool-use-failed' }
  | { kind: 'rejected' };

const MODEL_UNAVAILABLE_MS = 10 * 60_000;
const RECENT_RECORDS = 100;
/** Models remembered as cooling down before the expired entries are swept. */
const MAX_COOLDOWNS = 64;
/** Models listed as unpriced in the stats, at most. */
const MAX_UNPRICED = 32;

/**
 * The one way to the model. Owns the account's per-minute request and token
 * budgets, bounded concurrency (and one request per chat), timeouts, retries
 * (honouring `retry-after` on 429; backoff on 5xx and network errors), the
 * model fallback chain (a request may name its own first model), a circuit breaker, per-request accounting with a cost
 * estimate, and optional daily budgets per chat and user. Whatever goes
 * wrong, the caller gets a reply: the offline responder's when the model
 * cannot give one, labelled `offline` in the reply, the log and the stats.
 *
 * groq-sdk's own retries are off (`maxRetries: 0`): it would retry a 429 on
 * the same model, where we move to the next model of the chain first.
 */
export class LlmGateway implements LlmPort {
  private readonly client: Groq | null;
  private readonly models: string[];
  private readonly offline = new OfflineResponder();
  private readonly breaker: CircuitBreaker;
  private readonly slots: BoundedSemaphore;
  private readonly rpm: TokenBucket;
  private readonly tpm: TokenBucket;
  private readonly daily: DailyTokenBudget;
  private readonly chatsInFlight = new Set<number>();
  private readonly cooldownUntil = new Map<string, number>();
  private readonly offlineByReason = new Map<OfflineReason, number>();
  private readonly unpriced = new Set<string>();
  private readonly recent: LlmRequestRecord[] = [];
  private costUsd = 0;

  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxTokens: number;
  private readonly budgetWaitMs: number;
  private readonly maxAttempts: number;
  private readonly retryBackoff: Backoff;
  private readonly prices: Readonly<Record<string, ModelPrice>>;

  private readonly meters: LlmGatewayMetrics;

  constructor(private readonly options: LlmGatewayOptions) {
    if (options.models.length === 0) throw new InvalidOptionError('models', 'at least one model is needed');
    this.models = [...new Set(options.models)];
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.deadlineMs = options.deadlineMs ?? Math.max(30_000, this.timeoutMs * 2);
    this.maxTokens = options.maxTokens ?? 512;
    this.budgetWaitMs = options.budgetWaitMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.prices = options.prices ?? GROQ_PRICES;
    for (const [name, value] of Object.entries({
      timeoutMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
      maxTokens: this.maxTokens,
    })) {
      if (!(value > 0)) throw new InvalidOptionError(name, `${name} must be positive, got ${value}`);
    }
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1)
      throw new InvalidOptionError('maxAttempts', 'maxAttempts must be a positive integer');
    const retryBaseMs = options.retryBaseMs ?? 250;
    const retryMaxMs = options.retryMaxMs ?? 8000;
    if (!(retryBaseMs > 0))
      throw new InvalidOptionError('retryBaseMs', `retryBaseMs must be positive, got ${retryBaseMs}`);
    if (!(retryMaxMs >= retryBaseMs))
      throw new InvalidOptionError('retryMaxMs', 'retryMaxMs must not be below retryBaseMs');
    this.retryBackoff = new Backoff({ minMs: retryBaseMs, maxMs: retryMaxMs }, options.random);
    const now = options.clock.now();
    this.client =
      options.apiKey === undefined
        ? null
        : new Groq({
            apiKey: options.apiKey,
            maxRetries: 0,
            timeout: this.timeoutMs,
            ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
          });
    this.breaker = new CircuitBreaker(options.breaker);
    const concurrency = options.maxConcurrency ?? 16;
    this.slots = new BoundedSemaphore(concurrency, options.maxQueued ?? concurrency * 16);
    this.rpm = new TokenBucket(options.requestsPerMinute ?? 30, now);
    this.tpm = new TokenBucket(options.tokensPerMinute ?? 6000, now);
    this.daily = new DailyTokenBudget(options.dailyTokensPerChat ?? 0, options.dailyTokensPerUser ?? 0);

    this.meters = new LlmGatewayMetrics(options.metrics, [...this.models, ...Object.keys(this.prices)], {
      costUsd: () => this.costUsd,
      inflight: () => this.slots.inUse,
      queued: () => this.slots.queued,
      breakerOpen: () => (this.breaker.state(options.clock.now()) === 'open' ? 1 : 0),
    });
  }

  /** True when a Groq key is configured (replies can come from the model). */
  get online(): boolean {
    return this.client !== null;
  }

  async complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmReply> {
    const { clock } = this.options;
    const started = clock.now();
    this.meters.requests.inc();
    const spent = this.daily.exhausted(request.chatId, request.userId, started);
    if (spent !== null) {
      this.meters.budgetRefusals.inc();
      return this.finish(
        request,
        {
          text: this.offline.refusal(request.messages, request.language, request.offline?.refusal),
          source: 'budget',
          ...zeroUsage(started, clock),
        },
        0,
      );
    }
    if (this.client === null) return this.answerOffline(request, 'no-api-key', started, 0);
    if (!this.breaker.allows(started)) return this.answerOffline(request, 'breaker-open', started, 0);
    if (this.chatsInFlight.has(request.chatId)) throw new LlmChatBusyError(request.chatId);
    this.chatsInFlight.add(request.chatId);
    try {
      if (!(await this.slots.acquire(signal))) {
        signal?.throwIfAborted();
        return this.answerOffline(request, 'overloaded', started, 0);
      }
      try {
        return await this.callWithRetries(this.client, request, started, signal);
      } finally {
        this.slots.release();
      }
    } finally {
      this.chatsInFlight.delete(request.chatId);
    }
  }

  stats(): LlmStats {
    const now = this.options.clock.now();
    return {
      online: this.online,
      models: [...this.models],
      breaker: this.breaker.state(now),
      breakerOpenings: this.breaker.openings,
      requests: this.meters.requests.value,
      modelReplies: this.meters.modelReplies.value,
      offlineReplies: this.meters.offlineReplies.value,
      offlineByReason: Object.fromEntries(this.offlineByReason),
      budgetRefusals: this.meters.budgetRefusals.value,
      failures: this.meters.failures.value,
      retries: this.meters.retries.value,
      rateLimited: this.meters.rateLimited.value,
      fallbacks: this.meters.fallbacks.value,
      toolCallReplies: this.meters.toolCallReplies.value,
      malformedToolCalls: this.meters.malformedToolCalls.value,
      promptTokens: this.meters.promptTokens.value,
      completionTokens: this.meters.completionTokens.value,
      costUsd: this.costUsd,
      unpricedModels: [...this.unpriced],
      inflight: this.slots.inUse,
      queued: this.slots.queued,
      latencyMs: this.meters.latency.summary(),
      recent: [...this.recent],
    };
  }

  private async callWithRetries(
    client: Groq,
    request: LlmRequest,
    started: number,
    signal: AbortSignal | undefined,
  ): Promise<LlmReply> {
    const { clock, logger } = this.options;
    const deadline = started + this.deadlineMs;
    const maxTokens = request.maxTokens ?? this.maxTokens;
    const tools = request.tools ?? [];
    const estimate = estimateTokens(request.messages) + toolTokens(tools) + maxTokens;
    // A model that cannot write a usable tool call is asked again for a plain answer.
    let toolChoice: ToolChoice = request.toolChoice ?? 'auto';
    const chain = this.chainFor(request);
    let attempts = 0;
    let lastFailure: OfflineReason = 'failed';
    while (attempts < this.maxAttempts) {
      const now = clock.now();
      const model = this.availableModel(chain, now);
      if (model === undefined) {
        const waitMs = this.soonestModelMs(chain, now) - now;
        if (now + waitMs > deadline) return this.answerOffline(request, 'rate-limited', started, attempts);
        await this.sleep(waitMs, signal);
        continue;
      }
      const budgetWaitMs = this.reserveBudget(estimate, now);
      if (budgetWaitMs > 0) {
        if (budgetWaitMs > this.budgetWaitMs || now + budgetWaitMs > deadline)
          return this.answerOffline(request, 'account-budget', started, attempts);
        await this.sleep(budgetWaitMs, signal);
        continue;
      }
      if (!this.breaker.allows(now)) return this.answerOffline(request, 'breaker-open', started, attempts);
      attempts++;
      if (attempts > 1) this.meters.retries.inc();
      try {
        const completion = await client.chat.completions.create(
          {
            model,
            messages: request.messages,
            max_tokens: maxTokens,
            temperature: this.options.temperature ?? 0.8,
            ...(tools.length === 0 ? {} : { tools: toGroqTools(tools), tool_choice: toolChoice }),
          },
          {
            timeout: Math.max(1, Math.min(this.timeoutMs, deadline - now)),
            maxRetries: 0,
            ...(signal === undefined ? {} : { signal }),
          },
        );
        this.breaker.success();
        const promptTokens = completion.usage?.prompt_tokens ?? 0;
        const completionTokens = completion.usage?.completion_tokens ?? 0;
        this.tpm.adjust(estimate - (promptTokens + completionTokens), clock.now());
        const message = completion.choices[0]?.message;
        const text = message?.content?.trim() ?? '';
        const asked = tools.length > 0 && toolChoice === 'auto' ? readToolCalls(message?.tool_calls) : null;
        const toolCalls = asked?.calls ?? [];
        if (asked !== null && asked.malformed > 0) {
          this.meters.malformedToolCalls.inc(asked.malformed);
          logger?.warn(
            { model, malformed: asked.malformed, chatId: request.chatId },
            'model wrote tool calls that could not be read',
          );
        }
        if (toolCalls.length === 0 && text === '') {
          this.meters.failures.inc();
          lastFailure = 'failed';
          if (asked !== null && asked.malformed > 0) toolChoice = 'none';
          continue;
        }
        if (model !== chain[0]) this.meters.fallbacks.inc();
        this.meters.modelReplies.inc();
        if (toolCalls.length > 0) this.meters.toolCallReplies.inc();
        const price = this.prices[completion.model] ?? this.prices[model];
        if (price === undefined && this.unpriced.size < MAX_UNPRICED) this.unpriced.add(model);
        const costUsd = estimateCostUsd(price, promptTokens, completionTokens);
        this.meters.countModelReply(model, promptTokens, completionTokens, costUsd);
        this.daily.spend(request.chatId, request.userId, promptTokens + completionTokens, clock.now());
        return this.finish(
          request,
          {
            text: toolCalls.length > 0 ? '' : text,
            ...(toolCalls.length > 0 ? { toolCalls } : {}),
            source: 'groq',
            model,
            promptTokens,
            completionTokens,
            latencyMs: clock.now() - started,
            costUsd,
          },
          attempts,
        );
      } catch (error) {
        if (signal?.aborted === true || error instanceof APIUserAbortError) throw error;
        // The call never produced tokens we know of: give the estimate back.
        this.tpm.adjust(estimate, clock.now());
        this.meters.failures.inc();
        const failure = classify(error);
        const failedAt = clock.now();
        logger?.warn(
          { err: error, model, attempt: attempts, failure: failure.kind, chatId: request.chatId },
          'model call failed',
        );
        switch (failure.kind) {
          case 'rate-limited':
            this.meters.rateLimited.inc();
            this.coolDown(model, failedAt + failure.retryAfterMs, failedAt);
            lastFailure = 'rate-limited';
            break;
          case 'unavailable':
            this.coolDown(model, failedAt + MODEL_UNAVAILABLE_MS, failedAt);
            lastFailure = 'failed';
            break;
          case 'transient': {
            this.breaker.failure(failedAt);
            lastFailure = 'failed';
            if (!this.breaker.allows(failedAt)) return this.answerOffline(request, 'breaker-open', started, attempts);
            const backoffMs = this.retryBackoff.delayMs(attempts);
            if (failedAt + backoffMs > deadline) return this.answerOffline(request, 'failed', started, attempts);
            await this.sleep(backoffMs, signal);
            break;
          }
          case 'tool-use-failed':
            // Groq could not parse the tool call the model wrote (400 `tool_use_failed`).
            this.meters.malformedToolCalls.inc();
            lastFailure = 'failed';
            if (tools.length === 0 || toolChoice === 'none')
              return this.answerOffline(request, 'rejected', started, attempts);
            toolChoice = 'none';
            break;
          case 'rejected':
            return this.answerOffline(request, 'rejected', started, attempts);
        }
      }
    }
    return this.answerOffline(request, lastFailure, started, attempts);
  }

  /** The request's own model, when it names one, then the configured chain without it. */
  private chainFor(request: LlmRequest): readonly string[] {
    const own = request.model;
    if (own === undefined || own === this.models[0]) return this.models;
    return [own, ...this.models.filter((m) => m !== own)];
  }

  /** The first model of the chain not cooling down after a 429 or an outage. */
  private availableModel(chain: readonly string[], now: number): string | undefined {
    return chain.find((m) => (this.cooldownUntil.get(m) ?? 0) <= now);
  }

  private soonestModelMs(chain: readonly string[], now: number): number {
    return Math.min(...chain.map((m) => this.cooldownUntil.get(m) ?? now));
  }

  /** Rests `model` until `untilMs`; cooldowns already over are swept once many models have had one. */
  private coolDown(model: string, untilMs: number, now: number): void {
    if (this.cooldownUntil.size >= MAX_COOLDOWNS)
      for (const [m, until] of this.cooldownUntil) if (until <= now) this.cooldownUntil.delete(m);
    this.cooldownUntil.set(model, untilMs);
  }

  /** Takes one request and `tokens` from the minute budgets, or returns how long to wait. */
  private reserveBudget(tokens: number, now: number): number {
    const requestWait = this.rpm.take(1, now);
    if (requestWait > 0) return requestWait;
    const tokenWait = this.tpm.take(tokens, now);
    if (tokenWait > 0) {
      this.rpm.adjust(1, now);
      return tokenWait;
    }
    return 0;
  }

  private answerOffline(request: LlmRequest, reason: OfflineReason, started: number, attempts: number): LlmReply {
    this.meters.offlineReplies.inc();
    this.offlineByReason.set(reason, (this.offlineByReason.get(reason) ?? 0) + 1);
    this.options.logger?.info({ offline: true, reason, chatId: request.chatId }, 'offline responder answered');
    return this.finish(
      request,
      {
        text: this.offline.offline(request.messages, request.language, request.offline?.unavailable),
        source: 'offline',
        offlineReason: reason,
        ...zeroUsage(started, this.options.clock),
      },
      attempts,
    );
  }

  private finish(request: LlmRequest, reply: LlmReply, attempts: number): LlmReply {
    this.meters.latency.recordMs(reply.latencyMs);
    this.meters.promptTokens.inc(reply.promptTokens);
    this.meters.completionTokens.inc(reply.completionTokens);
    this.costUsd += reply.costUsd;
    if (this.recent.length >= RECENT_RECORDS) this.recent.shift();
    this.recent.push({
      atMs: this.options.clock.now(),
      chatId: request.chatId,
      userId: request.userId,
      source: reply.source,
      ...(reply.offlineReason === undefined ? {} : { offlineReason: reply.offlineReason }),
      ...(reply.model === undefined ? {} : { model: reply.model }),
      attempts,
      ...(reply.toolCalls === undefined ? {} : { toolCalls: reply.toolCalls.length }),
      latencyMs: reply.latencyMs,
      promptTokens: reply.promptTokens,
      completionTokens: reply.completionTokens,
      costUsd: reply.costUsd,
    });
    return reply;
  }

  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = this.options.clock.setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        this.options.clock.clearTimer(timer);
        reject(signal?.reason);
      };
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function zeroUsage(
  started: number,
  clock: Clock,
): Pick<LlmReply, 'promptTokens' | 'completionTokens' | 'latencyMs' | 'costUsd'> {
  return { promptTokens: 0, completionTokens: 0, latencyMs: clock.now() - started, costUsd: 0 };
}

/** Rough token count for budgeting before the call (about 3 characters a token, Cyrillic included). */
function estimateTokens(messages: readonly ChatTurn[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += (m.content?.length ?? 0) + 8;
    if (m.role === 'assistant')
      for (const call of m.tool_calls ?? []) chars += call.function.name.length + call.function.arguments.length + 16;
  }
  return Math.ceil(chars / 3);
}

/** Tools count against the prompt too: their names, descriptions and schemas are sent with it. */
function toolTokens(tools: readonly ToolSpec[]): number {
  if (tools.length === 0) return 0;
  return Math.ceil(JSON.stringify(tools).length / 3);
}

function classify(error: unknown): CallFailure {
  if (error instanceof RateLimitError)
    return { kind: 'rate-limited', retryAfterMs: retryAfterMs(error.headers) ?? 1000 };
  if (error instanceof NotFoundError) return { kind: 'unavailable' };
  if (error instanceof InternalServerError || error instanceof APIConnectionError) return { kind: 'transient' };
  if (error instanceof APIError) {
    const code = (error.error as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (code === 'model_decommissioned' || code === 'model_not_found') return { kind: 'unavailable' };
    if (code === 'tool_use_failed') return { kind: 'tool-use-failed' };
    if (error.status === 408 || error.status === 409) return { kind: 'transient' };
    return { kind: 'rejected' };
  }
  return { kind: 'transient' };
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
