import { z } from 'zod';
import { isSummaryRequest, phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/** The longest window `/summary` looks back over. */
const MAX_HOURS = 72;

/** `/summary [hours]` (or "Лёха, что тут было?"): what happened while the asker was away. */
export const summaryPlugin = definePlugin({
  name: 'summary',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'What happened while you were away',
    ru: 'Что было, пока тебя не было',
    uk: 'Що було, поки тебе не було',
  },
  setup(p) {
    p.command(
      'summary',
      (ctx) => {
        // Asked in words, the message is the whole question: no hours in it.
        const hours = ctx.via === 'phrase' ? NaN : Number.parseInt(ctx.argv[0] ?? '', 10);
        return phrasebookFor(ctx.language).summary(
          ctx.chat.summary({
            askerId: ctx.from.id,
            previousSeenMs: ctx.previousSeenMs,
            hours: Number.isFinite(hours) && hours > 0 ? Math.min(hours, MAX_HOURS) : null,
            beforeMessageId: ctx.messageId,
          }),
        );
      },
      {
        description: {
          en: 'what happened while you were away (or just "Lekha, what did I miss?")',
          ru: 'что тут было, пока тебя не было (или просто «Лёха, что тут было?»)',
          uk: 'що тут було, поки тебе не було (або просто «Льохо, що тут було?»)',
        },
        args: { en: '[hours]', ru: '[часы]', uk: '[години]' },
        phrase: isSummaryRequest,
        tool: {
          description: 'Summarise what the chat talked about recently: who wrote, topics, highlights.',
          parameters: z.object({ hours: z.number().int().min(1).max(MAX_HOURS).optional() }),
          args: ({ hours }) => (hours === undefined ? '' : String(hours)),
        },
      },
    );
  },
});
