import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';
import { ALWAYS_ON_PLUGINS } from '../plugin-host.js';

/** `/plugins` lists the plugins and whether each is on here; `/plugin on|off <name>` switches one (chat admins). */
export const pluginsPlugin = definePlugin({
  name: 'plugins',
  version: '1.0.0',
  kind: 'command',
  description: { en: 'Switch plugins on and off in this chat', ru: 'Включение и выключение плагинов в чате' },
  setup(p) {
    p.command(
      'plugins',
      (ctx) =>
        phrasebookFor(ctx.language).pluginList(
          ctx.plugins().map(({ name, description, enabled }) => ({ name, description, enabled })),
        ),
      { description: { en: 'the plugins and which are on here', ru: 'плагины и какие тут включены' } },
    );
    p.command(
      'plugin',
      async (ctx) => {
        const say = phrasebookFor(ctx.language);
        const [action, name] = ctx.argv.map((a) => a.toLowerCase());
        if ((action !== 'on' && action !== 'off') || name === undefined) return say.pluginUsage();
        if (!ctx.plugins().some((plugin) => plugin.name === name)) return say.pluginUnknown(name.slice(0, 32));
        if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return say.adminsOnly();
        if (action === 'off' && ALWAYS_ON_PLUGINS.has(name)) return say.pluginAlwaysOn(name);
        ctx.choosePlugin(name, action === 'on');
        return say.pluginSwitched(name, action === 'on');
      },
      {
        description: { en: 'switch a plugin on or off (admins)', ru: 'включить или выключить плагин (админы)' },
        args: 'on|off <name>',
      },
    );
  },
});
