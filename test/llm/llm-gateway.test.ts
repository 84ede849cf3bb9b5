import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmChatBusyError, LlmGateway, type LlmGatewayOptions, type LlmRequest } from '../../src/llm/index.js';
import { MetricsRegistry, SystemClock, type TimerHandle } from '../../src/runtime/index.js';
import { GroqEmulator } from '../../src/sandbox/index.js';

let groq: GroqEmulator;

beforeAll(async () => {
  groq = await GroqEmulator.start({ latency: 2, faultHoldMs: 3000 });
});
afterAll(async () => {
  await groq.close();
});
beforeEach(() => {
  groq.clearFaults();
  groq.setLatency(2);
});

function gateway(options: Partial<LlmGatewayOptions> = {}): LlmGateway {
  return new LlmGateway({
    apiKey: groq.apiKey,
    baseURL: groq.baseURL,
    models: ['llama-3.1-8b-instant'],
    requestsPerMinute: 10_000,
    tokensPerMinute: 10_000_000,
    retryBaseMs: 20,
    clock: new SystemClock(),
    metrics: new MetricsRegistry(),
    ...options,
  });
}

/** Real time that notes every wait the gateway schedules. */
class WaitRecordingClock extends SystemClock {
  readonly waitsMs: number[] = [];

  override setTimer(fn: () => void, ms: number): TimerHandle {
    this.waitsMs.push(ms);
    return super.setTimer(fn, ms);
  }
}

let nextChat = 1;
function ask(text: string, overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    chatId: nextChat++,
    userId: 77,
    messages: [
      { role: 'system', content: 'persona' },
      { role: 'user', content: text },
    ],
    ...overrides,
  };
}

describe('LlmGateway through the Groq emulator', () => {
  it('returns the model’s reply with its usage and a cost estimate', async () => {
    const llm = gateway();
    const reply = await llm.complete(ask('как дела?'));
    expect(reply.source).toBe('groq');
    expect(reply.text).toContain('как дела?');
    expect(reply.promptTokens).toBeGreaterThan(0);
    expect(reply.completionTokens).toBeGreaterThan(0);
    expect(reply.costUsd).toBeCloseTo((reply.promptTokens * 0.05 + reply.completionTokens * 0.08) / 1e6, 12);
    const stats = llm.stats();
    expect(stats.recent[0]).toMatchObject({ source: 'groq', model: 'llama-3.1-8b-instant', attempts: 1 });
    expect(stats.costUsd).toBe(reply.costUsd);
  });

  it('waits out retry-after on a 429 before trying the same model again', async () => {
    const llm = gateway();
    groq.injectFault({ kind: '429', retryAfterS: 1 });
    const started = Date.now();
    const reply = await llm.complete(ask('hello'));
    expect(reply.source).toBe('groq');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(llm.stats().rateLimited).toBe(1);
  });

  it('moves to the fallback model when the main one is rate-limited', async () => {
    const llm = gateway({ models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'] });
    groq.injectFault({ kind: '429', target: 'llama-3.1-8b-instant', retryAfterS: 60 });
    const started = Date.now();
    const reply = await llm.complete(ask('hello'));
    expect(reply).toMatchObject({ source: 'groq', model: 'llama-3.3-70b-versatile' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(llm.stats().fallbacks).toBe(1);
  });

  it('skips a model that does not exist and uses the next one', async () => {
    const llm = gateway({ models: ['no-such-model', 'llama-3.1-8b-instant'] });
    expect(await llm.complete(ask('hi'))).toMatchObject({ source: 'groq', model: 'llama-3.1-8b-instant' });
  });

  it('retries a 5xx and a reset connection with backoff', async () => {
    const llm = gateway();
    groq.injectFault({ kind: '5xx' });
    groq.injectFault({ kind: 'reset' });
    const reply = await llm.complete(ask('hi'));
    expect(reply.source).toBe('groq');
    expect(llm.stats().retries).toBe(2);
  });

  it('waits between retries for the delays drawn from its injected random source', async () => {
    const clock = new WaitRecordingClock();
    const llm = gateway({ clock, retryBaseMs: 40, retryMaxMs: 1000, random: () => 0.5 });
    groq.injectFault({ kind: '5xx' });
    groq.injectFault({ kind: '5xx' });
    const reply = await llm.complete(ask('hi'));
    expect(reply.source).toBe('groq');
    // Three quarters of 40 ms, then of 80 ms.
    expect(clock.waitsMs).toEqual([30, 60]);
  });

  it('refuses retry delays that do not grow from a positive start at construction', () => {
    expect(() => gateway({ retryBaseMs: 0 })).toThrow(/retryBaseMs/);
    expect(() => gateway({ retryBaseMs: 500, retryMaxMs: 100 })).toThrow(/retryMaxMs/);
  });

  it('answers offline when every attempt times out', async () => {
    const llm = gateway({ timeoutMs: 150, maxAttempts: 2 });
    groq.injectFault({ kind: 'timeout', count: 2 });
    const reply = await llm.complete(ask('hello?'));
    expect(reply).toMatchObject({ source: 'offline', offlineReason: 'failed' });
    expect(reply.text.length).toBeGreaterThan(0);
  });

  it('opens the breaker after repeated failures and then answers offline without calling Groq', async () => {
    const llm = gateway({ breaker: { failureThreshold: 3, cooldownMs: 60_000 }, maxAttempts: 5 });
    groq.injectFault({ kind: '5xx', count: 10 });
    const first = await llm.complete(ask('one'));
    expect(first).toMatchObject({ source: 'offline', offlineReason: 'breaker-open' });
    const before = groq.stats().requests;
    const second = await llm.complete(ask('два'));
    expect(second).toMatchObject({ source: 'offline', offlineReason: 'breaker-open' });
    expect(groq.stats().requests).toBe(before);
    expect(second.text).toMatch(/[а-я]/);
    expect(llm.stats().breaker).toBe('open');
  });

  it('answers offline, labelled, when no key is configured', async () => {
    const llm = new LlmGateway({
      baseURL: groq.baseURL,
      models: ['llama-3.1-8b-instant'],
      clock: new SystemClock(),
      metrics: new MetricsRegistry(),
    });
    const reply = await llm.complete(ask('hi'));
    expect(reply).toMatchObject({ source: 'offline', offlineReason: 'no-api-key' });
    expect(llm.stats().offlineByReason).toEqual({ 'no-api-key': 1 });
  });

  it('answers offline in the language the request asks for, whatever the transcript is in', async () => {
    const llm = new LlmGateway({
      baseURL: groq.baseURL,
      models: ['llama-3.1-8b-instant'],
      clock: new SystemClock(),
      metrics: new MetricsRegistry(),
    });
    const russianTranscript = 'Лёха, как дела?';
    const uk = await llm.complete(ask(russianTranscript, { language: 'uk' }));
    const ru = await llm.complete(ask(russianTranscript, { language: 'ru' }));
    expect(uk.source).toBe('offline');
    expect(uk.text).toMatch(/[іїєґ’]/);
    expect(ru.text).not.toMatch(/[іїєґ’]/);
    expect(uk.text).not.toBe(ru.text);
    // Without a language, the last user message decides.
    expect((await llm.complete(ask('Льохо, привіт! Що нового?'))).text).toMatch(/[іїєґ’]/);
  });

  it('refuses in Ukrainian once the daily tokens are spent in a Ukrainian chat', async () => {
    const llm = gateway({ dailyTokensPerChat: 10 });
    const request = ask('Льохо, розкажи анекдот', { language: 'uk' });
    expect((await llm.complete(request)).source).toBe('groq');
    const refusal = await llm.complete({ ...request });
    expect(refusal.source).toBe('budget');
    expect(refusal.text).toMatch(/ліміт/i);
  });

  it('refuses in persona, without a model call, once a chat has spent its daily tokens', async () => {
    const llm = gateway({ dailyTokensPerChat: 10 });
    const request = ask('Лёха, расскажи анекдот');
    expect((await llm.complete(request)).source).toBe('groq');
    const before = groq.stats().requests;
    const refusal = await llm.complete({ ...request });
    expect(refusal.source).toBe('budget');
    expect(refusal.text).toMatch(/лимит/i);
    expect(groq.stats().requests).toBe(before);
  });

  it('refuses a user over their daily budget in every chat', async () => {
    const llm = gateway({ dailyTokensPerUser: 10 });
    await llm.complete(ask('hi', { userId: 5 }));
    expect((await llm.complete(ask('hi again', { userId: 5 }))).source).toBe('budget');
    expect((await llm.complete(ask('hi', { userId: 6 }))).source).toBe('groq');
  });

  it('allows one request per chat at a time', async () => {
    const llm = gateway();
    groq.setLatency(100);
    const first = llm.complete(ask('one', { chatId: 4242 }));
    await expect(llm.complete(ask('two', { chatId: 4242 }))).rejects.toBeInstanceOf(LlmChatBusyError);
    await first;
  });

  it('answers offline rather than queueing without bound when all slots are busy', async () => {
    const llm = gateway({ maxConcurrency: 1, maxQueued: 1 });
    groq.setLatency(100);
    const replies = await Promise.all([llm.complete(ask('a')), llm.complete(ask('b')), llm.complete(ask('c'))]);
    expect(replies.map((r) => r.source)).toEqual(['groq', 'groq', 'offline']);
    expect(replies[2]?.offlineReason).toBe('overloaded');
  });

  it('answers offline when the per-minute request budget would make it wait too long', async () => {
    const llm = gateway({ requestsPerMinute: 1, budgetWaitMs: 500 });
    expect((await llm.complete(ask('a'))).source).toBe('groq');
    expect(await llm.complete(ask('b'))).toMatchObject({ source: 'offline', offlineReason: 'account-budget' });
  });
});
