import type { Language } from '../../../chat/index.js';
import { clip, MAX_ANSWER_CHARS, say } from '../integration-kit.js';
import type { Meal } from './themealdb-api.js';

/**
 * How `/recipe` writes a meal: its name, kind and cuisine in the asker's
 * language, the ingredients with their measures, the instructions cut to
 * what fits a message, and the video or source link. TheMealDB's recipes
 * are English and stay so. Pure.
 */

/** TheMealDB's categories in Russian. */
const CATEGORIES_RU: Readonly<Record<string, string>> = {
  Beef: 'говядина',
  Breakfast: 'завтрак',
  Chicken: 'курица',
  Dessert: 'десерт',
  Goat: 'козлятина',
  Lamb: 'баранина',
  Miscellaneous: 'разное',
  Pasta: 'паста',
  Pork: 'свинина',
  Seafood: 'морепродукты',
  Side: 'гарнир',
  Starter: 'закуска',
  Vegan: 'веганское',
  Vegetarian: 'вегетарианское',
};

/** TheMealDB's cuisines, as «… кухня» says them. */
const AREAS_RU: Readonly<Record<string, string>> = {
  Algerian: 'алжирская',
  American: 'американская',
  Argentinian: 'аргентинская',
  Australian: 'австралийская',
  British: 'британская',
  Canadian: 'канадская',
  Chinese: 'китайская',
  Croatian: 'хорватская',
  Dutch: 'голландская',
  Egyptian: 'египетская',
  Filipino: 'филиппинская',
  French: 'французская',
  Greek: 'греческая',
  Indian: 'индийская',
  Irish: 'ирландская',
  Italian: 'итальянская',
  Jamaican: 'ямайская',
  Japanese: 'японская',
  Kenyan: 'кенийская',
  Malaysian: 'малайзийская',
  Mexican: 'мексиканская',
  Moroccan: 'марокканская',
  Norwegian: 'норвежская',
  Polish: 'польская',
  Portuguese: 'португальская',
  Russian: 'русская',
  Saudi: 'саудовская',
  Slovakian: 'словацкая',
  Spanish: 'испанская',
  Syrian: 'сирийская',
  Thai: 'тайская',
  Tunisian: 'тунисская',
  Turkish: 'турецкая',
  Ukrainian: 'украинская',
  Uruguayan: 'уругвайская',
  Venezulan: 'венесуэльская',
  Vietnamese: 'вьетнамская',
};

/** `Говядина · русская кухня` / `Beef · Russian cuisine`; '' when TheMealDB says neither. */
export function mealKind(meal: Meal, language: Language): string {
  const english = language === 'en';
  const category =
    meal.category === null ? null : english ? meal.category : (CATEGORIES_RU[meal.category] ?? meal.category);
  const area =
    meal.area === null
      ? null
      : english
        ? `${meal.area} cuisine`
        : AREAS_RU[meal.area] === undefined
          ? `кухня: ${meal.area}`
          : `${AREAS_RU[meal.area]} кухня`;
  const parts = [category, area].filter((part): part is string => part !== null);
  const line = parts.join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

/** TheMealDB's instructions tidied: its `\r\n` as line ends, no blank runs or trailing spaces. */
export function tidyInstructions(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** What to say besides the meal: how it was found and what else matched. */
export interface MealNotes {
  /** The ingredient it was found by, when no name matched. */
  byIngredient?: string | undefined;
  /** Other meals that matched, by name. */
  others?: readonly string[] | undefined;
}

/** The answer for one meal, within {@link MAX_ANSWER_CHARS}: the instructions are cut to what the rest leaves. */
export function mealAnswer(meal: Meal, language: Language, notes: MealNotes = {}): string {
  const head = [`🍳 ${meal.name}`];
  const kind = mealKind(meal, language);
  if (kind !== '') head.push(kind);
  if (notes.byIngredient !== undefined)
    head.push(
      say(language, {
        en: `(found by ingredient: ${notes.byIngredient})`,
        ru: `(нашёл по ингредиенту: ${notes.byIngredient})`,
      }),
    );
  const ingredients = [
    say(language, { en: 'Ingredients:', ru: 'Ингредиенты:' }),
    ...meal.ingredients.map(({ name, measure }) => (measure === '' ? `• ${name}` : `• ${name} — ${measure}`)),
  ];
  const tail: string[] = [];
  if (meal.youtube !== null) tail.push(`▶️ ${meal.youtube}`);
  if (meal.source !== null) tail.push(`🔗 ${meal.source}`);
  const others = (notes.others ?? []).filter((name) => name !== meal.name).slice(0, 5);
  if (others.length > 0)
    tail.push(say(language, { en: `Also: ${others.join(', ')}`, ru: `Ещё нашлось: ${others.join(', ')}` }));
  if (language !== 'en') tail.push('Рецепт на английском, как его даёт TheMealDB.');
  const blocks = [head.join('\n'), clip(ingredients.join('\n'), 1200)];
  const rest = [...blocks, tail.join('\n')].join('\n\n').length;
  const instructions = tidyInstructions(meal.instructions);
  if (instructions !== '') {
    const heading = say(language, { en: 'Method:', ru: 'Как готовить:' });
    // What is left of a message once the rest and the gaps between blocks are in.
    const room = MAX_ANSWER_CHARS - rest - heading.length - 4;
    if (room > 80) blocks.push(`${heading}\n${clip(instructions, room)}`);
  }
  if (tail.length > 0) blocks.push(tail.join('\n'));
  return blocks.join('\n\n');
}
