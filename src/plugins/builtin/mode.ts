import type { ChatMode } from '../../chat/index.js';
import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

const MODES: readonly ChatMode[] = ['silent', 'normal', 'active'];

/** `/mode`: how often Лёха joins in unasked; anyone may ask, only the chat's admins change it. */
export const modePlugin = definePlugin({
  name: 'mode',
  version: '1.0.0',
  kind: 'command',
  description: { en: 'How often I join in unasked', ru: 'Как часто я встреваю сам', uk: 'Як часто я сам втручаюся' },
  setup(p) {
    p.command(
      'mode',
      async (ctx) => {
        const say = phrasebookFor(ctx.language);
        if (ctx.chatKind === 'private') return say.modePrivate();
        const arg = ctx.argv[0]?.toLowerCase();
        if (arg === undefined) return say.modeIs(ctx.chat.settings().mode);
        const mode = MODES.find((m) => m === arg);
        if (mode === undefined) return say.modeInvalid(arg.slice(0, 32));
        if (!(await ctx.isAdmin())) return say.modeAdminsOnly();
        ctx.changeSettings({ mode });
        return say.modeSet(mode);
      },
      {
        description: {
          en: 'how often I join in unasked (admins only)',
          ru: 'как часто я встреваю сам (только админы)',
          uk: 'як часто я сам втручаюся (лише адміни)',
        },
        args: 'silent | normal | active',
      },
    );
  },
});
