import { ibanValid, innValid, luhnValid, snilsValid } from './pii-checksums.js';

export type PiiKind = 'phone' | 'email' | 'card' | 'passport' | 'inn' | 'snils' | 'iban';

/** The placeholders {@link redactPii} leaves in a text, for stages that should not read them as words. */
export const PII_PLACEHOLDER = /\[(?:phone|email|card|passport|inn|snils|iban)\]/g;

/** Where a piece of personal data sits in a text. The value itself is never kept. */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

export interface Redaction {
  /** The text with every match replaced by `[kind]`. */
  text: string;
  matches: PiiMatch[];
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/uy;
/** A character of an address's local part (EMAIL's first class), one code point. */
const LOCAL_PART_CHAR = /^[\p{L}\p{N}._%+-]$/u;
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\p{L}\p{N}])/gu;
/** Where an IBAN can start: country code and check digits. */
const IBAN_START = /[A-Z]{2}\d{2}/;
const DIGIT = /\d/;
/** A run of at least 8 digits, each allowed up to two separators before it: "+7 (916) 123-45-67". */
const NUMBER = /(?<![\p{L}\p{N}_])\+?\(?\d(?:[ \u00a0\-.()]{0,2}\d){7,22}(?![\p{N}])/gu;
/** Fewest digits a number run (NUMBER: 8) or a written passport (PASSPORT_WRITTEN: 10) holds. */
const NUMBER_DIGITS = 8;
const SNILS_SHAPE = /^\d{3}[- ]\d{3}[- ]\d{3}[- ]\d{2}$/;
const PASSPORT_SHAPE = /^\d{2} ?\d{2} \d{6}$/;
/** 4-4-4-x groups, or American Express (4-6-5) and Diners Club (4-6-4). */
const CARD_SHAPE = /^(?:\d{4}([ -]?)\d{4}\1\d{4}\1\d{1,7}|3\d{3}([ -]?)\d{6}\2\d{4,5})$/;
/**
 * A passport written as series and number with a word between them:
 * "серия 45 10 номер 123456", "4510 № 123456". The number-run pattern
 * cannot join these, since letters break a run.
 */
const PASSPORT_WRITTEN =
  /(?<![\p{L}\p{N}])\d{2} ?\d{2}[\s,:.]*(?:№|номер\p{L}*|no\.?|number)[\s:.]*\d{6}(?![\p{N}])/giu;

// What the few words before a number say it is.
const ORDER_CONTEXT =
  /(?:№|#|заказ\S*|order|трек\S*|track\S*|invoice|сч[её]т\S*|артикул\S*|sku|тикет\S*|ticket|посылк\S*|parcel)\s*(?:номер|no\.?|number|№|#)?\s*:?\s*$/iu;
const INN_CONTEXT = /(?:инн|inn)\b/iu;
const SNILS_CONTEXT = /(?:снилс|snils)/iu;
const PASSPORT_CONTEXT = /(?:паспорт|passport|серия)/iu;

/**
 * Finds personal data in a message: e-mail addresses, phone numbers (Russian
 * and international), payment cards (Luhn; Visa/Mastercard/Mir groups and
 * Amex 4-6-5, Diners 4-6-4), Russian passports (also "серия … номер …"), INN and SNILS
 * (with their checksums) and IBANs (mod 97). Numbers are classified by shape,
 * checksum and the words right before them, so "заказ №79161234567" or a
 * 16-digit number failing Luhn is not reported.
 */
export function detectPii(text: string): PiiMatch[] {
  const matches: PiiMatch[] = [];
  collectEmails(text, matches);
  // Most texts (and names) have too few digits for anything but an address: the
  // patterns below, with their Unicode lookarounds, are tried only when they can match.
  const first = text.search(DIGIT);
  if (first === -1) return matches;
  const digits = countDigits(text, first, NUMBER_DIGITS);
  if (digits < 2) return matches;
  if (IBAN_START.test(text)) {
    for (const m of text.matchAll(IBAN)) {
      if (ibanValid(m[0])) matches.push({ kind: 'iban', start: m.index, end: m.index + m[0].length });
    }
  }
  if (digits < NUMBER_DIGITS) return matches.sort((a, b) => a.start - b.start);
  for (const m of text.matchAll(PASSPORT_WRITTEN)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(matches, start, end)) continue;
    const before = text.slice(Math.max(0, start - 30), start);
    // "заказ 4510 № 123456" is an order; without words saying so, series-and-number is a passport.
    if (PASSPORT_CONTEXT.test(before) || !ORDER_CONTEXT.test(before)) matches.push({ kind: 'passport', start, end });
  }
  for (const m of text.matchAll(NUMBER)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(matches, start, end)) continue;
    const kind = classifyNumber(m[0], text.slice(Math.max(0, start - 30), start));
    if (kind !== null) matches.push({ kind, start, end });
  }
  return matches.sort((a, b) => a.start - b.start);
}

/** Replaces every piece of personal data with a `[kind]` placeholder. */
export function redactPii(text: string): Redaction {
  const matches = detectPii(text);
  return { text: replaceMatches(text, matches), matches };
}

/** `text` with each match (sorted, not overlapping, as {@link detectPii} returns them) replaced by its `[kind]` placeholder. */
export function replaceMatches(text: string, matches: readonly PiiMatch[]): string {
  if (matches.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += `${text.slice(at, m.start)}[${m.kind}]`;
    at = m.end;
  }
  return out + text.slice(at);
}

function classifyNumber(raw: string, before: string): PiiKind | null {
  const candidate = raw.trim();
  const digits = candidate.replace(/\D/g, '');
  const n = digits.length;
  if (INN_CONTEXT.test(before) && innValid(digits)) return 'inn';
  if (SNILS_CONTEXT.test(before) && snilsValid(digits)) return 'snils';
  if (PASSPORT_CONTEXT.test(before) && n === 10) return 'passport';
  if (ORDER_CONTEXT.test(before)) return null;
  if (
    n >= 13 &&
    n <= 19 &&
    digits.charCodeAt(0) >= 50 &&
    digits.charCodeAt(0) <= 54 &&
    CARD_SHAPE.test(candidate) &&
    luhnValid(digits)
  ) {
    return 'card';
  }
  if (SNILS_SHAPE.test(candidate) && snilsValid(digits)) return 'snils';
  if (candidate.startsWith('+')) return n >= 8 && n <= 15 ? 'phone' : null;
  if (isRussianPhone(digits, candidate)) return 'phone';
  if ((n === 10 || n === 12) && /^\d+$/.test(candidate) && innValid(digits)) return 'inn';
  if (n === 11 && /^\d+$/.test(candidate) && snilsValid(digits)) return 'snils';
  if (PASSPORT_SHAPE.test(candidate)) return 'passport';
  return null;
}

/**
 * 8 or 7 and ten digits whose operator/area code starts with 3, 4, 8 or 9,
 * or a written-out mobile without the prefix ("916 123-45-67").
 */
function isRussianPhone(digits: string, candidate: string): boolean {
  if (digits.length === 11 && (digits[0] === '8' || digits[0] === '7')) return '3489'.includes(digits[1]!);
  if (digits.length === 10 && digits[0] === '9') return /\D/.test(candidate);
  return false;
}

/**
 * The addresses in `text`, as a global EMAIL search would find them, tried
 * only at each `@`: from the start of the run of local-part characters right
 * before it (a match must start there, since the local part cannot hold an
 * `@` and takes every such character). Searching the whole text instead
 * tried the pattern's Unicode classes at every position of every long
 * answer that held one `@`.
 */
function collectEmails(text: string, into: PiiMatch[]): void {
  let searched = 0; // where the previous address ended: a match never starts before it
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, searched))) {
    let start = at;
    while (start > searched) {
      const before = text.codePointAt(start - 1) as number;
      // A letter outside the BMP is a surrogate pair: step back over both halves.
      const width = before >= 0xdc00 && before <= 0xdfff && start - 2 >= searched ? 2 : 1;
      if (!LOCAL_PART_CHAR.test(text.slice(start - width, start))) break;
      start -= width;
    }
    if (start === at) continue;
    EMAIL.lastIndex = start;
    const m = EMAIL.exec(text);
    if (m === null) continue;
    into.push({ kind: 'email', start, end: start + m[0].length });
    searched = start + m[0].length;
  }
}

/** How many ASCII digits (`\d`) `text` holds from `from` on, counted up to `enough`. */
function countDigits(text: string, from: number, enough: number): number {
  let digits = 0;
  for (let i = from; i < text.length && digits < enough; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

function overlaps(matches: readonly PiiMatch[], start: number, end: number): boolean {
  return matches.some((m) => m.start < end && start < m.end);
}
