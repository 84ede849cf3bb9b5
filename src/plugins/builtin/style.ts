import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/**
 * `/style`: what feedback on the bot's replies taught it in this chat — the
 * style rules (`length:short`, `humour:playful`, …) lowered by complaints,
 * with their weights, and which of them it no longer follows; `/style
 * reset` forgets it all (the chat's admins only; anyone in a private chat).
 */
export const stylePlugin = definePlugin({
  name: 'style',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'What I learned from reactions to my replies',
    ru: 'Что я понял из реакций на мои ответы',
    uk: 'Що я зрозумів із реакцій на мої відповіді',
  },
  setup(p) {
    p.command(
      'style',
      async (ctx) => {
        const say = phrasebookFor(ctx.language);
        const [first, ...rest] = ctx.argv.map((a) => a.toLowerCase());
        if (first === undefined) return say.styleIs(ctx.chat.style());
        if (first !== 'reset' || rest.length > 0) return say.styleUsage();
        if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return say.styleAdminsOnly();
        const hadAny = ctx.chat.style().rules.length > 0;
        ctx.resetStyle();
        return say.styleReset(hadAny);
      },
      {
        description: {
          en: 'what I learned from reactions; /style reset forgets it (admins only)',
          ru: 'что я понял из реакций; /style reset — забыть (только админы)',
          uk: 'що я зрозумів із реакцій; /style reset — забути (лише адміни)',
        },
        args: '[reset]',
      },
    );
  },
});
