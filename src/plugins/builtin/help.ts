import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/** `/start` and `/help`: who the bot is (its persona in the chat) and the commands of the plugins on in the chat. */
export const helpPlugin = definePlugin({
  name: 'help',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'Greeting and the list of commands',
    ru: 'Приветствие и список команд',
    uk: 'Привітання і список команд',
  },
  setup(p) {
    p.command('start', (ctx) => phrasebookFor(ctx.language).start(ctx.chat.persona()), {
      description: { en: 'say hello', ru: 'поздороваться', uk: 'привітатися' },
    });
    p.command(
      'help',
      (ctx) =>
        phrasebookFor(ctx.language).help(
          ctx
            .plugins()
            .filter((plugin) => plugin.enabled)
            .flatMap((plugin) => plugin.commands)
            .filter((command) => command.name !== 'start'),
          ctx.chat.persona(),
        ),
      { description: { en: 'what I can do', ru: 'что я умею', uk: 'що я вмію' } },
    );
  },
});
