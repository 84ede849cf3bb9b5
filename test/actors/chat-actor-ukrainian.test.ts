import { describe, expect, it } from 'vitest';
import type { ChatSettings } from '../../src/chat/index.js';
import { LlmGateway } from '../../src/llm/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const G = -310;
const masha = { id: 5, firstName: 'Маша', username: 'masha' };
const olena = { id: 7, firstName: 'Олена', username: 'olena' };
/** Letters Russian does not have. */
const UKRAINIAN = /[іїєґ’]/;

/** The gateway as it runs without GROQ_API_KEY: every reply comes from the offline responder. */
function offlineGateway(): LlmGateway {
  return new LlmGateway({ models: ['llama-3.1-8b-instant'], clock: new SystemClock(), metrics: new MetricsRegistry() });
}

async function setLanguage(h: ReturnType<typeof chatActorHarness>, language: ChatSettings['language']) {
  h.say(G, 'привет', { from: masha });
  await h.clock.advance(0);
  await h.supervisor.ask<ChatSettings>(G, (reply) => ({ type: 'PatchSettings', patch: { language }, reply }));
}

describe('a Ukrainian chat without the model', () => {
  it('answers a Ukrainian message in Ukrainian under auto, and a Russian one in Russian', async () => {
    const h = chatActorHarness({ llm: offlineGateway() });
    const uk = await h.ask(G, 'Льохо, як справи? Що нового?', olena);
    const ru = await h.ask(G, 'Лёха, как дела? Что нового?', masha);
    expect(uk).toMatch(UKRAINIAN);
    expect(ru).not.toMatch(UKRAINIAN);
  });

  it('answers in Ukrainian whatever a member writes when the chat is set to uk', async () => {
    const h = chatActorHarness({ llm: offlineGateway() });
    await setLanguage(h, 'uk');
    expect(await h.ask(G, 'Лёха, как дела? Что нового?', masha)).toMatch(UKRAINIAN);
    expect(await h.ask(G, 'Lekha, how are you?', { id: 8, firstName: 'Frank' })).toMatch(UKRAINIAN);
    const start = await h.ask(G, '/start', { id: 9, firstName: 'Петя' });
    expect(start).toMatch(/^Здоровенькі були! Я Льоха/);
  });

  it('answers commands in Russian when the chat is set to ru, though the member writes Ukrainian', async () => {
    const h = chatActorHarness({ llm: offlineGateway() });
    await setLanguage(h, 'ru');
    expect(await h.ask(G, '/start', olena)).toMatch(/^Здарова! Я Лёха/);
    expect(await h.ask(G, 'Льохо, привіт! Що нового?', { id: 10, firstName: 'Іван' })).not.toMatch(UKRAINIAN);
  });

  it('tells the model to answer in Ukrainian, and passes the language on to the gateway', async () => {
    const h = chatActorHarness();
    await setLanguage(h, 'uk');
    h.say(G, 'Лёха, как дела?', { from: masha });
    await h.clock.advance(0);
    const asked = h.llm.requests.at(-1)!.request;
    expect(asked.language).toBe('uk');
    expect(asked.messages[0]!.content).toContain('Reply in Ukrainian, even if the message is in another language');
  });

  it('warns a rate-limited member in Ukrainian in a Ukrainian chat', async () => {
    const h = chatActorHarness({ llm: offlineGateway() });
    await setLanguage(h, 'uk');
    await h.supervisor.ask<ChatSettings>(G, (reply) => ({
      type: 'PatchSettings',
      patch: { rateLimit: { capacity: 1, refillPerMinute: 0.1 } },
      reply,
    }));
    await h.ask(G, 'Лёха, раз', masha);
    expect(await h.ask(G, 'Лёха, два', masha)).toMatch(/^Пригальмуй трохи/);
  });
});
