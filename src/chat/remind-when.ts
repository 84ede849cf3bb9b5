import {
  ADVERB_TIMES,
  DAY_PARTS,
  DAY_WORDS,
  type DayPart,
  DURATION_OPENERS,
  HALF_AND_ONE,
  HOUR_WORDS,
  NAMED_TIMES,
  normaliseWord,
  numberWord,
  TIME_OPENERS,
  unitMs,
  weekday,
  WEEKDAY_OPENERS,
  WHOLE_DURATIONS,
} from './remind-words.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One whitespace-separated word of the text, with where it stands so the rest can be cut out verbatim. */
export interface Token {
  start: number;
  end: number;
  word: string;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    tokens.push({ start: match.index, end: match.index + match[0].length, word: normaliseWord(match[0]) });
  }
  return tokens;
}

/** What the words at one position say about when: a moment, or a time that is wrong as written. */
export type WhenMatch =
  | { kind: 'at'; dueAtMs: number; start: number; end: number }
  | { kind: 'bad'; reason: 'bad-time' | 'in-past' | 'no-time'; detail: string; start: number; end: number };

export interface WhenContext {
  nowMs: number;
  utcOffsetMinutes: number;
  /** Time of day, in minutes after local midnight, for a day named without a time ("завтра"). */
  defaultMinuteOfDay: number;
  /** Whether "10 минут" without "через" is a duration (the start of the command form). */
  bareDurations: boolean;
  /**
   * Whether "10m" without "через"/"in" is a duration (the command form). In
   * a phrase it needs the preposition: "купить 3м кабеля" is not a time.
   */
  bareCompact: boolean;
}

/** The when-expression that starts at token `i`, or null when there is none. */
export function whenAt(tokens: readonly Token[], i: number, ctx: WhenContext): WhenMatch | null {
  const duration = durationAt(tokens, i, ctx);
  // Fractions ("через 1,33 часа") would leave a fraction of a millisecond.
  if (duration !== null)
    return { kind: 'at', dueAtMs: Math.round(ctx.nowMs + duration.ms), start: i, end: duration.end };
  return calendarAt(tokens, i, ctx);
}

function durationAt(tokens: readonly Token[], i: number, ctx: WhenContext): { ms: number; end: number } | null {
  const opened = DURATION_OPENERS.has(tokens[i]?.word ?? '');
  const bareCompact = ctx.bareCompact && compactDuration(tokens[i]?.word) !== null;
  if (!opened && !ctx.bareDurations && !bareCompact) return null;
  const first = amountAt(tokens, opened ? i + 1 : i, opened);
  if (first === null) return null;
  let ms = first.ms;
  let at = first.end;
  // "через час и 15 минут", "in 1 hour 30 minutes", "1h 30m"
  for (;;) {
    const joined = ['и', 'і', 'та', 'and'].includes(tokens[at]?.word ?? '') ? at + 1 : at;
    const next = amountAt(tokens, joined, false);
    if (next === null) break;
    ms += next.ms;
    at = next.end;
  }
  return { ms, end: at };
}

/** "10m", "2h", "1h30m", "30s", "1d", "2ч", "15мин". */
function compactDuration(word: string | undefined): number | null {
  if (word === undefined || !/^(\d+[a-zа-яі]+)+$/.test(word)) return null;
  let ms = 0;
  for (const [, digits, unit] of word.matchAll(/(\d+)([a-zа-яі]+)/g)) {
    const size = unitMs(unit);
    if (size === null || digits === undefined) return null;
    ms += amount(digits) * size;
  }
  return ms;
}

function amountAt(tokens: readonly Token[], at: number, allowBareUnit: boolean): { ms: number; end: number } | null {
  const word = tokens[at]?.word;
  if (word === undefined) return null;
  const compact = compactDuration(word);
  if (compact !== null) return { ms: compact, end: at + 1 };
  const whole = WHOLE_DURATIONS[word];
  if (whole !== undefined) return { ms: whole, end: at + 1 };
  if (HALF_AND_ONE.has(word)) {
    const unit = unitMs(tokens[at + 1]?.word);
    return unit === null ? null : { ms: 1.5 * unit, end: at + 2 };
  }
  // "half an hour", "half a minute"
  if (word === 'half' && ['a', 'an'].includes(tokens[at + 1]?.word ?? '')) {
    const unit = unitMs(tokens[at + 2]?.word);
    return unit === null ? null : { ms: unit / 2, end: at + 3 };
  }
  if (/^\d+([.,]\d+)?$/.test(word)) {
    const unit = unitMs(tokens[at + 1]?.word);
    return unit === null ? null : { ms: amount(word) * unit, end: at + 2 };
  }
  const spelled = numberWord(word, tokens[at + 1]?.word);
  if (spelled !== null) {
    const unit = unitMs(tokens[at + spelled.length]?.word);
    return unit === null ? null : { ms: spelled.value * unit, end: at + spelled.length + 1 };
  }
  // "через час", "через минуту", "через неделю": the unit alone is one of it.
  if (allowBareUnit && word.length >= 3) {
    const unit = unitMs(word);
    if (unit !== null) return { ms: unit, end: at + 1 };
  }
  return null;
}

/** Digits as a number; a number too long to mean anything becomes Infinity, which no limit accepts. */
function amount(digits: string): number {
  if (/^\d{13,}/.test(digits)) return Number.POSITIVE_INFINITY;
  return Number(digits.replace(',', '.'));
}

type DaySpec =
  /** `evening`: "tonight", 20:00 unless a time is given, an hour before noon read as after it. */
  { kind: 'offset'; days: number; evening: boolean } | { kind: 'weekday'; day: number; skipToday: boolean };
type TimeSpec = { kind: 'ok'; minuteOfDay: number; end: number } | { kind: 'bad'; detail: string; end: number };

function calendarAt(tokens: readonly Token[], i: number, ctx: WhenContext): WhenMatch | null {
  let day = dayAt(tokens, i);
  let time: TimeSpec | null;
  let end: number;
  if (day !== null) {
    time = timeAt(tokens, day.end, true);
    end = time?.end ?? day.end;
  } else {
    time = timeAt(tokens, i, false);
    if (time === null) return null;
    day = dayAt(tokens, time.end);
    end = day?.end ?? time.end;
  }
  const detail = (from: number, to: number): string =>
    tokens
      .slice(from, to)
      .map((t) => t.word)
      .join(' ');
  if (time?.kind === 'bad') return { kind: 'bad', reason: 'bad-time', detail: time.detail, start: i, end };
  const spec = day?.spec ?? null;
  if (time === null && spec?.kind === 'offset' && spec.days === 0 && !spec.evening) {
    return { kind: 'bad', reason: 'no-time', detail: detail(i, end), start: i, end };
  }
  const evening = spec?.kind === 'offset' && spec.evening;
  const minuteOfDay = evening ? tonight(time?.minuteOfDay) : (time?.minuteOfDay ?? ctx.defaultMinuteOfDay);
  const offsetMs = ctx.utcOffsetMinutes * MINUTE_MS;
  const todayStart = Math.floor((ctx.nowMs + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
  const at = (days: number): number => todayStart + days * DAY_MS + minuteOfDay * MINUTE_MS;
  if (spec === null) {
    const today = at(0);
    return { kind: 'at', dueAtMs: today > ctx.nowMs ? today : at(1), start: i, end };
  }
  if (spec.kind === 'offset') {
    const due = at(spec.days);
    if (due <= ctx.nowMs) return { kind: 'bad', reason: 'in-past', detail: detail(i, end), start: i, end };
    return { kind: 'at', dueAtMs: due, start: i, end };
  }
  const todayIndex = (Math.floor((ctx.nowMs + offsetMs) / DAY_MS) + 3) % 7;
  const ahead = (spec.day - ((todayIndex + 7) % 7) + 7) % 7;
  const due = at(ahead);
  const later = due <= ctx.nowMs || (ahead === 0 && spec.skipToday);
  return { kind: 'at', dueAtMs: later ? at(ahead + 7) : due, start: i, end };
}

/** "tonight" is 20:00, and "tonight at 9" is 21:00. */
function tonight(minuteOfDay: number | undefined): number {
  if (minuteOfDay === undefined) return 20 * 60;
  return minuteOfDay < 12 * 60 ? minuteOfDay + 12 * 60 : minuteOfDay;
}

function dayAt(tokens: readonly Token[], at: number): { spec: DaySpec; end: number } | null {
  const word = tokens[at]?.word;
  if (word === undefined) return null;
  const days = DAY_WORDS[word];
  if (days !== undefined) return { spec: { kind: 'offset', days, evening: word === 'tonight' }, end: at + 1 };
  // "(the) day after tomorrow"
  const from = word === 'the' ? at + 1 : at;
  if (tokens[from]?.word === 'day' && tokens[from + 1]?.word === 'after' && tokens[from + 2]?.word === 'tomorrow') {
    return { spec: { kind: 'offset', days: 2, evening: false }, end: from + 3 };
  }
  const named = weekday(word, false);
  if (named !== null) return { spec: { kind: 'weekday', day: named, skipToday: false }, end: at + 1 };
  if (WEEKDAY_OPENERS.has(word)) {
    const opened = weekday(tokens[at + 1]?.word, true);
    // "next monday" said on a Monday is not today.
    if (opened !== null) return { spec: { kind: 'weekday', day: opened, skipToday: word === 'next' }, end: at + 2 };
  }
  return null;
}

/**
 * A clock time at `at`. Without an opening "в"/"о"/"at" only forms that
 * cannot be anything else count ("18:30", "10pm", "утром"), or any hour
 * right after a day ("завтра 9").
 */
function timeAt(tokens: readonly Token[], at: number, afterDay: boolean): TimeSpec | null {
  // "in the morning", "in the evening"
  const inThe = tokens[at]?.word === 'in' && tokens[at + 1]?.word === 'the';
  const opened = inThe || TIME_OPENERS.has(tokens[at]?.word ?? '');
  const i = inThe ? at + 2 : opened ? at + 1 : at;
  const word = tokens[i]?.word;
  if (word === undefined) return null;
  const adverb = ADVERB_TIMES[word];
  if (adverb !== undefined && !inThe) return { kind: 'ok', minuteOfDay: adverb, end: i + 1 };
  const named = NAMED_TIMES[word];
  if (named !== undefined && (opened || afterDay)) return { kind: 'ok', minuteOfDay: named, end: i + 1 };
  if (inThe) return null;
  const clock = /^(\d{1,2})([:.])(\d{2})(am|pm)?$/.exec(word);
  if (clock !== null) {
    if (clock[2] === '.' && !opened) return null;
    const part = (clock[4] as DayPart | undefined) ?? null;
    return finishTime(tokens, i + 1, Number(clock[1]), Number(clock[3]), part, word);
  }
  const withPart = /^(\d{1,2})(am|pm)$/.exec(word);
  if (withPart !== null) return finishTime(tokens, i + 1, Number(withPart[1]), 0, withPart[2] as DayPart, word);
  if (/^\d{1,2}$/.test(word)) {
    if (!opened && !afterDay) return null;
    const hour = Number(word);
    const after = tokens[i + 1]?.word ?? '';
    // "в 25 раз больше" is not a time; "в 25 часов" is a wrong one.
    if (hour > 24 && !HOUR_WORDS.has(after) && DAY_PARTS[after] === undefined) return null;
    return finishTime(tokens, i + 1, hour, 0, null, word);
  }
  // "в пять вечера", "at seven pm": a spelled hour only with a word that makes it a time.
  const spelled = numberWord(word, tokens[i + 1]?.word);
  if (spelled !== null && spelled.value <= 12 && opened) {
    const after = tokens[i + spelled.length]?.word ?? '';
    if (HOUR_WORDS.has(after) || DAY_PARTS[after] !== undefined) {
      return finishTime(tokens, i + spelled.length, spelled.value, 0, null, word);
    }
  }
  return null;
}

function finishTime(
  tokens: readonly Token[],
  at: number,
  hour: number,
  minute: number,
  attached: DayPart | null,
  written: string,
): TimeSpec {
  let end = at;
  if (HOUR_WORDS.has(tokens[end]?.word ?? '')) end++;
  let part = attached;
  const next = DAY_PARTS[tokens[end]?.word ?? ''];
  if (part === null && next !== undefined) {
    part = next;
    end++;
  }
  const minuteOfDay = clockMinutes(hour, minute, part);
  return minuteOfDay === null ? { kind: 'bad', detail: written, end } : { kind: 'ok', minuteOfDay, end };
}

/** Minutes after midnight, or null for a time that does not exist ("25:00", "13 утра"). */
function clockMinutes(hour: number, minute: number, part: DayPart | null): number | null {
  if (minute > 59) return null;
  if (part === null) {
    if (hour === 24 && minute === 0) return 24 * 60;
    return hour <= 23 ? hour * 60 + minute : null;
  }
  if (hour > 12 && hour <= 23 && part !== 'am') return hour * 60 + minute;
  if (hour > 12 || hour === 0) return null;
  if (part === 'am') return (hour % 12) * 60 + minute;
  if (part === 'pm') return (hour === 12 ? 12 : hour + 12) * 60 + minute;
  // night: "в 2 ночи" is 02:00, "в 11 ночи" and "в 12 ночи" are the end of the evening.
  if (hour === 12) return 24 * 60 + minute;
  return (hour >= 9 ? hour + 12 : hour) * 60 + minute;
}
