import { WordTable, wordsOf } from '../word-table.js';

/**
 * Russian words for dishes and ingredients, in English as TheMealDB (whose
 * recipes are English) names them, so that `/recipe курица с рисом` can be
 * looked up. The dishes are ones TheMealDB has (`борщ` is its "Beetroot
 * Soup (Borscht)", `оливье` its "Olivier Salad"). Pure.
 */

/** A word's English: what to search meal names for, and for an ingredient, its name in TheMealDB's ingredient list. */
interface English {
  name: string;
  ingredient?: string;
}

const dish = (name: string): English => ({ name });
const food = (name: string, ingredient = name): English => ({ name, ingredient });

/** Ingredients, the main ones first (the hint lists the first forms of the first ones). */
const INGREDIENTS: ReadonlyArray<readonly [string[], English]> = [
  [['курица', 'курочка', 'куриный', 'цыпленок', 'курятина'], food('chicken')],
  [['говядина', 'говяжий', 'телятина'], food('beef')],
  [['свинина', 'свиной', 'свиные'], food('pork')],
  [['баранина', 'ягнятина', 'бараний'], food('lamb')],
  [['рыба', 'рыбный', 'рыбой'], food('fish')],
  [['лосось', 'семга', 'лососем'], food('salmon')],
  [['креветки', 'креветка'], food('prawn', 'prawns')],
  [['рис', 'рисом'], food('rice')],
  [['картошка', 'картофель', 'картофельный', 'картошечка'], food('potato', 'potatoes')],
  [['яйца', 'яйцо', 'яйцами'], food('egg', 'eggs')],
  [['сыр', 'сырный'], food('cheese')],
  [['грибы', 'грибной', 'шампиньоны'], food('mushroom', 'mushrooms')],
  [['помидоры', 'томаты', 'помидор', 'томатный'], food('tomato')],
  [['капуста', 'капустой'], food('cabbage')],
  [['свекла', 'свеклой'], food('beetroot')],
  [['морковь', 'морковка'], food('carrot', 'carrots')],
  [['лук', 'луковый'], food('onion')],
  [['чеснок', 'чесночный'], food('garlic')],
  [['чечевица'], food('lentil', 'lentils')],
  [['нут'], food('chickpea', 'chickpeas')],
  [['тофу'], food('tofu')],
  [['бекон'], food('bacon')],
  [['колбаски', 'сосиски', 'колбаса'], food('sausage', 'sausages')],
  [['фарш'], food('minced beef')],
  [['баклажан', 'баклажаны'], food('aubergine')],
  [['тыква', 'тыквенный'], food('pumpkin')],
  [['шпинат'], food('spinach')],
  [['клубника', 'клубничный'], food('strawberries')],
  [['яблоки', 'яблоко', 'яблочный'], food('apple', 'apples')],
  [['шоколад', 'шоколадный'], food('chocolate')],
  [['мед', 'медовый'], food('honey')],
  [['лимон', 'лимонный'], food('lemon')],
  [['огурец', 'огурцы'], food('cucumber')],
  [['индейка', 'индюшка'], food('turkey')],
  [['утка', 'утиный'], food('duck')],
  [['тунец'], food('tuna')],
  [['авокадо'], food('avocado')],
  [['макароны'], food('macaroni')],
  [['спагетти'], food('spaghetti')],
  [['лапша', 'лапшой'], food('noodles')],
];

/** Dishes TheMealDB has, or words of their names. */
const DISHES: ReadonlyArray<readonly [string[], English]> = [
  [['борщ'], dish('borscht')],
  [['щи'], dish('shchi')],
  [['оливье'], dish('olivier')],
  [['бефстроганов', 'бефстроганова', 'строганов', 'строганова'], dish('stroganoff')],
  [['лазанья', 'лазанью'], dish('lasagne')],
  [['блины', 'блинчики', 'блин', 'панкейки', 'оладьи'], dish('pancakes')],
  [['суши', 'роллы'], dish('sushi')],
  [['шаурма', 'шаверма'], dish('shawarma')],
  [['мусака'], dish('moussaka')],
  [['пицца'], dish('pizza')],
  [['карри'], dish('curry')],
  [['паста', 'пасту'], dish('pasta')],
  [['пенне'], dish('penne')],
  [['суп', 'супчик'], dish('soup')],
  [['салат', 'салатик'], dish('salad')],
  [['пирог', 'пирожок'], dish('pie')],
  [['запеканка'], dish('casserole')],
  [['пудинг'], dish('pudding')],
  [['торт', 'пирожное'], dish('cake')],
  [['рагу', 'тушеное'], dish('stew')],
  [['омлет'], dish('omelette')],
  [['удон'], dish('udon')],
  [['бургер', 'гамбургер'], dish('burger')],
  [['вонтоны'], dish('wontons')],
  [['пюре'], dish('mash')],
  [['десерт'], dish('dessert')],
];

const WORDS = new WordTable<English>([...INGREDIENTS, ...DISHES]);

/** Words that say nothing of the dish: left out of the English query. */
const FILLERS = new Set(
  'с со и из в на по для а или рецепт рецепты как приготовить сделать блюдо блюда хочу мне что-нибудь давай какой какое какую'.split(
    ' ',
  ),
);

/** A Russian query in TheMealDB's English. */
export interface Translation {
  /** The words it understood, in English, in the order asked: what to search meal names for (`fish pie`). */
  query: string;
  /** The first ingredient named, as TheMealDB's ingredient list writes it, to look for when no name matches. */
  ingredient: string | null;
  /** The words it did not understand (fillers left out). */
  unknown: string[];
}

/** `рыбный пирог` → `fish pie`; `курица с рисом` → `chicken rice`, ingredient `chicken`. */
export function translateQuery(text: string): Translation {
  const english: string[] = [];
  const unknown: string[] = [];
  let ingredient: string | null = null;
  for (const word of wordsOf(text)) {
    if (FILLERS.has(word)) continue;
    const found = WORDS.get(word);
    if (found === undefined) {
      unknown.push(word);
      continue;
    }
    english.push(found.name);
    if (ingredient === null && found.ingredient !== undefined) ingredient = found.ingredient;
  }
  return { query: english.join(' '), ingredient, unknown };
}

/** Whether `text` is written in Cyrillic (then it needs {@link translateQuery}). */
export function isCyrillic(text: string): boolean {
  return /[а-яё]/i.test(text);
}

/** Some Russian words it understands, main ingredients and dishes, for the hint after a miss. */
export function knownFoodWords(count = 8): string[] {
  return [...INGREDIENTS.slice(0, count), ...DISHES.slice(0, count)].map(([forms]) => forms[0]!);
}

const RANDOM = new Set(
  'random any surprise рандом рандомный случайный случайное случайно любой любое любую наугад удиви'.split(' '),
);

/** Whether `/recipe` asks for any recipe at all (`random`, `случайный`, `удиви`). */
export function asksForRandom(text: string): boolean {
  const words = wordsOf(text).filter((word) => !FILLERS.has(word) && word !== 'recipe');
  return words.length === 1 && RANDOM.has(words[0]!);
}
