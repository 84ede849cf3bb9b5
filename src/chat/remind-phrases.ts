import { type LocalMoment, localMoment, type ReminderListing, shortText, type Span, span } from './remind-format.js';
import type { RemindLimits, RemindRejection } from './remind-request.js';

/** The chat's clock as phrases need it: now, and how far ahead of UTC the chat lives. */
export interface ChatClock {
  nowMs: number;
  utcOffsetMinutes: number;
}

/** Which limit on pending reminders was reached. */
export type ReminderLimitScope = 'member' | 'chat';

/** What Lekha says about reminders; part of the {@link Phrasebook}. */
export interface ReminderPhrases {
  /** "Ок, напомню завтра в 09:00 (через 20 ч)." */
  reminderSet(dueAtMs: number, clock: ChatClock): string;
  /** `/reminders`: the member's pending reminders, soonest first as given. */
  reminderList(reminders: readonly ReminderListing[], clock: ChatClock): string;
  reminderCancelled(id: string): string;
  /** Also the answer for someone else's reminder: whose ids exist is not the asker's business. */
  reminderNotFound(id: string): string;
  reminderCancelUsage(): string;
  reminderRejected(rejection: RemindRejection, limits: RemindLimits): string;
  reminderLimit(scope: ReminderLimitScope, limit: number): string;
  /** The reminder itself; `who` is how the member is addressed (an @username or a mention). */
  reminderDue(who: string, text: string): string;
}

const LIST_TEXT_CHARS = 60;
const LIST_MAX_LINES = 20;

const ruMonths = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
const ruWeekdays = ['в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу', 'в воскресенье'];

function whenRu(m: LocalMoment): string {
  if (m.daysAhead === 0) return `сегодня в ${m.clock}`;
  if (m.daysAhead === 1) return `завтра в ${m.clock}`;
  if (m.daysAhead === 2) return `послезавтра в ${m.clock}`;
  if (m.daysAhead > 0 && m.daysAhead < 7) return `${ruWeekdays[m.weekday]} в ${m.clock}`;
  return `${m.dayOfMonth} ${ruMonths[m.month]}${m.sameYear ? '' : ` ${m.year}`} в ${m.clock}`;
}

function spanRu(s: Span): string {
  switch (s.unit) {
    case 's':
      return `${s.value} с`;
    case 'min':
      return `${s.value} мин`;
    case 'h':
      return s.minutes > 0 ? `${s.value} ч ${s.minutes} мин` : `${s.value} ч`;
    case 'd':
      return `${s.value} дн.`;
  }
}

export const ruReminders: ReminderPhrases = {
  reminderSet: (dueAtMs, c) =>
    `Ок, напомню ${whenRu(localMoment(dueAtMs, c.nowMs, c.utcOffsetMinutes))} (через ${spanRu(span(dueAtMs - c.nowMs))}).`,
  reminderList: (list, c) =>
    list.length === 0
      ? 'Напоминалок нет. Поставить: /remind 10m выключить плиту'
      : [
          'Твои напоминалки:',
          ...list
            .slice(0, LIST_MAX_LINES)
            .map(
              (r) =>
                `#${r.id} — ${whenRu(localMoment(r.dueAtMs, c.nowMs, c.utcOffsetMinutes))} — ${shortText(r.text, LIST_TEXT_CHARS)}`,
            ),
          list.length > LIST_MAX_LINES ? `…и ещё ${list.length - LIST_MAX_LINES}` : '',
          'Отменить: /reminders cancel <номер>',
        ]
          .filter((l) => l.length > 0)
          .join('\n'),
  reminderCancelled: (id) => `Ок, напоминалку #${id} отменил.`,
  reminderNotFound: (id) => `Напоминалки #${id} у тебя нет. Список: /reminders`,
  reminderCancelUsage: () => 'Что отменить? Пиши так: /reminders cancel <номер>',
  reminderRejected: (r, limits) => {
    const what = r.detail === undefined ? '' : `: «${r.detail}»`;
    switch (r.reason) {
      case 'no-time':
        return `Не понял, когда напомнить${what}. Пиши так: /remind 10m выключить плиту или «напомни завтра в 9 позвонить маме».`;
      case 'bad-time':
        return `Не понял, когда напомнить${what} — такого времени не бывает. Например: в 9:30, в 7 утра, завтра в 18:00.`;
      case 'in-past':
        return `Не понял, когда напомнить${what} — это уже прошло. Может, завтра?`;
      case 'too-soon':
        return `Это слишком скоро — напоминаю не раньше чем через ${spanRu(span(limits.minDelayMs))}. Например: /remind 1m …`;
      case 'too-far':
        return `Так далеко не загадываю: не позже чем через ${spanRu(span(limits.maxDelayMs))}.`;
      case 'no-text':
        return 'А о чём напомнить? Пиши так: /remind 10m выключить плиту';
      case 'text-too-long':
        return `Длинновато — давай до ${limits.maxTextChars} символов.`;
    }
  },
  reminderLimit: (scope, limit) =>
    scope === 'member'
      ? `У тебя уже ${limit} напоминалок, хватит пока. Лишние можно отменить: /reminders`
      : `В этом чате уже ${limit} напоминалок — больше не влезет. Свои можно отменить: /reminders`,
  reminderDue: (who, text) => `⏰ ${who}, напоминаю: ${text}`,
};

const ukMonths = [
  'січня',
  'лютого',
  'березня',
  'квітня',
  'травня',
  'червня',
  'липня',
  'серпня',
  'вересня',
  'жовтня',
  'листопада',
  'грудня',
];
const ukWeekdays = ['у понеділок', 'у вівторок', 'у середу', 'у четвер', "у п'ятницю", 'у суботу', 'у неділю'];

function whenUk(m: LocalMoment): string {
  if (m.daysAhead === 0) return `сьогодні о ${m.clock}`;
  if (m.daysAhead === 1) return `завтра о ${m.clock}`;
  if (m.daysAhead === 2) return `післязавтра о ${m.clock}`;
  if (m.daysAhead > 0 && m.daysAhead < 7) return `${ukWeekdays[m.weekday]} о ${m.clock}`;
  return `${m.dayOfMonth} ${ukMonths[m.month]}${m.sameYear ? '' : ` ${m.year}`} о ${m.clock}`;
}

function spanUk(s: Span): string {
  switch (s.unit) {
    case 's':
      return `${s.value} с`;
    case 'min':
      return `${s.value} хв`;
    case 'h':
      return s.minutes > 0 ? `${s.value} год ${s.minutes} хв` : `${s.value} год`;
    case 'd':
      return `${s.value} дн.`;
  }
}

export const ukReminders: ReminderPhrases = {
  reminderSet: (dueAtMs, c) =>
    `Ок, нагадаю ${whenUk(localMoment(dueAtMs, c.nowMs, c.utcOffsetMinutes))} (через ${spanUk(span(dueAtMs - c.nowMs))}).`,
  reminderList: (list, c) =>
    list.length === 0
      ? 'Нагадувань немає. Поставити: /remind 10m вимкнути плиту'
      : [
          'Твої нагадування:',
          ...list
            .slice(0, LIST_MAX_LINES)
            .map(
              (r) =>
                `#${r.id} — ${whenUk(localMoment(r.dueAtMs, c.nowMs, c.utcOffsetMinutes))} — ${shortText(r.text, LIST_TEXT_CHARS)}`,
            ),
          list.length > LIST_MAX_LINES ? `…і ще ${list.length - LIST_MAX_LINES}` : '',
          'Скасувати: /reminders cancel <номер>',
        ]
          .filter((l) => l.length > 0)
          .join('\n'),
  reminderCancelled: (id) => `Ок, нагадування #${id} скасував.`,
  reminderNotFound: (id) => `Нагадування #${id} у тебе немає. Список: /reminders`,
  reminderCancelUsage: () => 'Що скасувати? Пиши так: /reminders cancel <номер>',
  reminderRejected: (r, limits) => {
    const what = r.detail === undefined ? '' : `: «${r.detail}»`;
    switch (r.reason) {
      case 'no-time':
        return `Не зрозумів, коли нагадати${what}. Пиши так: /remind 10m вимкнути плиту або «нагадай завтра о 9 подзвонити мамі».`;
      case 'bad-time':
        return `Не зрозумів, коли нагадати${what} — такого часу не буває. Наприклад: о 9:30, о 7 ранку, завтра о 18:00.`;
      case 'in-past':
        return `Не зрозумів, коли нагадати${what} — це вже минуло. Може, завтра?`;
      case 'too-soon':
        return `Це зарано — нагадую не раніше ніж через ${spanUk(span(limits.minDelayMs))}. Наприклад: /remind 1m …`;
      case 'too-far':
        return `Так далеко не загадую: не пізніше ніж через ${spanUk(span(limits.maxDelayMs))}.`;
      case 'no-text':
        return 'А про що нагадати? Пиши так: /remind 10m вимкнути плиту';
      case 'text-too-long':
        return `Задовго — давай до ${limits.maxTextChars} символів.`;
    }
  },
  reminderLimit: (scope, limit) =>
    scope === 'member'
      ? `У тебе вже ${limit} нагадувань, поки досить. Зайві можна скасувати: /reminders`
      : `У цьому чаті вже ${limit} нагадувань — більше не влізе. Свої можна скасувати: /reminders`,
  reminderDue: (who, text) => `⏰ ${who}, нагадую: ${text}`,
};

const enMonths = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const enWeekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function whenEn(m: LocalMoment): string {
  if (m.daysAhead === 0) return `today at ${m.clock}`;
  if (m.daysAhead === 1) return `tomorrow at ${m.clock}`;
  if (m.daysAhead > 0 && m.daysAhead < 7) return `on ${enWeekdays[m.weekday]} at ${m.clock}`;
  return `on ${m.dayOfMonth} ${enMonths[m.month]}${m.sameYear ? '' : ` ${m.year}`} at ${m.clock}`;
}

function spanEn(s: Span): string {
  switch (s.unit) {
    case 's':
      return `${s.value} s`;
    case 'min':
      return `${s.value} min`;
    case 'h':
      return s.minutes > 0 ? `${s.value} h ${s.minutes} min` : `${s.value} h`;
    case 'd':
      return `${s.value} ${s.value === 1 ? 'day' : 'days'}`;
  }
}

export const enReminders: ReminderPhrases = {
  reminderSet: (dueAtMs, c) =>
    `Got it, I'll remind you ${whenEn(localMoment(dueAtMs, c.nowMs, c.utcOffsetMinutes))} (in ${spanEn(span(dueAtMs - c.nowMs))}).`,
  reminderList: (list, c) =>
    list.length === 0
      ? 'No reminders. Set one: /remind 10m turn off the stove'
      : [
          'Your reminders:',
          ...list
            .slice(0, LIST_MAX_LINES)
            .map(
              (r) =>
                `#${r.id} — ${whenEn(localMoment(r.dueAtMs, c.nowMs, c.utcOffsetMinutes))} — ${shortText(r.text, LIST_TEXT_CHARS)}`,
            ),
          list.length > LIST_MAX_LINES ? `…and ${list.length - LIST_MAX_LINES} more` : '',
          'Cancel one: /reminders cancel <number>',
        ]
          .filter((l) => l.length > 0)
          .join('\n'),
  reminderCancelled: (id) => `Done, reminder #${id} is cancelled.`,
  reminderNotFound: (id) => `You have no reminder #${id}. Your list: /reminders`,
  reminderCancelUsage: () => 'Cancel which one? Like this: /reminders cancel <number>',
  reminderRejected: (r, limits) => {
    const what = r.detail === undefined ? '' : `: "${r.detail}"`;
    switch (r.reason) {
      case 'no-time':
        return `Didn't get when to remind you${what}. Try: /remind 10m turn off the stove, or "remind me tomorrow at 9 to call mom".`;
      case 'bad-time':
        return `Didn't get when to remind you${what} — there's no such time. For example: at 9:30, at 7am, tomorrow at 18:00.`;
      case 'in-past':
        return `Didn't get when to remind you${what} — that's already passed. Tomorrow, maybe?`;
      case 'too-soon':
        return `That's too soon — I remind no sooner than in ${spanEn(span(limits.minDelayMs))}. For example: /remind 1m …`;
      case 'too-far':
        return `That's too far ahead: ${spanEn(span(limits.maxDelayMs))} at most.`;
      case 'no-text':
        return 'Remind you of what? Try: /remind 10m turn off the stove';
      case 'text-too-long':
        return `That's a bit long — keep it under ${limits.maxTextChars} characters.`;
    }
  },
  reminderLimit: (scope, limit) =>
    scope === 'member'
      ? `You already have ${limit} reminders, that's plenty. Cancel some: /reminders`
      : `This chat already has ${limit} reminders — no room for more. Cancel yours: /reminders`,
  reminderDue: (who, text) => `⏰ ${who}, reminder: ${text}`,
};
