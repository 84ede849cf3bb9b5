import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamEmulator } from '../../../src/sandbox/index.js';
import { themealdbApi } from '../../../src/sandbox/upstreams/themealdb.js';

const open: UpstreamEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((emulator) => emulator.close()));
});

async function start(seed = 3) {
  const emulator = await UpstreamEmulator.start({ apis: [themealdbApi], seed });
  open.push(emulator);
  const base = emulator.env()['FOOD_BASE_URL']!;
  return async (path: string) => (await (await fetch(`${base}${path}`)).json()) as { meals: unknown };
}

type MealRecord = { [field: string]: string | null };

describe('the TheMealDB emulator', () => {
  it('searches meals by name, answering each in full as TheMealDB does', async () => {
    const get = await start();
    const { meals } = await get('/search.php?s=Arrabiata');
    const [penne] = meals as MealRecord[];
    expect(Object.keys(penne!)).toEqual([
      'idMeal',
      'strMeal',
      'strMealAlternate',
      'strCategory',
      'strArea',
      'strInstructions',
      'strMealThumb',
      'strTags',
      'strYoutube',
      ...Array.from({ length: 20 }, (_, i) => `strIngredient${i + 1}`),
      ...Array.from({ length: 20 }, (_, i) => `strMeasure${i + 1}`),
      'strSource',
      'strImageSource',
      'strCreativeCommonsConfirmed',
      'dateModified',
    ]);
    expect(penne).toMatchObject({
      idMeal: '52771',
      strMeal: 'Spicy Arrabiata Penne',
      strCategory: 'Vegetarian',
      strArea: 'Italian',
      strMealThumb: 'https://www.themealdb.com/images/media/meals/ustsqw1468250014.jpg',
      strTags: 'Pasta,Curry',
      strYoutube: 'https://www.youtube.com/watch?v=1IszT_guI08',
      strIngredient1: 'penne rigate',
      strMeasure1: '1 pound',
      strIngredient9: '',
      strSource: null,
    });
    expect(((await get('/search.php?s=soup')).meals as MealRecord[]).map((m) => m['strMeal'])).toEqual([
      'Cabbage Soup (Shchi)',
      'Beetroot Soup (Borscht)',
    ]);
    expect(await get('/search.php?s=pizza')).toEqual({ meals: null });
    expect(((await get('/search.php?f=k')).meals as MealRecord[]).map((m) => m['strMeal'])).toEqual([
      'Kapsalon',
      'Kedgeree',
      'Kafteji',
      'Kumpir',
      'Koshari',
    ]);
  });

  it('filters by ingredient (`_` for a space), category or area, and looks a meal up by id', async () => {
    const get = await start();
    expect(await get('/filter.php?i=chicken_breasts')).toEqual({
      meals: [
        {
          strMeal: 'Teriyaki Chicken Casserole',
          strMealThumb: 'https://www.themealdb.com/images/media/meals/wvpsxx1468256321.jpg',
          idMeal: '52772',
        },
      ],
    });
    expect(((await get('/filter.php?a=Russian')).meals as MealRecord[]).length).toBe(5);
    expect(((await get('/filter.php?c=Dessert')).meals as MealRecord[]).map((m) => m['strMeal'])).toContain(
      'Eton Mess',
    );
    expect(await get('/filter.php?i=unobtainium')).toEqual({ meals: null });
    expect(((await get('/lookup.php?i=52834')).meals as MealRecord[])[0]).toMatchObject({ strMeal: 'Beef stroganoff' });
    expect(await get('/lookup.php?i=1')).toEqual({ meals: null });
  });

  it('picks random meals from the seed, and lists categories and areas', async () => {
    const picks = async (seed: number) => {
      const get = await start(seed);
      const names: unknown[] = [];
      for (let i = 0; i < 5; i++) names.push(((await get('/random.php')).meals as MealRecord[])[0]!['strMeal']);
      return names;
    };
    const first = await picks(11);
    expect(await picks(11)).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    const get = await start();
    expect((await get('/list.php?a=list')).meals).toContainEqual({ strArea: 'Russian' });
    expect((await get('/list.php?c=list')).meals).toContainEqual({ strCategory: 'Seafood' });
  });
});
