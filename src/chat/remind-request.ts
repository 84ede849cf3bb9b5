import { type Token, tokenize, type WhenContext, type WhenMatch, whenAt } from './remind-when.js';

const DAY_MS = 86_400_000;

/** Why a reminder request was not understood or not accepted; each has its own answer in the phrasebook. */
export type RemindFailure =
  /** No time found at all ("/remind купить хлеб"). */
  | 'no-time'
  /** A time that does not exist ("в 25:00", "в 13 утра"). */
  | 'bad-time'
  /** A moment named explicitly that has already passed ("сегодня в 9" at noon). */
  | 'in-past'
  /** Sooner than `minDelayMs` ("через 0 минут"). */
  | 'too-soon'
  /** Later than `maxDelayMs`. */
  | 'too-far'
  /** A time but nothing to remind of. */
  | 'no-text'
  /** Text longer than `maxTextChars`. */
  | 'text-too-long';

export interface RemindRejection {
  ok: false;
  reason: RemindFailure;
  /** The words as the member wrote them, for the answer ("не понял, когда напомнить: «в 25:00»"). */
  detail?: string;
}

export type RemindRequest = { ok: true; dueAtMs: number; text: string } | RemindRejection;

export interface RemindLimits {
  minDelayMs: number;
  maxDelayMs: number;
  maxTextChars: number;
  /** When a day is named without a time ("завтра купить хлеб"), in minutes after local midnight. */
  defaultMinuteOfDay: number;
}

export const DEFAULT_REMIND_LIMITS: Readonly<RemindLimits> = {
  minDelayMs: 10_000,
  maxDelayMs: 365 * DAY_MS,
  maxTextChars: 1_000,
  defaultMinuteOfDay: 9 * 60,
};

const DETAIL_MAX_CHARS = 40;

/**
 * The arguments of `/remind <when> <text>`: a duration (`30s`, `10m`,
 * `1h30m`, `10 минут`, `через 2 часа`, `in 2 hours`) or a time (`9:00`,
 * `завтра в 9`, `tomorrow 18:30`, `в понедельник в 10`) in the chat's local
 * time, `utcOffsetMinutes` ahead of UTC. The time is looked for first at the
 * start, then anywhere ("/remind купить хлеб завтра в 9"). A bare time that
 * has passed today means tomorrow.
 */
export function parseRemindCommand(
  args: string,
  nowMs: number,
  utcOffsetMinutes: number,
  limits: Partial<RemindLimits> = {},
): RemindRequest {
  const options = { ...DEFAULT_REMIND_LIMITS, ...limits };
  const tokens = tokenize(args);
  if (tokens.length === 0) return { ok: false, reason: 'no-time' };
  const ctx = {
    nowMs,
    utcOffsetMinutes,
    defaultMinuteOfDay: options.defaultMinuteOfDay,
    bareDurations: true,
    bareCompact: true,
  };
  const match = findWhen(tokens, 0, ctx);
  if (match === null) return { ok: false, reason: 'no-time', detail: clip(args.trim()) };
  return accept(match, split(args, tokens, 0, match), nowMs, options);
}

/**
 * A reminder asked for in words ("Лёха, напомни через 10 минут выключить
 * плиту", "нагадай завтра о 9 подзвонити мамі", "remind me in 2 hours to
 * call mom"). Null when the message is not a reminder request, so the caller
 * can hand it to the conversation instead: no "напомни"/"нагадай"/"remind"
 * at all, or one with neither a time nor something to do ("напомни, как его
 * звали?"). A request with something to do but no usable time is rejected
 * with a reason, as the command is.
 */
export function parseRemindPhrase(
  text: string,
  nowMs: number,
  utcOffsetMinutes: number,
  limits: Partial<RemindLimits> = {},
): RemindRequest | null {
  // Most messages are not reminders: skip tokenising them.
  if (!MAYBE_TRIGGER.test(text)) return null;
  const tokens = tokenize(text);
  const trigger = tokens.findIndex((t) => TRIGGERS.has(t.word));
  if (trigger < 0) return null;
  const options = { ...DEFAULT_REMIND_LIMITS, ...limits };
  let from = trigger + 1;
  while (from < tokens.length && LEADING_FILLERS.has(tokens[from]!.word)) from++;
  const ctx = {
    nowMs,
    utcOffsetMinutes,
    defaultMinuteOfDay: options.defaultMinuteOfDay,
    bareDurations: false,
    bareCompact: false,
  };
  const match = findWhen(tokens, from, ctx);
  if (match !== null) return accept(match, split(text, tokens, from, match), nowMs, options);
  // "Лёха, завтра в 9 напомни позвонить маме": the time before the verb, the text after it.
  const early = findWhen(tokens.slice(0, trigger), 0, ctx);
  if (early !== null && from < tokens.length) {
    const parts = { when: written(text, tokens, early), before: '', after: text.slice(tokens[from]!.start) };
    return accept(early, parts, nowMs, options);
  }
  const first = tokens[from]?.word ?? '';
  if (!INTENT_WORDS.has(first) && !INFINITIVE.test(first)) return null;
  return { ok: false, reason: 'no-time', detail: clip(text.slice(tokens[from]!.start).trim()) };
}

const MAYBE_TRIGGER = /напомн|нагада|remind/i;
const TRIGGERS: ReadonlySet<string> = new Set(['напомни', 'напомните', 'напомнишь', 'нагадай', 'нагадайте', 'remind']);

const LEADING_FILLERS: ReadonlySet<string> = new Set([
  '',
  'мне',
  'нам',
  'мені',
  'пожалуйста',
  'плиз',
  'me',
  'us',
  'please',
  'pls',
]);

/** After "напомни", a word that says a reminder is meant even without a time: "напомни через год", "remind me to …". */
const INTENT_WORDS: ReadonlySet<string> = new Set(['через', 'чтобы', 'чтоб', 'щоб', 'щоби', 'to']);
/** Russian and Ukrainian infinitives: "напомни выключить плиту", "нагадай купити хліб". */
const INFINITIVE = /^[а-яіїєґ']{3,}(ть|ти|чь|ться|тись|тися)$/;

/** The time at the start wins; otherwise the last one in the text, taken whole ("… завтра в 9"), a valid one before a wrong one. */
function findWhen(tokens: readonly Token[], from: number, ctx: WhenContext): WhenMatch | null {
  const first = whenAt(tokens, from, ctx);
  if (first !== null) return first;
  const inner = { ...ctx, bareDurations: false };
  let best: WhenMatch | null = null;
  for (let i = from + 1; i < tokens.length; i++) {
    const match = whenAt(tokens, i, inner);
    if (match !== null && (best === null || better(match, best))) best = match;
  }
  return best;
}

function better(a: WhenMatch, b: WhenMatch): boolean {
  if (a.kind !== b.kind) return a.kind === 'at';
  return a.end > b.end;
}

/** The words of `match` and what is left of `from…` once they are cut out. */
function split(source: string, tokens: readonly Token[], from: number, match: WhenMatch): Parts {
  return {
    when: written(source, tokens, match),
    before: from < match.start ? source.slice(tokens[from]!.start, tokens[match.start]!.start) : '',
    after: source.slice(tokens[match.end - 1]!.end),
  };
}

interface Parts {
  when: string;
  before: string;
  after: string;
}

function written(source: string, tokens: readonly Token[], match: WhenMatch): string {
  return source.slice(tokens[match.start]!.start, tokens[match.end - 1]!.end).trim();
}

function accept(match: WhenMatch, parts: Parts, nowMs: number, limits: RemindLimits): RemindRequest {
  if (match.kind === 'bad') return { ok: false, reason: match.reason, detail: clip(parts.when) };
  const delayMs = match.dueAtMs - nowMs;
  // NaN and Infinity (a number too long to read) fall into one of these two.
  if (!(delayMs >= limits.minDelayMs)) return { ok: false, reason: 'too-soon', detail: clip(parts.when) };
  if (!(delayMs <= limits.maxDelayMs)) return { ok: false, reason: 'too-far', detail: clip(parts.when) };
  const text = cleanText([cleanText(parts.before), cleanText(parts.after)].filter((part) => part.length > 0).join(' '));
  if (text.length === 0) return { ok: false, reason: 'no-text' };
  if (text.length > limits.maxTextChars) return { ok: false, reason: 'text-too-long', detail: String(text.length) };
  return { ok: true, dueAtMs: match.dueAtMs, text };
}

const EDGE_WORDS: ReadonlySet<string> = new Set([
  'мне',
  'нам',
  'мені',
  'что',
  'чтобы',
  'чтоб',
  'що',
  'щоб',
  'щоби',
  'пожалуйста',
  'плиз',
  'me',
  'us',
  'to',
  'that',
  'please',
  'pls',
]);

/** The reminder text without the glue around it: "мне, чтобы", "to", "please", stray commas and dashes. */
function cleanText(text: string): string {
  let out = text.trim();
  for (;;) {
    const before = out;
    out = out.replace(/^[\s,.:;—–-]+|[\s,:;—–-]+$/g, '');
    const head = /^(\S+)\s*/.exec(out);
    if (head !== null && EDGE_WORDS.has(normal(head[1]!))) out = out.slice(head[0].length);
    const tail = /\s*(\S+)$/.exec(out);
    if (tail !== null && tail.index > 0 && TAIL_WORDS.has(normal(tail[1]!))) out = out.slice(0, tail.index);
    if (out === before) return out;
  }
}

const TAIL_WORDS: ReadonlySet<string> = new Set(['пожалуйста', 'плиз', 'please', 'pls']);

function normal(word: string): string {
  return word.toLowerCase().replace(/[,.!?:;]+$/, '');
}

function clip(text: string): string {
  return text.length <= DETAIL_MAX_CHARS ? text : `${text.slice(0, DETAIL_MAX_CHARS - 1)}…`;
}
