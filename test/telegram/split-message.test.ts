import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitMessage, TELEGRAM_MAX_MESSAGE_LENGTH } from '../../src/telegram/index.js';

describe('splitMessage', () => {
  it('leaves a text within the limit whole', () => {
    expect(splitMessage('короткий ответ')).toEqual(['короткий ответ']);
  });

  it('cuts a long text at Telegram’s limit, preferring line breaks and spaces', () => {
    const paragraph = `${'слово '.repeat(700).trim()}\n\n`;
    const parts = splitMessage(paragraph.repeat(3));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGE_LENGTH);
      expect(part.startsWith('слово')).toBe(true);
      expect(part.endsWith('слово')).toBe(true);
    }
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀😀😀`;
    const parts = splitMessage(text, 10);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('keeps every non-space character, in order, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000, unit: 'grapheme' }), fc.integer({ min: 8, max: 500 }), (text, max) => {
        const parts = splitMessage(text, max);
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(max);
        expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
      { numRuns: 200 },
    );
  });
});
