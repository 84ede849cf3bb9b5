import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSettings } from '../../../src/chat/index.js';
import { BUILTIN_PLUGINS, INTEGRATION_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { tmdbApi, UPSTREAM_APIS, UpstreamEmulator } from '../../../src/sandbox/index.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { hostOf } from '../../support/plugin-kit.js';

const G = -3900;
const RU = -3901;

let emulator: UpstreamEmulator;
let host: PluginHost;
let h: ReturnType<typeof chatActorHarness>;

beforeAll(async () => {
  emulator = await UpstreamEmulator.start({ apis: UPSTREAM_APIS });
  ({ host } = await hostOf([...BUILTIN_PLUGINS, ...INTEGRATION_PLUGINS], {
    env: { ...emulator.env(), ...tmdbApi.demoEnv },
  }));
  h = chatActorHarness({ plugins: host });
  // The chat speaks Ukrainian; its members below write commands and words in Russian.
  h.say(G, 'привет', { from: { id: 5, firstName: 'Маша' } });
  await h.clock.advance(0);
  await h.supervisor.ask<ChatSettings>(G, (reply) => ({ type: 'PatchSettings', patch: { language: 'uk' }, reply }));
  h.say(RU, 'привет', { from: { id: 5, firstName: 'Маша' } });
  await h.clock.advance(0);
  await h.supervisor.ask<ChatSettings>(RU, (reply) => ({ type: 'PatchSettings', patch: { language: 'ru' }, reply }));
});
afterAll(async () => {
  await host.close();
  await emulator.close();
});

describe('the integrations in a chat set to Ukrainian', () => {
  it.each([
    ['/price btc', /за добу$/],
    ['/price нетакоймонеты', /^Монети «нетакоймонеты» CoinGecko не знає/],
    ['/convert', /^Пиши так: \/convert 0,5 btc uah/],
    ['/recipe', /^Пиши так: \/recipe борщ, \/recipe chicken/],
    ['/recipe random', /Інгредієнти:[\s\S]*Рецепт англійською/],
    ['/movie', /^Який фільм\?/],
    ['/movies', /^🔥 Фільми тижня:/],
    ['/song', /^Яку пісню\?/],
    ['/artist', /^Який виконавець\? Наприклад: \/artist Океан Ельзи/],
    ['/feed list', /стрічок/],
    ['/dice 0d0', /^Можна від 1 до/],
    ['/quiz top', /^Очок поки ні в кого немає/],
    ['/weather', /Київ/],
    ['/route', /\/route Київ — Львів/],
  ])('%s answers in Ukrainian', async (command, expected) => {
    const answer = await h.ask(G, command);
    expect(answer).toMatch(expected);
    expect(answer).not.toBe(await h.ask(RU, command));
  });
});
