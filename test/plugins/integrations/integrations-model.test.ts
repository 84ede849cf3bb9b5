import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmGateway } from '../../../src/llm/index.js';
import { BUILTIN_PLUGINS } from '../../../src/plugins/index.js';
import { cryptoPlugin } from '../../../src/plugins/integrations/crypto/index.js';
import { foodPlugin } from '../../../src/plugins/integrations/food/index.js';
import { MetricsRegistry, SystemClock } from '../../../src/runtime/index.js';
import { GroqEmulator, UpstreamEmulator } from '../../../src/sandbox/index.js';
import { coingeckoApi } from '../../../src/sandbox/upstreams/coingecko.js';
import { themealdbApi } from '../../../src/sandbox/upstreams/themealdb.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { waitFor } from '../../support/edge-harness.js';
import { hostOf } from '../../support/plugin-kit.js';

const G = -920;
let groq: GroqEmulator;
let upstreams: UpstreamEmulator;

beforeAll(async () => {
  [groq, upstreams] = await Promise.all([
    GroqEmulator.start(),
    UpstreamEmulator.start({ apis: [coingeckoApi, themealdbApi] }),
  ]);
});
afterAll(async () => {
  await Promise.all([groq.close(), upstreams.close()]);
});

describe('crypto and food asked in words, through the model', () => {
  it('answers "what is ether at" and "a recipe for borscht" from the tools the model calls', async () => {
    const { host } = await hostOf([...BUILTIN_PLUGINS, cryptoPlugin, foodPlugin], { env: upstreams.env() });
    const llm = new LlmGateway({
      apiKey: groq.apiKey,
      baseURL: groq.baseURL,
      models: ['llama-3.1-8b-instant'],
      requestsPerMinute: 10_000,
      tokensPerMinute: 10_000_000,
      clock: new SystemClock(),
      metrics: new MetricsRegistry(),
    });
    const h = chatActorHarness({ plugins: host, llm, recallTimeoutMs: 10_000 });
    const texts = () => h.egress.sent.map((s) => s.text);
    try {
      h.say(G, 'Лёха, какой курс эфира?');
      await waitFor('the price', async () => (await h.clock.advance(0), texts().length === 1));
      expect(texts()[0]).toMatch(/🪙 Ethereum \(ETH\): [\d\s\u00a0]+,\d{2}[\s\u00a0]\$/);
      h.say(G, 'Лёха, дай рецепт борща', { from: { id: 8, firstName: 'Оля' } });
      await waitFor('the recipe', async () => (await h.clock.advance(0), texts().length === 2));
      expect(texts()[1]).toContain('🍳 Beetroot Soup (Borscht)');
      expect(upstreams.stats().requests).toMatchObject({ coingecko: 2, themealdb: 1 });
    } finally {
      await host.close();
    }
  });
});
