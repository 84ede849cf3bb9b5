import { describe, expect, it } from 'vitest';
import { OfflineResponder } from '../../src/llm/index.js';

const responder = new OfflineResponder();
const asked = (content: string) => [{ role: 'user' as const, content }];

describe('the offline responder with a persona’s own lines', () => {
  const own = { ru: ['Клюёт, потом отвечу.'] };

  it('says the persona’s line in a language it gives', () => {
    expect(responder.offline(asked('Вася, привет'), undefined, own)).toBe('Клюёт, потом отвечу.');
    expect(responder.refusal(asked('Вася, привет'), undefined, own)).toBe('Клюёт, потом отвечу.');
  });

  it('falls back to the built-in lines in a language it does not give', () => {
    const english = responder.offline(asked('hey Vasya'), undefined, own);
    expect(english).toBe(responder.offline(asked('hey Vasya')));
    expect(english).not.toBe('Клюёт, потом отвечу.');
  });
});
