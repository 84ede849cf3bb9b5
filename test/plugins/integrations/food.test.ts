import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { foodPlugin } from '../../../src/plugins/integrations/food/index.js';
import { MAX_ANSWER_CHARS } from '../../../src/plugins/integrations/integration-kit.js';
import { UpstreamEmulator } from '../../../src/sandbox/index.js';
import { themealdbApi } from '../../../src/sandbox/upstreams/themealdb.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -910;

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/** The food plugin on the built-in host, pointed at the TheMealDB emulator, with a chat actor in front. */
async function setUp(options: { env?: Record<string, string>; faultHoldMs?: number } = {}) {
  const emulator = await UpstreamEmulator.start({
    apis: [themealdbApi],
    ...(options.faultHoldMs === undefined ? {} : { faultHoldMs: options.faultHoldMs }),
  });
  const logger = new CapturingLogger();
  const { host } = await hostOf([...BUILTIN_PLUGINS, foodPlugin], {
    env: { ...emulator.env(), ...options.env },
    logger,
  });
  open.push(emulator, host);
  const h = chatActorHarness({ plugins: host });
  /** Sends a command from a new member each time (the chat slows down one who sends many) and waits for the answer. */
  const ask = (text: string): Promise<string> => h.ask(G, text);
  const requests = () => emulator.stats().requests['themealdb'] ?? 0;
  return { emulator, host, ask, requests };
}

async function run(host: PluginHost, args: string, language: 'ru' | 'en') {
  const effects = await host.runCommand(G, callOf('food', 'recipe', args, language), {}, chatAccess(G), live);
  return effects.texts.join('\n');
}

describe('the food plugin', () => {
  it('finds a dish asked for in Russian, framed in Russian, with its ingredients and method', async () => {
    const { ask } = await setUp();
    const answer = await ask('/recipe борщ');
    expect(answer).toMatch(
      /^🍳 Beetroot Soup \(Borscht\)\nВегетарианское · русская кухня\n\nИнгредиенты:\n• Beetroot — 3\n/,
    );
    expect(answer).toContain('• Cannellini Beans — 400g');
    expect(answer).toContain('Как готовить:\nChop the beetroot, add water and stock cube and cook for 15 mins.\n');
    expect(answer.endsWith('Рецепт на английском, как его даёт TheMealDB.')).toBe(true);
    expect(await ask('/recipe бефстроганов')).toMatch(/^🍳 Beef stroganoff\nГовядина · русская кухня\n/);
  });

  it('falls back to the main ingredient, looks the first meal up, and links its video and source', async () => {
    const { ask, requests } = await setUp();
    const answer = await ask('/recipe курица с рисом');
    expect(answer).toMatch(/^🍳 Chicken Handi\nКурица · индийская кухня\n\(нашёл по ингредиенту: chicken\)\n/);
    expect(answer).toContain(
      '▶️ https://www.youtube.com/watch?v=IO0issT0Rmc\n🔗 https://www.cookwithmanali.com/chicken-handi/',
    );
    // The name search, the ingredient filter, the lookup.
    expect(requests()).toBe(3);
  });

  it('answers in English, naming the other meals that matched', async () => {
    const { host } = await setUp();
    const lasagne = await run(host, 'Lasagne', 'en');
    expect(lasagne).toMatch(/^🍳 Lasagne\nPasta · Italian cuisine\n\nIngredients:\n• Olive Oil — 1 tblsp\n/);
    expect(lasagne).toContain('\n\nMethod:\nHeat the oil in a large saucepan.');
    expect(lasagne).toContain(
      '▶️ https://www.youtube.com/watch?v=gfhfsBPt46s\n🔗 https://www.bbcgoodfood.com/recipes/classic-lasagne',
    );
    expect(lasagne).not.toContain('TheMealDB.');
    const chicken = await run(host, 'chicken', 'en');
    expect(chicken).toMatch(/^🍳 Teriyaki Chicken Casserole\nChicken · Japanese cuisine\n/);
    expect(chicken).toContain('Also: Chicken Handi');
    expect(await run(host, 'chicken breasts', 'en')).toMatch(
      /^🍳 Teriyaki Chicken Casserole\nChicken · Japanese cuisine\n\(found by ingredient: chicken breasts\)\n/,
    );
  });

  it('says which Russian words it knows when it understands none, and what to try when nothing is found', async () => {
    const { ask, host } = await setUp();
    expect(await ask('/recipe шмурдяк')).toBe(
      'Не понял «шмурдяк»: TheMealDB ищет по-английски, а из русских слов я знаю курица, говядина, свинина, баранина, рыба, лосось, креветки, рис, борщ, щи, оливье, бефстроганов, лазанья, блины, суши, шаурма… Или попробуй /recipe random.',
    );
    expect(await ask('/recipe пицца')).toMatch(
      /^На TheMealDB нет рецепта «пицца» \(искал «pizza»\)\. Попробуй одно слово/,
    );
    expect(await run(host, 'zzzz', 'en')).toBe(
      'TheMealDB has no recipe for “zzzz”. Try one word, a dish or a main ingredient (chicken, beef, lasagne), or /recipe random.',
    );
    expect(await ask('/recipe')).toBe('Пиши так: /recipe борщ, /recipe курица, /recipe random');
  });

  it('keeps a search a day but picks a random meal anew each time', async () => {
    const { ask, requests } = await setUp();
    const first = await ask('/recipe борщ');
    expect(await ask('/recipe борщ')).toBe(first);
    expect(requests()).toBe(1);
    expect(await ask('/recipe random')).toMatch(/^🍳 .+\n/);
    expect(await ask('/recipe случайный')).toMatch(/^🍳 .+\n/);
    expect(requests()).toBe(3);
  });

  it('serves the model as a tool', async () => {
    const { host } = await setUp();
    const tool = (query: string, language = 'ru') =>
      host.runTool(
        { chatId: G, userId: 5, language, messageId: 1 },
        { id: 'c1', name: 'recipe', arguments: JSON.stringify({ query }) },
        {},
        chatAccess(G),
        live,
      );
    expect(host.toolsIn({}).map((t) => t.name)).toContain('recipe');
    expect(await tool('оливье')).toMatch(/^🍳 Potato Salad \(Olivier Salad\)\nГарнир · русская кухня/);
    expect(await tool('random', 'en')).toMatch(/^🍳 .+\n[\s\S]*Ingredients:/);
  });

  it('keeps every answer within a Telegram message', async () => {
    const { host } = await setUp();
    const answers = await Promise.all(
      ['sushi', 'koshari', 'fish pie', 'a'.repeat(300), 'я'.repeat(300)].map((q) => run(host, q, 'ru')),
    );
    for (const answer of answers) expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
  });

  it.each([
    ['429', 'TheMealDB говорит, что запросов слишком много. Дай ему минутку.'],
    ['5xx', 'TheMealDB сейчас не отвечает. Попробуй чуть позже.'],
    ['malformed', 'TheMealDB сейчас не отвечает. Попробуй чуть позже.'],
    ['timeout', 'TheMealDB сейчас не отвечает. Попробуй чуть позже.'],
  ] as const)('answers in persona when TheMealDB fails with %s', async (kind, line) => {
    const { emulator, ask } = await setUp({ faultHoldMs: 5000, env: { PLUGIN_FOOD_TIMEOUT_MS: '300' } });
    // Every attempt fails: the first one and the client's two retries.
    emulator.fault({ kind, upstream: 'themealdb', count: 3, retryAfterS: 0 });
    expect(await ask('/recipe борщ')).toBe(line);
    emulator.clearFaults();
    expect(await ask('/recipe lasagne')).toMatch(/^🍳 Lasagne\n/);
  });
});
