import { describe, expect, it } from 'vitest';
import { normalize } from '../../../../src/plugins/integrations/games/games-data.js';
import { QUIZ_BANK, quizQuestion } from '../../../../src/plugins/integrations/games/quiz-bank.js';

describe('the quiz bank', () => {
  const all = [...QUIZ_BANK.ru, ...QUIZ_BANK.uk, ...QUIZ_BANK.en];

  it.each(['ru', 'uk', 'en'] as const)('has at least 40 questions in %s, on at least eight topics', (language) => {
    expect(QUIZ_BANK[language].length).toBeGreaterThanOrEqual(40);
    expect(new Set(QUIZ_BANK[language].map((q) => q.topic)).size).toBeGreaterThanOrEqual(8);
    expect(QUIZ_BANK[language].every((q) => q.id.startsWith(`${language}-`))).toBe(true);
  });

  it('gives every question a unique id, found again by it', () => {
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    for (const question of all) expect(quizQuestion(question.id)).toBe(question);
    expect(quizQuestion('no-such-id')).toBeUndefined();
  });

  it('gives every question 3–4 options that differ as answers are compared, the answer among them', () => {
    for (const question of all) {
      expect(question.options.length, question.id).toBeGreaterThanOrEqual(3);
      expect(question.options.length, question.id).toBeLessThanOrEqual(4);
      expect(question.options, question.id).toContain(question.answer);
      expect(new Set(question.options.map(normalize)).size, question.id).toBe(question.options.length);
      expect(question.question.trim(), question.id).not.toBe('');
    }
  });

  it('has no option that is a bare number, so a number always means an option’s place', () => {
    for (const question of all)
      for (const option of question.options) expect(normalize(option), question.id).not.toMatch(/^\d+$/);
  });
});
