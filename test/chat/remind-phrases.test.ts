import { describe, expect, it } from 'vitest';
import {
  type ChatClock,
  DEFAULT_REMIND_LIMITS,
  type Language,
  parseRemindCommand,
  phrasebookFor,
  type RemindFailure,
  type ReminderListing,
} from '../../src/chat/index.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Moscow time; local now is Thursday 2026-12-03 13:00. */
const CLOCK: ChatClock = { nowMs: Date.UTC(2026, 11, 3, 10, 0), utcOffsetMinutes: 180 };

function localAt(days: number, h: number, m: number, clock: ChatClock = CLOCK): number {
  return Date.UTC(2026, 11, 3 + days, h, m) - clock.utcOffsetMinutes * MINUTE;
}

const REASONS: readonly RemindFailure[] = [
  'no-time',
  'bad-time',
  'in-past',
  'too-soon',
  'too-far',
  'no-text',
  'text-too-long',
];
const LANGUAGES: readonly Language[] = ['ru', 'uk', 'en'];

describe('reminder confirmation', () => {
  it.each<[Language, number, string]>([
    ['ru', localAt(1, 9, 0), 'Ок, напомню завтра в 09:00 (через 20 ч).'],
    ['ru', CLOCK.nowMs + 10 * MINUTE, 'Ок, напомню сегодня в 13:10 (через 10 мин).'],
    ['ru', CLOCK.nowMs + 90 * MINUTE, 'Ок, напомню сегодня в 14:30 (через 1 ч 30 мин).'],
    ['ru', localAt(2, 18, 30), 'Ок, напомню послезавтра в 18:30 (через 2 дн.).'],
    ['ru', localAt(4, 10, 0), 'Ок, напомню в понедельник в 10:00 (через 4 дн.).'],
    ['ru', localAt(30, 9, 0), 'Ок, напомню 2 января 2027 в 09:00 (через 30 дн.).'],
    ['ru', localAt(10, 9, 0), 'Ок, напомню 13 декабря в 09:00 (через 10 дн.).'],
    ['uk', localAt(1, 9, 0), 'Ок, нагадаю завтра о 09:00 (через 20 год).'],
    ['uk', localAt(1, 10, 0), 'Ок, нагадаю завтра о 10:00 (через 21 год).'],
    ['uk', localAt(3, 10, 0), 'Ок, нагадаю у неділю о 10:00 (через 3 дн.).'],
    ['en', localAt(1, 9, 0), "Got it, I'll remind you tomorrow at 09:00 (in 20 h)."],
    ['en', CLOCK.nowMs + 30_000, "Got it, I'll remind you today at 13:00 (in 30 s)."],
    ['en', localAt(4, 10, 0), "Got it, I'll remind you on Monday at 10:00 (in 4 days)."],
  ])('in %s for %i says %s', (language, dueAtMs, expected) => {
    expect(phrasebookFor(language).reminderSet(dueAtMs, CLOCK)).toBe(expected);
  });

  it('words the time in the chat’s own calendar (-07:00, already tomorrow in UTC)', () => {
    const clock = { nowMs: Date.UTC(2026, 11, 4, 5, 0), utcOffsetMinutes: -420 }; // local Thu 22:00
    const due = parseRemindCommand('завтра в 9 x', clock.nowMs, clock.utcOffsetMinutes);
    if (!due.ok) throw new Error('expected a reminder');
    expect(phrasebookFor('ru').reminderSet(due.dueAtMs, clock)).toBe('Ок, напомню завтра в 09:00 (через 11 ч).');
  });

  it('rounds long spans to whole hours', () => {
    expect(phrasebookFor('ru').reminderSet(CLOCK.nowMs + 14 * HOUR + 20 * MINUTE, CLOCK)).toContain('(через 14 ч)');
  });
});

describe('reminder list', () => {
  const reminders: ReminderListing[] = [
    { id: '12', dueAtMs: localAt(0, 18, 0), text: 'выключить плиту' },
    { id: '15', dueAtMs: localAt(1, 9, 0), text: `позвонить маме\nи бабушке ${'очень '.repeat(20)}` },
  ];

  it('shows each reminder with its id, local time and text, shortened to one line', () => {
    const lines = phrasebookFor('ru').reminderList(reminders, CLOCK).split('\n');
    expect(lines[0]).toBe('Твои напоминалки:');
    expect(lines[1]).toBe('#12 — сегодня в 18:00 — выключить плиту');
    expect(lines[2]).toMatch(/^#15 — завтра в 09:00 — позвонить маме и бабушке очень .*…$/);
    expect(lines[2]!.split(' — ')[2]!.length).toBe(60);
    expect(lines[3]).toBe('Отменить: /reminders cancel <номер>');
  });

  it.each<[Language, string]>([
    ['ru', 'Напоминалок нет'],
    ['uk', 'Нагадувань немає'],
    ['en', 'No reminders'],
  ])('in %s says when there are none', (language, start) => {
    expect(phrasebookFor(language).reminderList([], CLOCK).startsWith(start)).toBe(true);
  });

  it('lists at most twenty and says how many more there are', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({
      id: String(i + 1),
      dueAtMs: CLOCK.nowMs + (i + 1) * HOUR,
      text: 't',
    }));
    const lines = phrasebookFor('en').reminderList(many, CLOCK).split('\n');
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(20);
    expect(lines).toContain('…and 3 more');
  });
});

describe('reminder rejections', () => {
  it.each(LANGUAGES.flatMap((language) => REASONS.map((reason) => [language, reason] as const)))(
    'in %s explains %s with the words as written',
    (language, reason) => {
      const text = phrasebookFor(language).reminderRejected(
        { ok: false, reason, detail: 'в 25:00' },
        DEFAULT_REMIND_LIMITS,
      );
      expect(text.length).toBeGreaterThan(20);
      if (['no-time', 'bad-time', 'in-past'].includes(reason)) expect(text).toContain('в 25:00');
    },
  );

  it.each<[RemindFailure, string]>([
    ['no-time', 'Не понял, когда напомнить: «купить хлеб». Пиши так: /remind 10m'],
    ['bad-time', 'Не понял, когда напомнить: «купить хлеб» — такого времени не бывает'],
  ])('in Russian starts %s with the agreed wording', (reason, start) => {
    expect(
      phrasebookFor('ru')
        .reminderRejected({ ok: false, reason, detail: 'купить хлеб' }, DEFAULT_REMIND_LIMITS)
        .startsWith(start),
    ).toBe(true);
  });

  it('names the limits that were crossed', () => {
    const ru = phrasebookFor('ru');
    expect(ru.reminderRejected({ ok: false, reason: 'too-soon' }, DEFAULT_REMIND_LIMITS)).toContain('через 10 с');
    expect(ru.reminderRejected({ ok: false, reason: 'too-far' }, DEFAULT_REMIND_LIMITS)).toContain('через 365 дн.');
    expect(phrasebookFor('en').reminderRejected({ ok: false, reason: 'too-far' }, DEFAULT_REMIND_LIMITS)).toContain(
      '365 days',
    );
    expect(
      ru.reminderRejected({ ok: false, reason: 'text-too-long', detail: '1200' }, DEFAULT_REMIND_LIMITS),
    ).toContain(String(DEFAULT_REMIND_LIMITS.maxTextChars));
  });

  it('words a rejection without a detail without an empty quote', () => {
    const text = phrasebookFor('ru').reminderRejected({ ok: false, reason: 'no-time' }, DEFAULT_REMIND_LIMITS);
    expect(text.startsWith('Не понял, когда напомнить. ')).toBe(true);
    expect(text).not.toContain('«»');
  });
});

describe('other reminder phrases', () => {
  it.each<[Language, string]>([
    ['ru', '⏰ @lena, напоминаю: выключить плиту'],
    ['uk', '⏰ @lena, нагадую: выключить плиту'],
    ['en', '⏰ @lena, reminder: выключить плиту'],
  ])('delivers the reminder in %s', (language, expected) => {
    expect(phrasebookFor(language).reminderDue('@lena', 'выключить плиту')).toBe(expected);
  });

  it.each(LANGUAGES)(
    'in %s confirms a cancel, reports an unknown id and the per-member and per-chat limits',
    (language) => {
      const say = phrasebookFor(language);
      expect(say.reminderCancelled('7')).toContain('#7');
      expect(say.reminderNotFound('7')).toContain('#7');
      expect(say.reminderCancelUsage()).toContain('/reminders cancel');
      expect(say.reminderLimit('member', 50)).toContain('50');
      expect(say.reminderLimit('chat', 200)).toContain('200');
      expect(say.reminderLimit('member', 50)).not.toBe(say.reminderLimit('chat', 50));
    },
  );

  it('answers Ukrainian speakers about reminders in Ukrainian, and anything without a language in Russian', () => {
    expect(phrasebookFor('uk').reminderCancelled('3')).not.toBe(phrasebookFor('ru').reminderCancelled('3'));
    expect(phrasebookFor('other').reminderCancelled('3')).toBe(phrasebookFor('ru').reminderCancelled('3'));
  });

  it('spans at least a day in days', () => {
    expect(phrasebookFor('en').reminderSet(CLOCK.nowMs + 3 * DAY, CLOCK)).toContain('(in 3 days)');
  });
});
