import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reactionFeedback, replyFeedback } from '../../src/chat/index.js';

describe('a reply to the bot judges its message', () => {
  it.each([
    'спасибо',
    'Спасибо, Лёха!',
    'спс',
    'благодарю',
    'класс',
    'круто',
    'точно!',
    'в точку',
    'ахах',
    'ахахахах, жжёшь',
    '😂',
    '👍',
    '👍🏻',
    'ты прав',
    'thanks',
    'thank you',
    'great',
    'lol',
    'exactly',
    "that's right",
    'нет, ты прав',
    'good bot',
  ])('%j as praise', (text) => expect(replyFeedback(text)).toBe(1));

  it.each([
    'бред',
    'чушь какая-то',
    'фигня',
    'ерунда',
    'это не то',
    'неправда',
    'не правда',
    'ты не прав',
    'Лёха, ты не прав',
    '👎',
    'nonsense',
    'wrong',
    'bullshit',
    "that's not true",
    "that isn't true",
    'не смешно',
    'не круто',
    'точно не то',
    'ты гонишь',
    'bad bot',
  ])('%j as rejection', (text) => expect(replyFeedback(text)).toBe(-1));

  it.each([
    'не спасибо',
    'нет, спасибо',
    'no thanks',
    'не бред',
    'это не бред',
    'not wrong',
    'не точно',
    'точно не знаю',
    'не то чтобы',
    'в 8 встречаемся у метро',
    'а что ты думаешь про погоду?',
    '',
    'спасибо, но это бред',
    'у меня нет прав на это',
    'no, great',
  ])('%j as neither', (text) => expect(replyFeedback(text)).toBe(0));
});

describe('reactions on a bot message', () => {
  it('count +1 for each positive emoji added', () => {
    expect(reactionFeedback([], ['👍'])).toBe(1);
    expect(reactionFeedback([], ['❤️'])).toBe(1);
    expect(reactionFeedback([], ['❤‍🔥'])).toBe(1);
    expect(reactionFeedback(['🤔'], ['🤔', '🔥', '💯'])).toBe(2);
  });

  it('count −1 for each negative emoji added', () => {
    expect(reactionFeedback([], ['👎'])).toBe(-1);
    expect(reactionFeedback([], ['💩', '🤡'])).toBe(-2);
  });

  it('take back what a removed reaction gave', () => {
    expect(reactionFeedback(['👍'], [])).toBe(-1);
    expect(reactionFeedback(['👎'], [])).toBe(1);
    expect(reactionFeedback(['👎'], ['👍'])).toBe(2);
    expect(reactionFeedback(['👍', '🔥'], ['🔥'])).toBe(-1);
  });

  it('ignore unchanged, neutral and unknown reactions', () => {
    expect(reactionFeedback(['👍'], ['👍'])).toBe(0);
    expect(reactionFeedback([], ['🤔', '🍌'])).toBe(0);
    expect(reactionFeedback([], ['5368324170671202286'])).toBe(0);
    expect(reactionFeedback([], [])).toBe(0);
  });
});

describe('feedback invariants', () => {
  const emojiArb = fc.constantFrom('👍', '👎', '❤', '❤️', '🔥', '💩', '🤡', '🤔', '🍌', '😁');

  it('undoing a reaction change gives back exactly what it gave', () => {
    fc.assert(
      fc.property(fc.array(emojiArb, { maxLength: 3 }), fc.array(emojiArb, { maxLength: 3 }), (before, after) => {
        expect(reactionFeedback(after, before) + reactionFeedback(before, after)).toBe(0);
        expect(Math.abs(reactionFeedback(before, after))).toBeLessThanOrEqual(before.length + after.length);
      }),
    );
  });

  it('judges any text with -1, 0 or 1', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect([-1, 0, 1]).toContain(replyFeedback(text));
      }),
    );
  });
});
