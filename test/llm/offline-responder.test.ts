import { describe, expect, it } from 'vitest';
import { type ChatTurn, languageOf, OfflineResponder } from '../../src/llm/index.js';

const said = (text: string): ChatTurn[] => [
  { role: 'system', content: 'persona' },
  { role: 'user', content: text },
];

describe('OfflineResponder', () => {
  const responder = new OfflineResponder();

  it.each([
    ['Льохо, привіт!', 'uk'],
    ['Лёха, как дела?', 'ru'],
    ['Lekha, how are you?', 'en'],
    ['🙂', 'en'],
  ] as const)('reads %j as %s', (text, language) => expect(languageOf(text)).toBe(language));

  it('speaks Ukrainian when asked to, also for a Russian message', () => {
    const uk = responder.offline(said('Лёха, как дела?'), 'uk');
    const ru = responder.offline(said('Лёха, как дела?'), 'ru');
    expect(uk).toMatch(/[іїєґ’]/);
    expect(uk).not.toBe(ru);
    expect(responder.refusal(said('Лёха, как дела?'), 'uk')).toMatch(/ліміт/i);
  });

  it('has a Ukrainian answer for every Russian one, none of them Russian', () => {
    const texts = (language: 'ru' | 'uk') =>
      new Set(
        Array.from({ length: 200 }, (_, i) => responder.offline(said(`повідомлення ${i}`), language)).concat(
          Array.from({ length: 200 }, (_, i) => responder.refusal(said(`повідомлення ${i}`), language)),
        ),
      );
    const uk = texts('uk');
    const ru = texts('ru');
    expect(uk.size).toBe(ru.size);
    for (const text of uk) {
      expect(ru.has(text)).toBe(false);
      expect(text).toMatch(/[іїєґ’]/);
    }
  });
});
