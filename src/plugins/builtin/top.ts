import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/** `/top`: the most active members and the chat's favourite words. */
export const topPlugin = definePlugin({
  name: 'top',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'Most active members and favourite words',
    ru: 'Самые активные и любимые слова чата',
    uk: 'Найактивніші й улюблені слова чату',
  },
  setup(p) {
    p.command('top', (ctx) => phrasebookFor(ctx.language).top(ctx.chat.report()), {
      description: {
        en: 'most active members and the chat’s favourite words',
        ru: 'самые активные и любимые слова чата',
        uk: 'найактивніші й улюблені слова чату',
      },
    });
  },
});
