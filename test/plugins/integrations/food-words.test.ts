import { describe, expect, it } from 'vitest';
import { MAX_ANSWER_CHARS } from '../../../src/plugins/integrations/integration-kit.js';
import { mealAnswer, mealKind, tidyInstructions } from '../../../src/plugins/integrations/food/food-format.js';
import {
  asksForRandom,
  isCyrillic,
  knownFoodWords,
  translateQuery,
} from '../../../src/plugins/integrations/food/food-words.js';
import type { Meal } from '../../../src/plugins/integrations/food/themealdb-api.js';

describe('putting a Russian recipe query into TheMealDB’s English', () => {
  it.each([
    ['борщ', 'borscht', null],
    ['курица', 'chicken', 'chicken'],
    ['курицу', 'chicken', 'chicken'],
    ['Курицей', 'chicken', 'chicken'],
    ['куриный суп', 'chicken soup', 'chicken'],
    ['курица с рисом', 'chicken rice', 'chicken'],
    ['рыбный пирог', 'fish pie', 'fish'],
    ['картошку', 'potato', 'potatoes'],
    ['грибами', 'mushroom', 'mushrooms'],
    ['лазанью', 'lasagne', null],
    ['блинчики', 'pancakes', null],
    ['рецепт бефстроганова', 'stroganoff', null],
    ['как приготовить говядину', 'beef', 'beef'],
    ['оливье', 'olivier', null],
    ['запеканка с фаршем', 'casserole minced beef', 'minced beef'],
  ])('reads %s as %s', (text, query, ingredient) => {
    expect(translateQuery(text)).toEqual({ query, ingredient, unknown: [] });
  });

  it('keeps what it did not understand apart', () => {
    expect(translateQuery('курица по-киевски')).toEqual({
      query: 'chicken',
      ingredient: 'chicken',
      unknown: ['по-киевски'],
    });
    expect(translateQuery('шмурдяк')).toEqual({ query: '', ingredient: null, unknown: ['шмурдяк'] });
    expect(translateQuery('')).toEqual({ query: '', ingredient: null, unknown: [] });
  });

  it('names main ingredients and dishes it knows', () => {
    expect(knownFoodWords(3)).toEqual(['курица', 'говядина', 'свинина', 'борщ', 'щи', 'оливье']);
  });

  it('tells Cyrillic from Latin and a request for any recipe from a dish', () => {
    expect(isCyrillic('Борщ')).toBe(true);
    expect(isCyrillic('borscht')).toBe(false);
    for (const text of ['random', 'Random', 'случайный', 'рецепт наугад', 'удиви', 'что-нибудь случайное'])
      expect(asksForRandom(text)).toBe(true);
    for (const text of ['', 'random chicken', 'борщ', 'surprise cake']) expect(asksForRandom(text)).toBe(false);
  });
});

const stroganoff: Meal = {
  id: '52834',
  name: 'Beef stroganoff',
  category: 'Beef',
  area: 'Russian',
  instructions: 'Heat the oil.\r\n\r\n\r\n  Add the onion.  \r\nServe.',
  ingredients: [
    { name: 'Olive Oil', measure: '1 tbls' },
    { name: 'Parsley', measure: '' },
  ],
  youtube: null,
  source: 'https://www.bbcgoodfood.com/recipes/beef-stroganoff',
};

describe('writing a recipe', () => {
  it('says the kind and cuisine in the asker’s language', () => {
    expect(mealKind(stroganoff, 'ru')).toBe('Говядина · русская кухня');
    expect(mealKind(stroganoff, 'en')).toBe('Beef · Russian cuisine');
    expect(mealKind({ ...stroganoff, category: null, area: 'Atlantean' }, 'ru')).toBe('Кухня: Atlantean');
    expect(mealKind({ ...stroganoff, category: null, area: null }, 'en')).toBe('');
  });

  it('tidies TheMealDB’s line ends and blank runs', () => {
    expect(tidyInstructions(stroganoff.instructions)).toBe('Heat the oil.\n\nAdd the onion.\nServe.');
  });

  it('writes the whole recipe with its link, the others found and how', () => {
    expect(mealAnswer(stroganoff, 'ru', { byIngredient: 'beef', others: ['Beef stroganoff', 'Moussaka'] })).toBe(
      [
        '🍳 Beef stroganoff',
        'Говядина · русская кухня',
        '(нашёл по ингредиенту: beef)',
        '',
        'Ингредиенты:',
        '• Olive Oil — 1 tbls',
        '• Parsley',
        '',
        'Как готовить:',
        'Heat the oil.',
        '',
        'Add the onion.',
        'Serve.',
        '',
        '🔗 https://www.bbcgoodfood.com/recipes/beef-stroganoff',
        'Ещё нашлось: Moussaka',
        'Рецепт на английском, как его даёт TheMealDB.',
      ].join('\n'),
    );
  });

  it('cuts long instructions and ingredient lists to fit a message, keeping the link', () => {
    const long: Meal = {
      ...stroganoff,
      instructions: Array.from({ length: 200 }, (_, i) => `Step ${i}: stir the pot slowly and patiently.`).join('\r\n'),
      ingredients: Array.from({ length: 20 }, (_, i) => ({
        name: `Ingredient number ${i} ${'x'.repeat(60)}`,
        measure: '1 cup',
      })),
      youtube: 'https://www.youtube.com/watch?v=abc',
    };
    for (const language of ['ru', 'en'] as const) {
      const answer = mealAnswer(long, language, { others: Array.from({ length: 30 }, (_, i) => `Other ${i}`) });
      expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
      expect(answer.length).toBeGreaterThan(MAX_ANSWER_CHARS - 300);
      expect(answer).toMatch(/stir the pot slowly and patiently\.…\n\n▶️ https:\/\/www\.youtube\.com\/watch\?v=abc\n/);
      expect(answer).toContain(
        `${language === 'en' ? 'Also' : 'Ещё нашлось'}: Other 0, Other 1, Other 2, Other 3, Other 4`,
      );
    }
  });
});
