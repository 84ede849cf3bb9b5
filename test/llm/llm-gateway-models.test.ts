import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LlmGateway,
  type LlmGatewayOptions,
  type LlmRequest,
  MAX_EXTRA_MODEL_LABELS,
  OTHER_MODEL_LABEL,
} from '../../src/llm/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { GroqEmulator } from '../../src/sandbox/index.js';

const MAIN = 'llama-3.1-8b-instant';
const FALLBACK = 'llama-3.3-70b-versatile';
const TUNED = 'ft:llama-3.1-8b:acme:lekha:abc123';
/** More fine-tuned models than the metrics label one by one. */
const EXTRA = Array.from({ length: MAX_EXTRA_MODEL_LABELS + 3 }, (_, i) => `ft:llama-3.1-8b:acme:extra:${i}`);

let groq: GroqEmulator;

beforeAll(async () => {
  groq = await GroqEmulator.start({ latency: 1, models: [MAIN, FALLBACK, TUNED, ...EXTRA] });
});
afterAll(async () => {
  await groq.close();
});
beforeEach(() => {
  groq.clearFaults();
});

function gateway(options: Partial<LlmGatewayOptions> = {}): { llm: LlmGateway; metrics: MetricsRegistry } {
  const metrics = new MetricsRegistry();
  const llm = new LlmGateway({
    apiKey: groq.apiKey,
    baseURL: groq.baseURL,
    models: [MAIN, FALLBACK],
    requestsPerMinute: 10_000,
    tokensPerMinute: 10_000_000,
    retryBaseMs: 20,
    clock: new SystemClock(),
    metrics,
    ...options,
  });
  return { llm, metrics };
}

let nextChat = 1;
function ask(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    chatId: nextChat++,
    userId: 7,
    messages: [
      { role: 'system', content: 'persona' },
      { role: 'user', content: 'привет' },
    ],
    ...overrides,
  };
}

function counted(metrics: MetricsRegistry, name: string, model: string): number | undefined {
  return (metrics.get(name, { model }) as { value: number } | undefined)?.value;
}

describe('a request that names its own model', () => {
  it('is answered by that model at the endpoint, priced and counted under its name', async () => {
    const { llm, metrics } = gateway();
    const before = groq.stats().byModel[TUNED] ?? 0;
    const reply = await llm.complete(ask({ model: TUNED }));
    expect(reply).toMatchObject({ source: 'groq', model: TUNED, costUsd: 0 });
    expect(groq.stats().byModel[TUNED]).toBe(before + 1);
    const stats = llm.stats();
    expect(stats.fallbacks).toBe(0);
    expect(stats.unpricedModels).toEqual([TUNED]);
    expect(stats.recent.at(-1)).toMatchObject({ model: TUNED, attempts: 1 });
    expect(counted(metrics, 'lekha_llm_replies_by_model_total', TUNED)).toBe(1);
    expect(counted(metrics, 'lekha_llm_prompt_tokens_by_model_total', TUNED)).toBe(reply.promptTokens);

    // A request without one still goes to the configured model, priced.
    const plain = await llm.complete(ask());
    expect(plain.model).toBe(MAIN);
    expect(plain.costUsd).toBeGreaterThan(0);
    expect(counted(metrics, 'lekha_llm_cost_usd_by_model_total', MAIN)).toBe(plain.costUsd);
  });

  it('falls back to the configured chain when its model is rate-limited', async () => {
    const { llm, metrics } = gateway();
    groq.injectFault({ kind: '429', target: TUNED, retryAfterS: 60 });
    const reply = await llm.complete(ask({ model: TUNED }));
    expect(reply).toMatchObject({ source: 'groq', model: MAIN });
    expect(llm.stats()).toMatchObject({ rateLimited: 1, fallbacks: 1 });
    expect(counted(metrics, 'lekha_llm_replies_by_model_total', MAIN)).toBe(1);
    expect(counted(metrics, 'lekha_llm_replies_by_model_total', TUNED)).toBeUndefined();

    // While the tuned model cools down, its requests go straight to the chain.
    const next = await llm.complete(ask({ model: TUNED }));
    expect(next.model).toBe(MAIN);
    expect(llm.stats()).toMatchObject({ rateLimited: 1, fallbacks: 2 });
  });

  it('falls back when the endpoint does not serve its model, and keeps the rest of the chain in order', async () => {
    const { llm } = gateway();
    groq.injectFault({ kind: '429', target: MAIN, retryAfterS: 60 });
    const reply = await llm.complete(ask({ model: 'ft:llama-3.1-8b:acme:gone:000' }));
    expect(reply).toMatchObject({ source: 'groq', model: FALLBACK });
    expect(llm.stats().fallbacks).toBe(1);
  });

  it('naming the main model is no fallback', async () => {
    const { llm } = gateway();
    const reply = await llm.complete(ask({ model: FALLBACK }));
    expect(reply.model).toBe(FALLBACK);
    expect(llm.stats().fallbacks).toBe(0);
  });

  it('keeps the model label bounded: models past the limit are counted as other', async () => {
    const { llm, metrics } = gateway();
    for (const model of EXTRA) expect((await llm.complete(ask({ model }))).model).toBe(model);
    const labels = metrics.series('lekha_llm_replies_by_model_total').map((m) => m.labels.model);
    expect(labels).toHaveLength(MAX_EXTRA_MODEL_LABELS + 1);
    expect(labels).toEqual([...EXTRA.slice(0, MAX_EXTRA_MODEL_LABELS), OTHER_MODEL_LABEL]);
    expect(counted(metrics, 'lekha_llm_replies_by_model_total', OTHER_MODEL_LABEL)).toBe(3);
    // A configured model keeps its own label after the bound is reached.
    await llm.complete(ask());
    expect(counted(metrics, 'lekha_llm_replies_by_model_total', MAIN)).toBe(1);
  });
});
