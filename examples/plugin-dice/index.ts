/*
 * A complete third-party plugin: `/roll` (a command with arguments, also a
 * tool the model may call), a listener tallying 🎲 reactions, an hourly job
 * reporting the rolls in each chat, settings with defaults and environment
 * variables, and an admin route with the figures. docs/plugins.md walks
 * through it.
 *
 * A published plugin imports `definePlugin` from the Lekha package; this one
 * lives in the repository and imports the same public API by path.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { definePlugin } from '../../src/plugins/index.js';

const settings = z.object({
  /** Sides of a die when `/roll` does not say (`/roll 3` rolls three of them). */
  sides: z.number().int().min(2).max(1000).default(6),
  /** The most dice one roll may throw. */
  maxDice: z.number().int().min(1).max(100).default(10),
  /** The reaction the listener counts. */
  emoji: z.string().min(1).default('🎲'),
  /** How often the job reports the rolls of each chat. */
  reportEvery: z.string().default('1h'),
});

/** `3d20` → 3 dice of 20 sides; `3` → 3 dice of `sides`; '' → 1 die. Null when it cannot be read. */
export function parseRoll(text: string, sides: number): { count: number; sides: number } | null {
  if (text === '') return { count: 1, sides };
  const match = /^(\d{1,3})?(?:d(\d{1,4}))?$/i.exec(text);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return null;
  return { count: Number(match[1] ?? 1), sides: Number(match[2] ?? sides) };
}

export default definePlugin({
  name: 'dice',
  version: '1.0.0',
  kind: 'command',
  description: { en: 'Dice rolls', ru: 'Бросок кубиков' },
  settings,
  // Besides PLUGIN_DICE_SIDES, the plugin reads DICE_SIDES.
  env: { sides: 'DICE_SIDES' },
  setup(p) {
    // The plugin's own state, for the process's life: rolls and reactions by chat.
    const rolls = new Map<number, number>();
    const reactions = new Map<number, number>();
    const reported = new Map<number, number>();

    p.command(
      'roll',
      (ctx) => {
        const roll = parseRoll(ctx.args, ctx.settings.sides);
        const ru = ctx.language !== 'en';
        if (roll === null) return ru ? 'Пиши так: /roll, /roll 3 или /roll 2d20' : 'Try /roll, /roll 3 or /roll 2d20';
        if (roll.count < 1 || roll.count > ctx.settings.maxDice || roll.sides < 2 || roll.sides > 1000)
          return ru
            ? `Можно от 1 до ${ctx.settings.maxDice} кубиков, от 2 до 1000 граней`
            : `1 to ${ctx.settings.maxDice} dice of 2 to 1000 sides`;
        const faces = Array.from({ length: roll.count }, () => randomInt(1, roll.sides + 1));
        const total = faces.reduce((a, b) => a + b, 0);
        rolls.set(ctx.chatId, (rolls.get(ctx.chatId) ?? 0) + 1);
        ctx.log.info({ count: roll.count, sides: roll.sides }, 'dice rolled');
        const shown = faces.length === 1 ? String(total) : `${faces.join(' + ')} = ${total}`;
        return `${ctx.settings.emoji} ${shown}`;
      },
      {
        description: { en: 'roll dice', ru: 'бросить кубики' },
        args: { en: '[count][d<sides>]', ru: '[сколько][d<граней>]' },
        tool: {
          description: 'Roll dice for the chat: how many, and how many sides each.',
          parameters: z.object({
            count: z.number().int().min(1).max(100).default(1),
            sides: z.number().int().min(2).max(1000).optional(),
          }),
          args: ({ count, sides }) => (sides === undefined ? String(count) : `${count}d${sides}`),
        },
      },
    );

    p.on('reaction', (ctx) => {
      const wanted = ctx.settings.emoji;
      const delta = ctx.event.added.filter((e) => e === wanted).length;
      if (delta === 0) return;
      const count = (reactions.get(ctx.chatId) ?? 0) + delta;
      reactions.set(ctx.chatId, count);
      // Every tenth one earns a word from the bot.
      if (count % 10 === 0) return ctx.language === 'en' ? `${count} dice reactions!` : `${count} кубиков в реакциях!`;
    });

    p.every(
      p.settings.reportEvery,
      async (ctx) => {
        for (const chatId of await ctx.chats()) {
          const total = rolls.get(chatId) ?? 0;
          const since = total - (reported.get(chatId) ?? 0);
          if (since === 0) continue;
          if (await ctx.post(chatId, `${ctx.settings.emoji} бросков за это время: ${since}`))
            reported.set(chatId, total);
        }
      },
      { name: 'report', missedRuns: 'skip' },
    );

    p.route({
      method: 'GET',
      url: '/stats',
      role: 'viewer',
      handler: async (request) => {
        const chatId = request.query['chat'] === undefined ? null : Number(request.query['chat']);
        const chats = [...new Set([...rolls.keys(), ...reactions.keys()])].filter(
          (c) => chatId === null || c === chatId,
        );
        return chats.map((c) => ({ chatId: c, rolls: rolls.get(c) ?? 0, reactions: reactions.get(c) ?? 0 }));
      },
    });
  },
});
