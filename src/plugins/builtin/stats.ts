import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/** `/stats`: the chat's figures; `/stats me`, `/stats @name` or as a reply: a member's. */
export const statsPlugin = definePlugin({
  name: 'stats',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'Chat and member statistics',
    ru: 'Статистика чата и участников',
    uk: 'Статистика чату й учасників',
  },
  setup(p) {
    p.command(
      'stats',
      (ctx) => {
        const say = phrasebookFor(ctx.language);
        const arg = ctx.argv[0]?.toLowerCase();
        if (arg === undefined && ctx.replyTo?.fromId === undefined) return say.chatStats(ctx.chat.report());
        let userId: number | undefined = ctx.from.id;
        let who: string | null = null;
        if (arg?.startsWith('@')) {
          who = arg;
          userId = ctx.chat.memberByUsername(arg.slice(1))?.id;
        } else if (arg !== 'me' && arg !== 'я') {
          userId = ctx.replyTo?.fromId ?? ctx.from.id;
        }
        const stats = userId === undefined ? null : ctx.chat.userStats(userId);
        return stats === null ? say.unknownMember(who) : say.userStats(stats);
      },
      {
        description: {
          en: 'chat stats (/stats me — yours; as a reply — that person’s)',
          ru: 'статистика чата (/stats me — твоя, ответом на сообщение — того человека)',
          uk: 'статистика чату (/stats me — твоя, відповіддю на повідомлення — тієї людини)',
        },
        args: { en: '[me|@name]', ru: '[me|@ник]', uk: '[me|@нік]' },
      },
    );
  },
});
