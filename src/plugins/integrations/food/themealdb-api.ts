import { z } from 'zod';
import type { PluginHttpClient } from '../../plugin-http.js';

/** A recipe as the food plugin shows it. */
export interface Meal {
  id: string;
  name: string;
  category: string | null;
  /** The cuisine (`Italian`, `Russian`); null when TheMealDB says `Unknown` or nothing. */
  area: string | null;
  instructions: string;
  ingredients: Array<{ name: string; measure: string }>;
  youtube: string | null;
  source: string | null;
}

/** A meal as TheMealDB's filters list it: its id and name. */
export interface MealSummary {
  id: string;
  name: string;
}

/** TheMealDB numbers a meal's ingredients and their measures 1 to 20. */
const INGREDIENT_SLOTS = 20;

// The fields the plugin reads, as themealdb.com/api.php shows them; the numbered ones are read from the rest.
const mealFields = z.looseObject({
  idMeal: z.string(),
  strMeal: z.string(),
  strCategory: z.string().nullish(),
  strArea: z.string().nullish(),
  strInstructions: z.string().nullish(),
  strYoutube: z.string().nullish(),
  strSource: z.string().nullish(),
});
const mealsAnswer = z.looseObject({ meals: z.array(mealFields).nullable() });
const summariesAnswer = z.looseObject({
  meals: z.array(z.looseObject({ idMeal: z.string(), strMeal: z.string() })).nullable(),
});

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const link = (value: unknown): string | null => (/^https?:\/\/\S+$/.test(text(value)) ? text(value) : null);

function mealOf(fields: z.output<typeof mealFields>): Meal {
  const ingredients: Meal['ingredients'] = [];
  for (let i = 1; i <= INGREDIENT_SLOTS; i++) {
    const name = text(fields[`strIngredient${i}`]);
    if (name !== '') ingredients.push({ name, measure: text(fields[`strMeasure${i}`]) });
  }
  const area = text(fields.strArea);
  return {
    id: fields.idMeal,
    name: fields.strMeal.trim(),
    category: text(fields.strCategory) || null,
    area: area === '' || area === 'Unknown' ? null : area,
    instructions: text(fields.strInstructions),
    ingredients,
    youtube: link(fields.strYoutube),
    source: link(fields.strSource),
  };
}

/**
 * TheMealDB's API v1 on its public test key (the `1` in the base URL): the
 * calls the food plugin makes. The client it is given caches answers for a
 * day; a random meal is never taken from the cache.
 */
export class TheMealDbApi {
  constructor(private readonly http: PluginHttpClient) {}

  /** Meals whose name contains `name` (`search.php?s=`). */
  async searchByName(name: string, signal: AbortSignal): Promise<Meal[]> {
    const answer = await this.http.getParsed('search.php', mealsAnswer, {
      query: { s: name.trim().toLowerCase() },
      signal,
    });
    return (answer.meals ?? []).map(mealOf);
  }

  /** Meals with `ingredient` among theirs (`filter.php?i=`, spaces written as TheMealDB does: `chicken_breast`). */
  async filterByIngredient(ingredient: string, signal: AbortSignal): Promise<MealSummary[]> {
    const answer = await this.http.getParsed('filter.php', summariesAnswer, {
      query: { i: ingredient.trim().toLowerCase().replace(/\s+/g, '_') },
      signal,
    });
    return (answer.meals ?? []).map((meal) => ({ id: meal.idMeal, name: meal.strMeal.trim() }));
  }

  /** The meal of an id (`lookup.php?i=`), or null. */
  async lookup(id: string, signal: AbortSignal): Promise<Meal | null> {
    const answer = await this.http.getParsed('lookup.php', mealsAnswer, { query: { i: id }, signal });
    const meal = answer.meals?.[0];
    return meal === undefined ? null : mealOf(meal);
  }

  /** A meal picked at random (`random.php`), past the cache: each call is a new pick. */
  async random(signal: AbortSignal): Promise<Meal | null> {
    const answer = await this.http.getParsed('random.php', mealsAnswer, {
      headers: { 'cache-control': 'no-store' },
      signal,
    });
    const meal = answer.meals?.[0];
    return meal === undefined ? null : mealOf(meal);
  }
}
