import { describe, expect, it } from 'vitest';
import { DEFAULT_PERSONA, type PersonaCatalog, personaSchema } from '../../src/chat/index.js';
import { BUILTIN_PLUGINS, personaPlugin, PluginHost } from '../../src/plugins/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const G = -100_777;
const admin = { id: 7, firstName: 'Петя' };
const member = { id: 8, firstName: 'Маша' };

const vasya = personaSchema.parse({
  name: 'Вася',
  version: 3,
  aliases: ['Вася'],
  character: ['You are {name}, a retired fisherman with a story for every lake.'],
  offline: { unavailable: { ru: ['Клюёт, потом.'] } },
  tunable: { replyLength: ['short'], emoji: ['none', 'rare'], styleLines: 1 },
  model: 'ft:llama-3.1-8b:acme:vasya:1',
});
const catalog: PersonaCatalog = { personas: [DEFAULT_PERSONA, vasya], defaultName: 'Лёха' };

async function harness() {
  const plugins = await PluginHost.create({
    plugins: [...BUILTIN_PLUGINS, personaPlugin(catalog)].map((plugin) => ({ plugin, source: 'builtin' })),
    clock: new SystemClock(),
    metrics: new MetricsRegistry(),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  return chatActorHarness({ admins: [admin.id], plugins, personas: catalog });
}

describe('ChatActor personas', () => {
  it('switches to Вася on /persona Вася from an admin, then answers to Вася’s names and no longer to Лёха’s, prompted as Вася', async () => {
    const h = await harness();
    await h.clock.advance(120_000);
    expect(await h.ask(G, '/persona', member)).toMatch(/^Сейчас я — Лёха \(Лёха@1\)\. Могу быть: Лёха, Вася\./);
    expect(await h.ask(G, '/start', member)).toContain('Я Лёха.');
    expect(await h.ask(G, '/persona Вася', member)).toBe('Персону меняют только админы чата.');
    expect(await h.ask(G, '/persona Петя', member)).toBe('Персоны «Петя» нет. Есть: Лёха, Вася.');
    expect(await h.ask(G, '/persona вася', admin)).toBe('Готово, теперь я — Вася. Зовите меня так.');
    expect((await h.state(G)).chat.settings.persona).toBe('Вася');
    expect(await h.ask(G, '/start', admin)).toContain('Я Вася.');
    expect(await h.ask(G, '/help', admin)).toContain('Зовите по имени («Вася, …»)');
    expect(h.llm.requests).toHaveLength(0);

    const before = h.egress.sent.length;
    h.say(G, 'Лёха, ты тут?', { from: member });
    await h.clock.advance(0);
    expect(h.llm.requests).toHaveLength(0);

    let answered = 0;
    for (const [i, text] of [
      'Вася, привет',
      'спроси у Васи',
      'передай Васе удочку',
      'с Васей не соскучишься',
      'Вась, ну',
    ].entries()) {
      h.say(G, text, { from: { id: 100 + i, firstName: `Гость ${i}` } });
      await h.clock.advance(0);
      expect(h.llm.requests, text).toHaveLength(answered + 1);
      const { request, answer } = h.llm.requests[answered]!;
      const system = request.messages[0]!.content;
      expect(system).toContain('You are Вася, a retired fisherman with a story for every lake.');
      expect(system).not.toContain('Лёха');
      expect(request.offline).toEqual(vasya.offline);
      expect(request.model).toBe('ft:llama-3.1-8b:acme:vasya:1');
      answer(`ответ ${i}`);
      answered++;
      await h.clock.advance(0);
    }
    expect(h.egress.sent.slice(before).map((s) => s.text)).toEqual([
      'ответ 0',
      'ответ 1',
      'ответ 2',
      'ответ 3',
      'ответ 4',
    ]);
    const prompt = await h.supervisor.ask<{ persona: string; version: string } | null>(G, (reply) => ({
      type: 'GetLastPrompt',
      reply,
    }));
    expect(prompt).toMatchObject({ persona: 'Вася@3', version: expect.stringMatching(/ Вася@3$/) });
  });

  it('lets chat admins tune the persona within its limits, and prompts with the tuning', async () => {
    const h = await harness();
    expect(await h.ask(G, '/persona Вася', admin)).toBe('Готово, теперь я — Вася. Зовите меня так.');
    expect(await h.ask(G, '/persona length long', admin)).toBe('Эта персона разрешает длину: short.');
    expect(await h.ask(G, '/persona length short', member)).toBe('Персону меняют только админы чата.');
    expect(await h.ask(G, '/persona length', admin)).toMatch(/^Настройка персоны: \/persona length short\|medium/);
    expect(await h.ask(G, '/persona length short', admin)).toBe('Готово. Настроено в этом чате: длина short.');
    // Past the admin's command budget: the bucket refills.
    await h.clock.advance(120_000);
    expect(await h.ask(G, '/persona style Вспоминай рыбалку к месту', admin)).toBe(
      'Готово. Настроено в этом чате: длина short, своих правил стиля: 1.',
    );
    expect(await h.ask(G, '/persona style И про погоду', admin)).toBe(
      'Своих правил стиля у этой персоны можно не больше 1.',
    );
    await h.clock.advance(120_000);
    expect(await h.ask(G, '/persona', member)).toMatch(/Настроено в этом чате: длина short, своих правил стиля: 1\.$/);
    expect((await h.state(G)).chat.settings.personaTuning).toEqual({
      replyLength: 'short',
      styleLines: ['Вспоминай рыбалку к месту'],
    });

    h.say(G, 'Вася, как дела?', { from: member });
    await h.clock.advance(0);
    const { request, answer } = h.llm.requests.at(-1)!;
    const system = request.messages[0]!.content;
    expect(system).toContain('Вспоминай рыбалку к месту');
    expect(system).toContain('Keep your messages short: one or two sentences.');
    expect(request.maxTokens).toBe(160);
    answer('норм');
    await h.clock.advance(0);

    await h.clock.advance(120_000);
    expect(await h.ask(G, '/persona reset', admin)).toBe('Готово, в этом чате персона без настроек.');
    expect((await h.state(G)).chat.settings.personaTuning).toBeUndefined();
  });

  it('answers /persona in English to an English speaker', async () => {
    const h = await harness();
    const frank = { id: 9, firstName: 'Frank' };
    h.say(G, 'hello everyone, how are you all doing today?', { from: frank });
    h.say(G, 'what a lovely weather we have here', { from: frank });
    await h.clock.advance(60_000);
    expect(await h.ask(G, '/persona Pete', frank)).toBe('There is no persona "Pete". Available: Лёха, Вася.');
  });
});
