import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMIND_LIMITS,
  parseRemindCommand,
  parseRemindPhrase,
  type RemindFailure,
  type RemindRequest,
} from '../../src/chat/index.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Moscow time (+03:00); local now is Thursday 2026-12-03 13:00. */
const MSK = 180;
const NOW = Date.UTC(2026, 11, 3, 10, 0);

/** A local wall-clock moment in a chat `offset` minutes ahead of UTC, days counted from 2026-12-03. */
function local(days: number, clock: string, offset = MSK): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return Date.UTC(2026, 11, 3 + days, h, m) - offset * MINUTE;
}

function accepted(result: RemindRequest | null): { dueAtMs: number; text: string } {
  if (result === null || !result.ok) throw new Error(`expected a reminder, got ${JSON.stringify(result)}`);
  return result;
}

function rejected(result: RemindRequest | null): { reason: RemindFailure; detail?: string } {
  if (result === null || result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
  return result;
}

describe('/remind with a duration', () => {
  it.each<[string, number]>([
    ['30s', 30 * SECOND],
    ['10m', 10 * MINUTE],
    ['2h', 2 * HOUR],
    ['1d', DAY],
    ['1h30m', 90 * MINUTE],
    ['1h 30m', 90 * MINUTE],
    ['через 10m', 10 * MINUTE],
    ['2ч', 2 * HOUR],
    ['15мин', 15 * MINUTE],
    ['10 минут', 10 * MINUTE],
    ['15 min', 15 * MINUTE],
    ['через 5 минут', 5 * MINUTE],
    ['через 1 минуту', MINUTE],
    ['через 2 часа', 2 * HOUR],
    ['через 5 часов', 5 * HOUR],
    ['через час', HOUR],
    ['через минуту', MINUTE],
    ['через полчаса', 30 * MINUTE],
    ['через полтора часа', 90 * MINUTE],
    ['через 1,5 часа', 90 * MINUTE],
    ['через 1 час 30 минут', 90 * MINUTE],
    ['через час и 15 минут', 75 * MINUTE],
    ['через 3 дня', 3 * DAY],
    ['через неделю', 7 * DAY],
    ['через пять минут', 5 * MINUTE],
    ['через две минуты', 2 * MINUTE],
    ['через двадцать пять минут', 25 * MINUTE],
    ['через пару часов', 2 * HOUR],
    ['через 10 хвилин', 10 * MINUTE],
    ['через годину', HOUR],
    ['через дві години', 2 * HOUR],
    ['через півгодини', 30 * MINUTE],
    ['in 10 minutes', 10 * MINUTE],
    ['in 2 hours', 2 * HOUR],
    ['in an hour', HOUR],
    ['in half an hour', 30 * MINUTE],
    ['in five minutes', 5 * MINUTE],
    ['in 3 days', 3 * DAY],
    ['in 1 hour and 15 minutes', 75 * MINUTE],
  ])('reads "%s" as now + its length', (when, ms) => {
    expect(parseRemindCommand(`${when} выключить плиту`, NOW, MSK)).toEqual({
      ok: true,
      dueAtMs: NOW + ms,
      text: 'выключить плиту',
    });
  });
});

describe('/remind with a time in the chat’s local time', () => {
  // Local now: Thursday 13:00.
  it.each<[string, number, string]>([
    ['9:00', 1, '09:00'],
    ['18:30', 0, '18:30'],
    ['13:00', 1, '13:00'],
    ['завтра в 9', 1, '09:00'],
    ['завтра в 18:30', 1, '18:30'],
    ['завтра 9:00', 1, '09:00'],
    ['в 7 утра', 1, '07:00'],
    ['в 10 вечера', 0, '22:00'],
    ['в 3 дня', 0, '15:00'],
    ['в 2 ночи', 1, '02:00'],
    ['в 12 ночи', 1, '00:00'],
    ['в 9 часов вечера', 0, '21:00'],
    ['в пять вечера', 0, '17:00'],
    ['сегодня в 21:00', 0, '21:00'],
    ['послезавтра', 2, '09:00'],
    ['послезавтра в 8', 2, '08:00'],
    ['в понедельник в 10', 4, '10:00'],
    ['во вторник', 5, '09:00'],
    ['в четверг в 12', 7, '12:00'],
    ['в четверг в 14', 0, '14:00'],
    ['в 10 утра завтра', 1, '10:00'],
    ['завтра утром', 1, '09:00'],
    ['завтра вечером', 1, '19:00'],
    ['в полдень', 1, '12:00'],
    ['в полночь', 1, '00:00'],
    ['в 24:00', 1, '00:00'],
    ['завтра о 9', 1, '09:00'],
    ['післязавтра о 18:00', 2, '18:00'],
    ["у п'ятницю о 10", 1, '10:00'],
    ['у п’ятницю о 10', 1, '10:00'],
    ['о 10 вечора', 0, '22:00'],
    ['о 7 ранку', 1, '07:00'],
    ['tomorrow at 9', 1, '09:00'],
    ['tomorrow 18:30', 1, '18:30'],
    ['at 18:30', 0, '18:30'],
    ['at 9pm', 0, '21:00'],
    ['at 9 pm', 0, '21:00'],
    ['at 10:30pm', 0, '22:30'],
    ['at 12am', 1, '00:00'],
    ['at 12pm', 1, '12:00'],
    ['at noon', 1, '12:00'],
    ['at seven pm', 0, '19:00'],
    ['on monday at 10am', 4, '10:00'],
    ['monday 10:00', 4, '10:00'],
    ['the day after tomorrow at 8', 2, '08:00'],
    ['at 9 tomorrow', 1, '09:00'],
  ])('reads "%s" as local day +%i at %s', (when, days, clock) => {
    expect(parseRemindCommand(`${when} позвонить маме`, NOW, MSK)).toEqual({
      ok: true,
      dueAtMs: local(days, clock),
      text: 'позвонить маме',
    });
  });

  it('finds a short duration after the text', () => {
    expect(parseRemindCommand('купить хлеб 10m', NOW, MSK)).toEqual({
      ok: true,
      dueAtMs: NOW + 10 * MINUTE,
      text: 'купить хлеб',
    });
  });

  it('finds the time after the text as well', () => {
    expect(parseRemindCommand('купить хлеб завтра в 9', NOW, MSK)).toEqual({
      ok: true,
      dueAtMs: local(1, '09:00'),
      text: 'купить хлеб',
    });
  });

  it('keeps a fractional duration to whole milliseconds', () => {
    expect(accepted(parseRemindCommand('через 1,33333 часа x', NOW, MSK)).dueAtMs).toBe(
      Math.round(NOW + 1.33333 * HOUR),
    );
  });

  it('keeps the text as written: case, punctuation, emoji and line breaks', () => {
    const text = 'Купить ХЛЕБ!\nИ молоко 🥛 (2 л), не забыть.';
    expect(accepted(parseRemindCommand(`10m ${text}`, NOW, MSK)).text).toBe(text);
  });
});

describe('fixed offsets and midnight', () => {
  it('counts days in the chat’s calendar when it is already tomorrow in UTC (-07:00)', () => {
    const offset = -420;
    const now = Date.UTC(2026, 11, 4, 5, 0); // local Thursday 2026-12-03 22:00
    expect(accepted(parseRemindCommand('завтра в 9 x', now, offset)).dueAtMs).toBe(local(1, '09:00', offset));
    expect(accepted(parseRemindCommand('в пятницу в 10 x', now, offset)).dueAtMs).toBe(local(1, '10:00', offset));
    expect(accepted(parseRemindCommand('21:00 x', now, offset)).dueAtMs).toBe(local(1, '21:00', offset));
    expect(accepted(parseRemindCommand('23:15 x', now, offset)).dueAtMs).toBe(local(0, '23:15', offset));
  });

  it('handles half-hour offsets (+05:30) across local midnight', () => {
    const offset = 330;
    const now = Date.UTC(2026, 11, 3, 18, 0); // local 23:30
    expect(accepted(parseRemindCommand('23:45 x', now, offset)).dueAtMs).toBe(local(0, '23:45', offset));
    expect(accepted(parseRemindCommand('в 0:15 x', now, offset)).dueAtMs).toBe(local(1, '00:15', offset));
    expect(accepted(parseRemindCommand('завтра в 9 x', now, offset)).dueAtMs).toBe(local(1, '09:00', offset));
    expect(rejected(parseRemindCommand('сегодня в 23:00 x', now, offset)).reason).toBe('in-past');
  });

  it('treats a time equal to now as the same time tomorrow', () => {
    const now = local(1, '00:00'); // local midnight exactly
    expect(accepted(parseRemindCommand('в 0:00 x', now, MSK)).dueAtMs).toBe(now + DAY);
  });

  it('rolls a bare time over midnight just before it', () => {
    const now = local(0, '23:59') + 30 * SECOND;
    expect(accepted(parseRemindCommand('0:00 x', now, MSK)).dueAtMs).toBe(local(1, '00:00'));
  });

  it.each([
    [840, 'Line Islands (+14:00)'],
    [-720, 'Baker Island (-12:00)'],
    [345, 'Nepal (+05:45)'],
  ])('names weekdays in the chat’s calendar at offset %i (%s)', (offset) => {
    const now = local(0, '13:00', offset); // local Thursday 13:00
    expect(accepted(parseRemindCommand('в пятницу в 10 x', now, offset)).dueAtMs).toBe(local(1, '10:00', offset));
    expect(accepted(parseRemindCommand('on thursday at 9 x', now, offset)).dueAtMs).toBe(local(7, '09:00', offset));
  });
});

describe('/remind rejections', () => {
  it.each<[string, RemindFailure, string | undefined]>([
    ['', 'no-time', undefined],
    ['   ', 'no-time', undefined],
    ['купить хлеб', 'no-time', 'купить хлеб'],
    ['в 25:00 x', 'bad-time', 'в 25:00'],
    ['завтра в 25:00 x', 'bad-time', 'завтра в 25:00'],
    ['в 10:75 x', 'bad-time', 'в 10:75'],
    ['в 13 утра x', 'bad-time', 'в 13 утра'],
    ['at 13am x', 'bad-time', 'at 13am'],
    ['в 25 часов x', 'bad-time', 'в 25 часов'],
    ['сегодня в 9 x', 'in-past', 'сегодня в 9'],
    ['today at 12:59 x', 'in-past', 'today at 12:59'],
    ['сегодня купить хлеб', 'no-time', 'сегодня'],
    ['через 0 минут x', 'too-soon', 'через 0 минут'],
    ['0m x', 'too-soon', '0m'],
    ['5s x', 'too-soon', '5s'],
    ['через 400 дней x', 'too-far', 'через 400 дней'],
    ['366d x', 'too-far', '366d'],
    ['через 99999999999999999999 минут x', 'too-far', 'через 99999999999999999999 минут'],
    ['завтра в 9', 'no-text', undefined],
    ['завтра в 9    ', 'no-text', undefined],
    ['10m', 'no-text', undefined],
    ['10m , — ', 'no-text', undefined],
    ['10m пожалуйста', 'no-text', undefined],
  ])('rejects "%s" as %s', (args, reason, detail) => {
    expect(parseRemindCommand(args, NOW, MSK)).toEqual({
      ok: false,
      reason,
      ...(detail === undefined ? {} : { detail }),
    });
  });

  it('accepts the limits themselves', () => {
    expect(accepted(parseRemindCommand('10s x', NOW, MSK)).dueAtMs).toBe(NOW + 10 * SECOND);
    expect(accepted(parseRemindCommand('365d x', NOW, MSK)).dueAtMs).toBe(NOW + 365 * DAY);
    const longest = 'я'.repeat(DEFAULT_REMIND_LIMITS.maxTextChars);
    expect(accepted(parseRemindCommand(`10m ${longest}`, NOW, MSK)).text).toBe(longest);
  });

  it('rejects text over the length limit and says how long it was', () => {
    const text = 'я'.repeat(DEFAULT_REMIND_LIMITS.maxTextChars + 1);
    expect(parseRemindCommand(`10m ${text}`, NOW, MSK)).toEqual({
      ok: false,
      reason: 'text-too-long',
      detail: String(text.length),
    });
  });

  it('clips a long unreadable time in the detail', () => {
    const detail = rejected(parseRemindCommand(`когда-нибудь ${'потом '.repeat(30)}`, NOW, MSK)).detail ?? '';
    expect(detail.length).toBeLessThanOrEqual(40);
    expect(detail.endsWith('…')).toBe(true);
  });

  it('takes its limits and default hour from the options', () => {
    const options = { minDelayMs: MINUTE, maxDelayMs: DAY, maxTextChars: 5, defaultMinuteOfDay: 8 * 60 };
    expect(rejected(parseRemindCommand('30s x', NOW, MSK, options)).reason).toBe('too-soon');
    expect(rejected(parseRemindCommand('2d x', NOW, MSK, options)).reason).toBe('too-far');
    expect(rejected(parseRemindCommand('1h abcdef', NOW, MSK, options)).reason).toBe('text-too-long');
    expect(accepted(parseRemindCommand('завтра x', NOW, MSK, options)).dueAtMs).toBe(local(1, '08:00'));
  });
});

describe('reminders asked for in words', () => {
  it.each<[string, number, string]>([
    ['Лёха, напомни через 10 минут выключить плиту', NOW + 10 * MINUTE, 'выключить плиту'],
    ['Лёха, напомни выключить плиту через 10 минут', NOW + 10 * MINUTE, 'выключить плиту'],
    ['напомни выключить плиту, через 10 минут, пожалуйста', NOW + 10 * MINUTE, 'выключить плиту'],
    ['Лёха, напомни мне завтра в 9 позвонить маме', local(1, '09:00'), 'позвонить маме'],
    ['Лёха, завтра в 9 напомни позвонить маме', local(1, '09:00'), 'позвонить маме'],
    ['напомни через полчаса, что надо забрать пиццу', NOW + 30 * MINUTE, 'надо забрать пиццу'],
    ['напомни, пожалуйста, через пять минут снять чайник', NOW + 5 * MINUTE, 'снять чайник'],
    ['напомни купить в 2 раза больше молока завтра в 9', local(1, '09:00'), 'купить в 2 раза больше молока'],
    ['напомните в понедельник в 10 про отчёт', local(4, '10:00'), 'про отчёт'],
    ['Лёха, напомнишь в 7 утра проверить почту?', local(1, '07:00'), 'проверить почту?'],
    ['Лёха, нагадай через 10 хвилин вимкнути плиту', NOW + 10 * MINUTE, 'вимкнути плиту'],
    ['нагадай завтра о 9 подзвонити мамі', local(1, '09:00'), 'подзвонити мамі'],
    ['нагадайте о 10 вечора зателефонувати', local(0, '22:00'), 'зателефонувати'],
    ['remind me in 2 hours to call mom', NOW + 2 * HOUR, 'call mom'],
    ['remind me to call mom in 2 hours', NOW + 2 * HOUR, 'call mom'],
    ['Lekha, remind me tomorrow at 9 to water the plants', local(1, '09:00'), 'water the plants'],
    ['Please remind me on monday at 10am about the report', local(4, '10:00'), 'about the report'],
    ['REMIND ME IN 10 MINUTES TO STRETCH', NOW + 10 * MINUTE, 'STRETCH'],
    ['remind me in 10m to stretch', NOW + 10 * MINUTE, 'stretch'],
    ['НАПОМНИ ЧЕРЕЗ 5 МИНУТ ВЫКЛЮЧИТЬ ПЛИТУ', NOW + 5 * MINUTE, 'ВЫКЛЮЧИТЬ ПЛИТУ'],
    ['Напомни через 5 минут выключить плиту', NOW + 5 * MINUTE, 'выключить плиту'],
    ['напомни купить 3м кабеля завтра', local(1, '09:00'), 'купить 3м кабеля'],
    ['remind me tonight to call mom', local(0, '20:00'), 'call mom'],
    ['remind me at 9 tonight to call mom', local(0, '21:00'), 'call mom'],
    ['remind me in the evening to call mom', local(0, '19:00'), 'call mom'],
    ['remind me to check the morning report at 10', local(1, '10:00'), 'check the morning report'],
    ['remind me to put the cake in the sun at 5', local(1, '05:00'), 'put the cake in the sun'],
    ['remind me next thursday at 15 to pay', local(7, '15:00'), 'pay'],
    ['remind me on thursday at 15 to pay', local(0, '15:00'), 'pay'],
    ['напомни позвонить в 9.', local(1, '09:00'), 'позвонить'],
    ['напомни в пт в 10 отчёт', local(1, '10:00'), 'отчёт'],
  ])('reads "%s"', (phrase, dueAtMs, text) => {
    expect(parseRemindPhrase(phrase, NOW, MSK)).toEqual({ ok: true, dueAtMs, text });
  });

  it.each([
    'привет, как дела',
    'Лёха, напомни, как его звали?',
    'напомни мне, где мы встречались',
    'remind me what we talked about',
    'я ему вчера напомнил',
    'через 10 минут буду',
    'in 10 minutes I will be there',
    'Лёха, напомни',
    '',
  ])('is not a reminder request: "%s"', (phrase) => {
    expect(parseRemindPhrase(phrase, NOW, MSK)).toBeNull();
  });

  it.each<[string, RemindFailure, string | undefined]>([
    ['Лёха, напомни выключить плиту', 'no-time', 'выключить плиту'],
    ['напомни через год', 'no-time', 'через год'],
    ['напомни купить 3м кабеля', 'no-time', 'купить 3м кабеля'],
    ['remind me to call mom', 'no-time', 'to call mom'],
    ['нагадай купити хліб', 'no-time', 'купити хліб'],
    ['напомни через 5 минут', 'no-text', undefined],
    ['напомни в 25:00 позвонить', 'bad-time', 'в 25:00'],
    ['напомни сегодня в 9 позвонить', 'in-past', 'сегодня в 9'],
    ['напомни через 0 минут позвонить', 'too-soon', 'через 0 минут'],
    ['remind me in 1000 days to renew', 'too-far', 'in 1000 days'],
  ])('rejects "%s" as %s', (phrase, reason, detail) => {
    expect(parseRemindPhrase(phrase, NOW, MSK)).toEqual({
      ok: false,
      reason,
      ...(detail === undefined ? {} : { detail }),
    });
  });
});

const textWord = fc.stringMatching(/^[а-яa-z0-9!?.]{1,10}$/);
/** The text starts with a verb, so nothing in it can be read as more of the time. */
const reminderText = fc
  .tuple(
    fc.constantFrom('выключить', 'позвонить', 'купить', 'забрать', 'проверить', 'полить'),
    fc.array(textWord, { maxLength: 8 }),
  )
  .map(([verb, rest]) => [verb, ...rest].join(' '))
  .filter((text) => !/ (пожалуйста|плиз|please|pls)$/.test(text));
const offsetArb = fc.integer({ min: -720, max: 840 });
const nowArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

describe('invariants', () => {
  it('"через N минут <text>" is due exactly N minutes from now and keeps the text', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 365 * 24 * 60 }),
        reminderText,
        nowArb,
        offsetArb,
        (n, text, now, offset) => {
          const expected = { ok: true, dueAtMs: now + n * MINUTE, text };
          expect(parseRemindCommand(`через ${n} минут ${text}`, now, offset)).toEqual(expected);
          expect(parseRemindPhrase(`Лёха, напомни через ${n} минут ${text}`, now, offset)).toEqual(expected);
          expect(parseRemindPhrase(`Лёха, напомни ${text} через ${n} минут`, now, offset)).toEqual(expected);
        },
      ),
    );
  });

  it('a bare HH:MM is the next moment with that local clock, within a day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        nowArb,
        offsetArb,
        (h, m, now, offset) => {
          const clock = `${h}:${String(m).padStart(2, '0')}`;
          const result = parseRemindCommand(`${clock} x`, now, offset, { minDelayMs: 1 });
          const { dueAtMs } = accepted(result);
          expect(dueAtMs).toBeGreaterThan(now);
          expect(dueAtMs).toBeLessThanOrEqual(now + DAY);
          const wall = new Date(dueAtMs + offset * MINUTE);
          expect([wall.getUTCHours(), wall.getUTCMinutes()]).toEqual([h, m]);
        },
      ),
    );
  });

  it('never accepts a moment outside the limits, whatever the input', () => {
    const vocabulary = fc.constantFrom(
      ...['через', 'in', 'в', 'о', 'at', 'on', 'next', 'завтра', 'сегодня', 'tonight', 'пт', 'monday', 'утра'],
      ...['pm', 'ночи', 'часов', 'минут', 'час', 'hours', 'и', 'полтора', 'пять', 'a', '0', '9', '12', '25'],
      ...['24:00', '25:00', '9:30', '10m', '0s', '1,5', '99999999999999999', 'напомни', 'мне', 'x', ',', ''],
    );
    const args = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(vocabulary, { maxLength: 10 }).map((words) => words.join(' ')),
    );
    fc.assert(
      fc.property(args, nowArb, offsetArb, (args, now, offset) => {
        const result = parseRemindCommand(args, now, offset);
        if (result.ok) {
          expect(Number.isInteger(result.dueAtMs)).toBe(true);
          expect(result.dueAtMs - now).toBeGreaterThanOrEqual(DEFAULT_REMIND_LIMITS.minDelayMs);
          expect(result.dueAtMs - now).toBeLessThanOrEqual(DEFAULT_REMIND_LIMITS.maxDelayMs);
          expect(result.text.length).toBeGreaterThan(0);
        }
        const phrase = parseRemindPhrase(`напомни ${args}`, now, offset);
        if (phrase?.ok === true) {
          expect(phrase.dueAtMs - now).toBeGreaterThanOrEqual(DEFAULT_REMIND_LIMITS.minDelayMs);
          expect(phrase.dueAtMs - now).toBeLessThanOrEqual(DEFAULT_REMIND_LIMITS.maxDelayMs);
        }
      }),
    );
  });
});
