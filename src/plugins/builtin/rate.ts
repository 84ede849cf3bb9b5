import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/** What `/rate` takes, with emoji variation selectors and skin tones removed. */
const RATINGS: Readonly<Record<string, 1 | -1>> = { '👍': 1, '+': 1, '👎': -1, '-': -1 };

/**
 * `/rate 👍|👎` (or `+`/`-`) as a reply to one of the bot's replies: a
 * member's explicit verdict on it, recorded as a `rate` signal for A/B
 * readouts and fine-tune export.
 */
export const ratePlugin = definePlugin({
  name: 'rate',
  version: '1.0.0',
  kind: 'command',
  description: { en: 'Rate my replies', ru: 'Оценка моих ответов', uk: 'Оцінка моїх відповідей' },
  setup(p) {
    p.command(
      'rate',
      (ctx) => {
        const say = phrasebookFor(ctx.language);
        const value = RATINGS[ctx.args.replace(/\u{FE0F}|[\u{1F3FB}-\u{1F3FF}]/gu, '')];
        const target = ctx.replyTo;
        if (value === undefined || target === undefined) return say.rateUsage();
        if (!ctx.chat.isBotReply(target.messageId)) return say.rateNotMine();
        ctx.rateReply(target.messageId, value);
        return say.rated(value);
      },
      {
        description: {
          en: 'as a reply to my message: was it good or bad',
          ru: 'ответом на моё сообщение: хорошо ли я ответил',
          uk: 'відповіддю на моє повідомлення: чи добре я відповів',
        },
        args: '👍 | 👎',
      },
    );
  },
});
