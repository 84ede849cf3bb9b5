import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import { definePlugin } from '../../define-plugin.js';
import type { CommandContext } from '../../plugin-api.js';
import { clip, say, upstream, upstreamClient, upstreamSettings } from '../integration-kit.js';
import { mealAnswer } from './food-format.js';
import { asksForRandom, isCyrillic, knownFoodWords, translateQuery } from './food-words.js';
import { type Meal, TheMealDbApi } from './themealdb-api.js';

const settings = z.object({
  // TheMealDB's API v1 on its public test key (`/1`; a supporter's key replaces the `1`). It publishes no
  // limit; the test key is shared by everyone trying the API, so at most one call every two seconds on
  // average (a /recipe makes up to three), bursts waiting their turn.
  ...upstreamSettings('https://www.themealdb.com/api/json/v1/1', 30),
});

type Settings = z.output<typeof settings>;
type Context = CommandContext<Settings>;

const DAY_MS = 24 * 60 * 60 * 1000;
const SERVICE = 'TheMealDB';

/** What a search turned up: a meal, how it was found and what else matched; or why nothing. */
type Found =
  | { meal: Meal; byIngredient?: string; others: string[] }
  | { missing: 'words'; unknown: string[] }
  | { missing: 'recipes'; english: string };

/**
 * `/recipe <dish or ingredient>` and `/recipe random` on TheMealDB: a meal
 * found by name, else by its main ingredient, in Russian or English
 * (Russian words are put into English first), with its ingredients,
 * instructions and link. Also a tool the model may call.
 */
export const foodPlugin = definePlugin({
  name: 'food',
  version: '1.0.0',
  kind: 'integration',
  description: { en: 'Recipes (TheMealDB)', ru: 'Рецепты (TheMealDB)', uk: 'Рецепти (TheMealDB)' },
  settings,
  env: { baseUrl: 'FOOD_BASE_URL' },
  setup(p) {
    const api = new TheMealDbApi(
      // Recipes seldom change: a search is kept a day (a random pick never is).
      upstreamClient(p, p.settings, { cacheTtlMs: DAY_MS }),
    );
    const call = <T>(ctx: Context, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
      upstream(() => work(ctx.signal), ctx.language, SERVICE);

    /** A meal for `asked`: by name, else by its first ingredient (looked up in full), else why not. */
    async function find(ctx: Context, asked: string): Promise<Found> {
      let english = asked.trim();
      let ingredient: string | null = english;
      if (isCyrillic(asked)) {
        const translation = translateQuery(asked);
        if (translation.query === '') return { missing: 'words', unknown: translation.unknown };
        english = translation.query;
        ingredient = translation.ingredient;
      }
      const named = await call(ctx, (signal) => api.searchByName(english, signal));
      if (named.length > 0) {
        const exact = named.find((meal) => meal.name.toLowerCase() === english.toLowerCase()) ?? named[0]!;
        return { meal: exact, others: named.map((meal) => meal.name) };
      }
      if (ingredient === null) return { missing: 'recipes', english };
      const listed = await call(ctx, (signal) => api.filterByIngredient(ingredient, signal));
      const first = listed[0];
      if (first === undefined) return { missing: 'recipes', english };
      const meal = await call(ctx, (signal) => api.lookup(first.id, signal));
      if (meal === null) return { missing: 'recipes', english };
      return { meal, byIngredient: ingredient, others: listed.map((summary) => summary.name) };
    }

    p.command(
      'recipe',
      async (ctx) => {
        if (ctx.args === '') return usage(ctx.language);
        if (asksForRandom(ctx.args)) {
          const meal = await call(ctx, (signal) => api.random(signal));
          return meal === null ? usage(ctx.language) : mealAnswer(meal, ctx.language);
        }
        const found = await find(ctx, ctx.args);
        if ('meal' in found)
          return mealAnswer(found.meal, ctx.language, { byIngredient: found.byIngredient, others: found.others });
        return notFound(ctx.language, ctx.args, found);
      },
      {
        description: {
          en: 'a recipe by dish or ingredient',
          ru: 'рецепт по блюду или ингредиенту',
          uk: 'рецепт за стравою чи інгредієнтом',
        },
        args: {
          en: '<dish or ingredient> | random',
          ru: '<блюдо или ингредиент> | random',
          uk: '<страва чи інгредієнт> | random',
        },
        tool: {
          description:
            "Recipe from TheMealDB by dish or main ingredient, in English or Russian ('lasagne', 'борщ', 'курица'), or 'random': ingredients, method (English), video link.",
          parameters: z.object({
            query: z.string().min(1).max(100).describe('a dish or a main ingredient, or "random"'),
          }),
          args: ({ query }) => query,
        },
      },
    );
  },
});

function usage(language: Language): string {
  return say(language, {
    en: 'Write it like this: /recipe lasagne, /recipe chicken, /recipe random',
    ru: 'Пиши так: /recipe борщ, /recipe курица, /recipe random',
    uk: 'Пиши так: /recipe борщ, /recipe chicken, /recipe random',
  });
}

/** Nothing found: which Russian words it understands, or what to try instead. */
function notFound(language: Language, asked: string, found: Exclude<Found, { meal: Meal }>): string {
  const shown = clip(asked.trim(), 60);
  const words = knownFoodWords().join(', ');
  if (found.missing === 'words')
    return say(language, {
      en: `I can't put “${shown}” into English for TheMealDB. Russian words I know: ${words}… Or try /recipe random.`,
      ru: `Не понял «${shown}»: TheMealDB ищет по-английски, а из русских слов я знаю ${words}… Или попробуй /recipe random.`,
      uk: `Не зрозумів «${shown}»: TheMealDB шукає англійською, а з наших слів я знаю ${words}… Або спробуй /recipe random.`,
    });
  return say(language, {
    en: `TheMealDB has no recipe for “${shown}”. Try one word, a dish or a main ingredient (chicken, beef, lasagne), or /recipe random.`,
    ru: `На TheMealDB нет рецепта «${shown}» (искал «${found.english}»). Попробуй одно слово, блюдо или главный ингредиент: ${words}… Или /recipe random.`,
    uk: `На TheMealDB немає рецепта «${shown}» (шукав «${found.english}»). Спробуй одне слово, страву чи головний інгредієнт: ${words}… Або /recipe random.`,
  });
}
