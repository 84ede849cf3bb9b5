import { IMAGE_BASE, type MealFixture, MEALS } from './themealdb-fixtures.js';
import type { UpstreamApi } from './upstream-emulator.js';

const SLOTS = 20;
const BY_ID = new Map(MEALS.map((meal) => [meal.id, meal]));
/** In id order, as TheMealDB lists them. */
const ALL = [...MEALS].sort((a, b) => Number(a.id) - Number(b.id));

/** A meal written out as `search.php`, `lookup.php` and `random.php` answer it, every field in place. */
function full(meal: MealFixture): Record<string, string | null> {
  const record: Record<string, string | null> = {
    idMeal: meal.id,
    strMeal: meal.name,
    strMealAlternate: null,
    strCategory: meal.category,
    strArea: meal.area,
    strInstructions: meal.instructions,
    strMealThumb: `${IMAGE_BASE}${meal.thumb}`,
    strTags: meal.tags,
    strYoutube: meal.youtube,
  };
  for (let i = 1; i <= SLOTS; i++) record[`strIngredient${i}`] = meal.ingredients[i - 1]?.[0] ?? '';
  for (let i = 1; i <= SLOTS; i++) record[`strMeasure${i}`] = meal.ingredients[i - 1]?.[1] ?? '';
  record['strSource'] = meal.source;
  record['strImageSource'] = null;
  record['strCreativeCommonsConfirmed'] = null;
  record['dateModified'] = null;
  return record;
}

/** A meal as `filter.php` lists it. */
const summary = (meal: MealFixture) => ({
  strMeal: meal.name,
  strMealThumb: `${IMAGE_BASE}${meal.thumb}`,
  idMeal: meal.id,
});

/** TheMealDB's answer: the meals, or `null` when there are none (never an empty list). */
const meals = <T>(found: readonly T[]) => ({ meals: found.length === 0 ? null : found });

/** A query parameter as TheMealDB reads it: lower case, `_` for a space (`chicken_breast`). */
const param = (value: unknown): string =>
  typeof value === 'string' ? value.trim().toLowerCase().replaceAll('_', ' ') : '';

/**
 * TheMealDB's API v1 on its test key (`https://www.themealdb.com/api/json/v1/1`):
 * `search.php` (by name, `s`, or first letter, `f`), `filter.php` (by
 * ingredient `i`, category `c` or area `a`), `lookup.php`, `random.php`,
 * `categories.php` and `list.php`, over a world of real meals; "nothing"
 * is `{"meals":null}`, as TheMealDB says it. `random.php` picks from the
 * seeded random, so a run can be repeated.
 */
export const themealdbApi: UpstreamApi = {
  name: 'themealdb',
  env: { FOOD_BASE_URL: '/api/json/v1/1' },
  routes(app, ctx) {
    const base = '/api/json/v1/1';

    app.get(`${base}/search.php`, async (request) => {
      const query = request.query as Record<string, unknown>;
      if (typeof query['f'] === 'string') {
        const letter = param(query['f']).charAt(0);
        return meals(ALL.filter((meal) => letter !== '' && meal.name.toLowerCase().startsWith(letter)).map(full));
      }
      // With an empty name TheMealDB lists meals from the start; it never answers more than 25 to a search.
      const name = param(query['s']);
      return meals(
        ALL.filter((meal) => meal.name.toLowerCase().includes(name))
          .slice(0, 25)
          .map(full),
      );
    });

    app.get(`${base}/filter.php`, async (request) => {
      const query = request.query as Record<string, unknown>;
      const [ingredient, category, area] = [param(query['i']), param(query['c']), param(query['a'])];
      const found = ALL.filter((meal) =>
        ingredient !== ''
          ? meal.ingredients.some(([name]) => name.toLowerCase() === ingredient)
          : category !== ''
            ? meal.category.toLowerCase() === category
            : area !== '' && meal.area.toLowerCase() === area,
      );
      return meals(found.map(summary));
    });

    app.get(`${base}/lookup.php`, async (request) => {
      const meal = BY_ID.get(String((request.query as { i?: unknown }).i ?? '').trim());
      return meals(meal === undefined ? [] : [full(meal)]);
    });

    app.get(`${base}/random.php`, async () => meals([full(ALL[ctx.random.int(0, ALL.length - 1)]!)]));

    app.get(`${base}/categories.php`, async () => ({
      categories: [...new Set(ALL.map((meal) => meal.category))].sort().map((name, i) => ({
        idCategory: String(i + 1),
        strCategory: name,
        strCategoryThumb: `https://www.themealdb.com/images/category/${name.toLowerCase()}.png`,
        strCategoryDescription: `${name} dishes.`,
      })),
    }));

    app.get(`${base}/list.php`, async (request) => {
      const query = request.query as Record<string, unknown>;
      const distinct = (values: string[]) => [...new Set(values)].sort();
      if (query['c'] === 'list')
        return meals(distinct(ALL.map((meal) => meal.category)).map((c) => ({ strCategory: c })));
      if (query['a'] === 'list') return meals(distinct(ALL.map((meal) => meal.area)).map((a) => ({ strArea: a })));
      if (query['i'] === 'list')
        return meals(
          distinct(ALL.flatMap((meal) => meal.ingredients.map(([name]) => name))).map((name, i) => ({
            idIngredient: String(i + 1),
            strIngredient: name,
            strDescription: null,
            strType: null,
          })),
        );
      return meals([]);
    });
  },
};
