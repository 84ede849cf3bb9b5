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

/** TheMealDB's categories in Ukrainian. */
const CATEGORIES_UK: Readonly<Record<string, string>> = {
  Beef: 'яловичина',
  Breakfast: 'сніданок',
  Chicken: 'курка',
  Dessert: 'десерт',
  Goat: 'козятина',
  Lamb: 'баранина',
  Miscellaneous: 'різне',
  Pasta: 'паста',
  Pork: 'свинина',
  Seafood: 'морепродукти',
  Side: 'гарнір',
  Starter: 'закуска',
  Vegan: 'веганське',
  Vegetarian: 'вегетаріанське',
};

/** TheMealDB's cuisines, as «… кухня» says them in Ukrainian. */
const AREAS_UK: Readonly<Record<string, string>> = {
  Algerian: 'алжирська',
  American: 'американська',
  Argentinian: 'аргентинська',
  Australian: 'австралійська',
  British: 'британська',
  Canadian: 'канадська',
  Chinese: 'китайська',
  Croatian: 'хорватська',
  Dutch: 'голландська',
  Egyptian: 'єгипетська',
  Filipino: 'філіппінська',
  French: 'французька',
  Greek: 'грецька',
  Indian: 'індійська',
  Irish: 'ірландська',
  Italian: 'італійська',
  Jamaican: 'ямайська',
  Japanese: 'японська',
  Kenyan: 'кенійська',
  Malaysian: 'малайзійська',
  Mexican: 'мексиканська',
  Moroccan: 'марокканська',
  Norwegian: 'норвезька',
  Polish: 'польська',
  Portuguese: 'португальська',
  Russian: 'російська',
  Saudi: 'саудівська',
  Slovakian: 'словацька',
  Spanish: 'іспанська',
  Syrian: 'сирійська',
  Thai: 'тайська',
  Tunisian: 'туніська',
  Turkish: 'турецька',
  Ukrainian: 'українська',
  Uruguayan: 'уругвайська',
  Venezulan: 'венесуельська',
  Vietnamese: 'в’єтнамська',
};

/** `Говядина · русская кухня` / `Beef · Russian cuisine`; '' when TheMealDB says neither. */
export function mealKind(meal: Meal, language: Language): string {
  const english = language === 'en';
  const categories = language === 'uk' ? CATEGORIES_UK : CATEGORIES_RU;
  const areas = language === 'uk' ? AREAS_UK : AREAS_RU;
  const category =
    meal.category === null ? null : english ? meal.category : (categories[meal.category] ?? meal.category);
  const area =
    meal.area === null
      ? null
      : english
        ? `${meal.area} cuisine`
        : areas[meal.area] === undefined
          ? `кухня: ${meal.area}`
          : `${areas[meal.area]} кухня`;
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
        uk: `(знайшов за інгредієнтом: ${notes.byIngredient})`,
      }),
    );
  const ingredients = [
    say(language, { en: 'Ingredients:', ru: 'Ингредиенты:', uk: 'Інгредієнти:' }),
    ...meal.ingredients.map(({ name, measure }) => (measure === '' ? `• ${name}` : `• ${name} — ${measure}`)),
  ];
  const tail: string[] = [];
  if (meal.youtube !== null) tail.push(`▶️ ${meal.youtube}`);
  if (meal.source !== null) tail.push(`🔗 ${meal.source}`);
  const others = (notes.others ?? []).filter((name) => name !== meal.name).slice(0, 5);
  if (others.length > 0)
    tail.push(
      say(language, {
        en: `Also: ${others.join(', ')}`,
        ru: `Ещё нашлось: ${others.join(', ')}`,
        uk: `Ще знайшлося: ${others.join(', ')}`,
      }),
    );
  if (language !== 'en')
    tail.push(
      say(language, {
        en: '',
        ru: 'Рецепт на английском, как его даёт TheMealDB.',
        uk: 'Рецепт англійською, як його дає TheMealDB.',
      }),
    );
  const blocks = [head.join('\n'), clip(ingredients.join('\n'), 1200)];
  const rest = [...blocks, tail.join('\n')].join('\n\n').length;
  const instructions = tidyInstructions(meal.instructions);
  if (instructions !== '') {
    const heading = say(language, { en: 'Method:', ru: 'Как готовить:', uk: 'Як готувати:' });
    // What is left of a message once the rest and the gaps between blocks are in.
    const room = MAX_ANSWER_CHARS - rest - heading.length - 4;
    if (room > 80) blocks.push(`${heading}\n${clip(instructions, room)}`);
  }
  if (tail.length > 0) blocks.push(tail.join('\n'));
  return blocks.join('\n\n');
}
