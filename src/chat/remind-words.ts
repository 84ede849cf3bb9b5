/**
 * The words reminders are written with, in Russian, Ukrainian and English,
 * already lower-cased with ё as е and every apostrophe as `'` (see
 * `normaliseWord`). Small tables on purpose: people write small numbers in
 * words ("через пять минут") and anything bigger in digits.
 */

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Lower case, ё as е, typographic apostrophes as `'`, surrounding punctuation dropped. */
export function normaliseWord(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[’ʼ`]/g, "'")
    .replace(/^[«"'([{—–-]+/, '')
    .replace(/[»"')\]},;!?…—–-]+$/, '')
    .replace(/\.+$/, '');
}

const ONES: Record<string, number> = {
  // ru
  один: 1,
  одну: 1,
  одна: 1,
  два: 2,
  две: 2,
  пару: 2,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
  восемь: 8,
  девять: 9,
  // uk
  дві: 2,
  чотири: 4,
  "п'ять": 5,
  шість: 6,
  сім: 7,
  вісім: 8,
  "дев'ять": 9,
  // en
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
};

const TEENS_AND_TENS: Record<string, number> = {
  десять: 10,
  одиннадцать: 11,
  двенадцать: 12,
  пятнадцать: 15,
  двадцать: 20,
  тридцать: 30,
  сорок: 40,
  пятьдесят: 50,
  одинадцять: 11,
  дванадцять: 12,
  "п'ятнадцять": 15,
  двадцять: 20,
  тридцять: 30,
  "п'ятдесят": 50,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
};

/** A number written as one or two words ("пять", "двадцать пять"), from a word and the one after it (normalised). */
export function numberWord(
  first: string | undefined,
  next: string | undefined,
): { value: number; length: number } | null {
  if (first === undefined) return null;
  const ones = ONES[first];
  if (ones !== undefined) return { value: ones, length: 1 };
  const tens = TEENS_AND_TENS[first];
  if (tens === undefined) return null;
  const unit = next === undefined ? undefined : ONES[next];
  // "двадцать пять", but never "двадцать пару" or "twenty a".
  if (tens % 10 === 0 && tens >= 20 && unit !== undefined && !['a', 'an', 'пару'].includes(next ?? '')) {
    return { value: tens + unit, length: 2 };
  }
  return { value: tens, length: 1 };
}

/** Units of a duration; a word that is a unit on its own ("час", "hour") means one of it. */
const UNITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(с|сек|секунд[уыа]?|секунди|s|secs?|seconds?)$/, SECOND_MS],
  [/^(м|мин|минут[уыа]?|хв|хвилин[уиа]?|m|mins?|minutes?)$/, MINUTE_MS],
  [/^(ч|час|часа|часов|часик|годин[уиа]?|h|hrs?|hours?)$/, HOUR_MS],
  [/^(д|дн|день|дня|дней|сутки|суток|дні|днів|d|days?)$/, DAY_MS],
  [/^(нед|неделю|недели|недель|тиждень|тижні|тижнів|w|wks?|weeks?)$/, 7 * DAY_MS],
];

export function unitMs(word: string | undefined): number | null {
  if (word === undefined) return null;
  for (const [pattern, ms] of UNITS) if (pattern.test(word)) return ms;
  return null;
}

/** Words that are a whole duration: "полчаса", "півгодини", "полтора часа" is handled by {@link HALF_AND_ONE}. */
export const WHOLE_DURATIONS: Readonly<Record<string, number>> = {
  полчаса: 30 * MINUTE_MS,
  полчасика: 30 * MINUTE_MS,
  полминуты: 30 * SECOND_MS,
  півгодини: 30 * MINUTE_MS,
  пiвгодини: 30 * MINUTE_MS,
  півхвилини: 30 * SECOND_MS,
  полдня: 12 * HOUR_MS,
};

/** "полтора часа", "півтори години": one and a half of the next unit. */
export const HALF_AND_ONE: ReadonlySet<string> = new Set(['полтора', 'полторы', 'півтора', 'півтори']);

/** Prepositions that open a duration: "через", "in". */
export const DURATION_OPENERS: ReadonlySet<string> = new Set(['через', 'in', 'after']);

/** Prepositions before a clock time: "в 9", "о 9", "at 9". */
export const TIME_OPENERS: ReadonlySet<string> = new Set(['в', 'во', 'к', 'о', 'об', 'у', 'at', '@', 'by']);

/** Days from today. */
export const DAY_WORDS: Readonly<Record<string, number>> = {
  сегодня: 0,
  сьогодні: 0,
  today: 0,
  tonight: 0,
  завтра: 1,
  tomorrow: 1,
  послезавтра: 2,
  післязавтра: 2,
};

/** Weekdays, 0 = Monday (as `localDay`). */
/** Weekdays, 0 = Monday (as `localDay`): full names, then abbreviations ("пт", "fri"). */
const WEEKDAY_PATTERNS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^(понедельник|понеділок|monday)$/, /^(пн|mon)$/],
  [/^(вторник|вівторок|tuesday)$/, /^(вт|tue|tues)$/],
  [/^(сред[ау]|серед[ау]|wednesday)$/, /^(ср|wed)$/],
  [/^(четверг|четвер|thursday)$/, /^(чт|thu|thurs)$/],
  [/^(пятниц[аую]|п'ятниц[яю]|friday)$/, /^(пт|fri)$/],
  [/^(суббот[аую]|субот[аую]|saturday)$/, /^(сб|sat)$/],
  [/^(воскресенье|неділ[яю]|sunday)$/, /^(вс|нд|sun)$/],
];

/**
 * The weekday a word names. Abbreviations count only after a preposition
 * ("в пт", "on sat"): bare, too many of them are ordinary words ("sun", "sat").
 */
export function weekday(word: string | undefined, opened: boolean): number | null {
  if (word === undefined) return null;
  const index = WEEKDAY_PATTERNS.findIndex(([full, short]) => full.test(word) || (opened && short.test(word)));
  return index < 0 ? null : index;
}

/** Prepositions before a weekday: "в понедельник", "во вторник", "у вівторок", "on monday", "next monday". */
export const WEEKDAY_OPENERS: ReadonlySet<string> = new Set(['в', 'во', 'у', 'on', 'next', 'this']);

/** Parts of the day after an hour ("в 7 утра", "о 10 вечора", "at 9 pm"). */
export type DayPart = 'am' | 'pm' | 'night';

export const DAY_PARTS: Readonly<Record<string, DayPart>> = {
  утра: 'am',
  ранку: 'am',
  am: 'am',
  'a.m': 'am',
  дня: 'pm',
  вечера: 'pm',
  вечора: 'pm',
  pm: 'pm',
  'p.m': 'pm',
  ночи: 'night',
  ночі: 'night',
};

/** Words after an hour that say nothing more: "в 9 часов", "at 9 o'clock". */
export const HOUR_WORDS: ReadonlySet<string> = new Set([
  'час',
  'часа',
  'часов',
  'годині',
  'годину',
  "o'clock",
  'oclock',
]);

/** A time of day as one word that needs "в"/"at" or a day before it: "в полдень", "at noon", "tomorrow morning". */
export const NAMED_TIMES: Readonly<Record<string, number>> = {
  полдень: 12 * 60,
  полночь: 0,
  noon: 12 * 60,
  midday: 12 * 60,
  midnight: 0,
  morning: 9 * 60,
  afternoon: 13 * 60,
  evening: 19 * 60,
};

/** A time of day as one word that is one on its own: "утром", "ввечері", "tonight". */
export const ADVERB_TIMES: Readonly<Record<string, number>> = {
  утром: 9 * 60,
  вранці: 9 * 60,
  зранку: 9 * 60,
  днем: 13 * 60,
  вдень: 13 * 60,
  вечером: 19 * 60,
  увечері: 19 * 60,
  ввечері: 19 * 60,
  опівдні: 12 * 60,
  опівночі: 0,
};
