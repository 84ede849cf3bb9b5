import { z } from 'zod';
import {
  type ChatClock,
  DEFAULT_REMIND_LIMITS,
  parseRemindCommand,
  parseRemindPhrase,
  phrasebookFor,
  type RemindRequest,
} from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';
import type { CommandContext } from '../plugin-api.js';

/** A pending reminder as the plugin lists it. */
export interface PendingReminder {
  id: number;
  dueAtMs: number;
  text: string;
}

/**
 * Where reminders are kept and from where they are delivered: the durable
 * scheduler (the wiring implements this on it). Delivery sends `text` to the
 * chat once, at `dueAtMs`, across restarts and processes.
 */
export interface ReminderBook {
  add(reminder: { chatId: number; userId: number; dueAtMs: number; text: string }): Promise<{ id: number }>;
  /** A member's pending reminders in a chat, soonest first. */
  pending(chatId: number, userId: number): Promise<PendingReminder[]>;
  /** Cancels a member's own pending reminder; false when there is none with that id. */
  cancel(id: number, userId: number): Promise<boolean>;
  countPending(query: { chatId: number; userId?: number }): Promise<number>;
}

const settings = z.object({
  /** Pending reminders one member may have in a chat. */
  maxPerMember: z.number().int().min(1).max(1000).default(50),
  /** Pending reminders of a whole chat. */
  maxPerChat: z.number().int().min(1).max(100_000).default(500),
});

type Settings = z.output<typeof settings>;

/**
 * `/remind <when> <text>`, "Лёха, напомни через 10 минут …", `/reminders`
 * and `/reminders cancel <id>`: reminders delivered by the durable
 * scheduler, in the chat's local time.
 */
export function remindersPlugin(book: ReminderBook, now: () => number) {
  const create = async (ctx: CommandContext<Settings>, request: RemindRequest): Promise<string> => {
    const say = phrasebookFor(ctx.language);
    const clock = chatClock(ctx, now);
    if (!request.ok) return say.reminderRejected(request, DEFAULT_REMIND_LIMITS);
    const [mine, chat] = await Promise.all([
      book.countPending({ chatId: ctx.chatId, userId: ctx.from.id }),
      book.countPending({ chatId: ctx.chatId }),
    ]);
    if (mine >= ctx.settings.maxPerMember) return say.reminderLimit('member', ctx.settings.maxPerMember);
    if (chat >= ctx.settings.maxPerChat) return say.reminderLimit('chat', ctx.settings.maxPerChat);
    const who = ctx.from.username === undefined ? ctx.from.name : `@${ctx.from.username}`;
    await book.add({
      chatId: ctx.chatId,
      userId: ctx.from.id,
      dueAtMs: request.dueAtMs,
      text: say.reminderDue(who, request.text),
    });
    return say.reminderSet(request.dueAtMs, clock);
  };

  return definePlugin({
    name: 'reminders',
    version: '1.0.0',
    kind: 'command',
    description: {
      en: 'Reminders at a time or after a while',
      ru: 'Напоминания к сроку',
      uk: 'Нагадування до терміну',
    },
    settings,
    setup(p) {
      p.command(
        'remind',
        (ctx) => {
          const clock = chatClock(ctx, now);
          const request =
            ctx.via === 'phrase'
              ? parseRemindPhrase(ctx.args, clock.nowMs, clock.utcOffsetMinutes)
              : parseRemindCommand(ctx.args, clock.nowMs, clock.utcOffsetMinutes);
          return create(ctx, request ?? { ok: false, reason: 'no-time' });
        },
        {
          description: {
            en: 'remind you (10m, 2h, tomorrow 9:00, …)',
            ru: 'напомнить (10m, 2h, завтра в 9, …)',
            uk: 'нагадати (10m, 2h, завтра о 9, …)',
          },
          args: { en: '<when> <what>', ru: '<когда> <что>', uk: '<коли> <що>' },
          phrase: (text) => parseRemindPhrase(text, 0, 0) !== null,
        },
      );
      p.command(
        'reminders',
        async (ctx) => {
          const say = phrasebookFor(ctx.language);
          const [action, rawId] = ctx.argv;
          if (action === undefined) {
            const pending = await book.pending(ctx.chatId, ctx.from.id);
            return say.reminderList(
              pending.map((r) => ({ id: String(r.id), dueAtMs: r.dueAtMs, text: r.text })),
              chatClock(ctx, now),
            );
          }
          const id = Number(rawId?.replace(/^#/, ''));
          if (
            !['cancel', 'отмена', 'удалить', 'скасувати'].includes(action.toLowerCase()) ||
            !Number.isSafeInteger(id) ||
            id <= 0
          )
            return say.reminderCancelUsage();
          return (await book.cancel(id, ctx.from.id))
            ? say.reminderCancelled(String(id))
            : say.reminderNotFound(String(id));
        },
        {
          description: {
            en: 'your reminders; cancel one with /reminders cancel <id>',
            ru: 'твои напоминания; отменить: /reminders cancel <id>',
            uk: 'твої нагадування; скасувати: /reminders cancel <id>',
          },
          args: '[cancel <id>]',
        },
      );
    },
  });
}

function chatClock(ctx: CommandContext<unknown>, now: () => number): ChatClock {
  return { nowMs: now(), utcOffsetMinutes: ctx.chat.settings().utcOffsetMinutes };
}
