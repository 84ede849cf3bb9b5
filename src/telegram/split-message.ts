import { InvalidOptionError } from '../runtime/index.js';

/** Telegram rejects a text message longer than this (UTF-16 code units after entity parsing). */
export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

/**
 * Splits `text` into parts Telegram accepts, in order. Cuts prefer a paragraph
 * break, then a line break, then a space in the last fifth of a part, so words
 * stay whole; a word longer than a part is cut hard, but never between the two
 * halves of a surrogate pair (that would send broken characters).
 */
export function splitMessage(text: string, maxLength = TELEGRAM_MAX_MESSAGE_LENGTH): string[] {
  if (!Number.isInteger(maxLength) || maxLength < 2)
    throw new InvalidOptionError('maxLength', `maxLength must be an integer ≥ 2, got ${maxLength}`);
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxLength) {
    let cut = softCut(rest, maxLength);
    if (cut === -1) {
      cut = maxLength;
      if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut--;
    }
    const part = rest.slice(0, cut).trimEnd();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (parts.length === 0) return [rest];
  rest = rest.trimEnd();
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function softCut(text: string, maxLength: number): number {
  const floor = Math.floor(maxLength * 0.8);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = text.lastIndexOf(separator, maxLength - separator.length);
    if (at >= floor) return at + separator.length;
  }
  return -1;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
