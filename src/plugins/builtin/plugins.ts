import { phrasebookFor } from '../../chat/index.js';
import { PluginRefusedError, PluginSettingsInvalidError } from '../../runtime/index.js';
import { definePlugin } from '../define-plugin.js';
import { ALWAYS_ON_PLUGINS } from '../plugin-host.js';

/**
 * `/plugins` lists the plugins and whether each is on here; `/plugin on|off
 * <name>` switches one, `/plugin set|reset` changes the settings a plugin
 * lets chats change (chat admins), `/plugin settings <name>` shows them.
 */
const ACTIONS = new Set(['on', 'off', 'settings', 'set', 'reset']);

export const pluginsPlugin = definePlugin({
  name: 'plugins',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'Switch plugins on and off in this chat',
    ru: 'Включение и выключение плагинов в чате',
    uk: 'Увімкнення і вимкнення плагінів у чаті',
  },
  setup(p) {
    p.command(
      'plugins',
      (ctx) =>
        phrasebookFor(ctx.language).pluginList(
          ctx.plugins().map(({ name, description, enabled }) => ({ name, description, enabled })),
        ),
      {
        description: {
          en: 'the plugins and which are on here',
          ru: 'плагины и какие тут включены',
          uk: 'плагіни і які тут увімкнені',
        },
      },
    );
    p.command(
      'plugin',
      async (ctx) => {
        const say = phrasebookFor(ctx.language);
        const [action, name, key] = ctx.argv.map((a, i) => (i < 2 ? a.toLowerCase() : a));
        if (!ACTIONS.has(action ?? '') || name === undefined || (action === 'set' && ctx.argv.length < 4))
          return say.pluginUsage();
        const plugin = ctx.plugins().find((p) => p.name === name);
        if (plugin === undefined) return say.pluginUnknown(name.slice(0, 32));
        if (action === 'settings') return say.pluginSettings(name, plugin.chatSettings);
        if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return say.adminsOnly();
        if (action === 'set' || action === 'reset') {
          // The value is the rest of the message as typed (a city of two words).
          const value = action === 'set' ? ctx.argv.slice(3).join(' ') : null;
          const keys = key === undefined ? Object.keys(plugin.chatSettings) : [key];
          try {
            for (const k of keys) ctx.setChatSetting(name, k, value);
          } catch (err) {
            if (err instanceof PluginRefusedError)
              return say.pluginSettingFixed(name, (key ?? '').slice(0, 32), Object.keys(plugin.chatSettings));
            if (err instanceof PluginSettingsInvalidError)
              return say.pluginSettingInvalid(name, key!, err.issues.map((i) => i.replace(/^[^:]*: /, '')).join('; '));
            throw err;
          }
          return action === 'set' ? say.pluginSettingSet(name, key!, value) : say.pluginSettingReset(name, key ?? null);
        }
        if (action === 'off' && ALWAYS_ON_PLUGINS.has(name)) return say.pluginAlwaysOn(name);
        ctx.choosePlugin(name, action === 'on');
        return say.pluginSwitched(name, action === 'on');
      },
      {
        description: {
          en: 'switch a plugin on or off, or change its settings here (admins)',
          ru: 'включить или выключить плагин, поменять его настройки в чате (админы)',
          uk: 'увімкнути чи вимкнути плагін, змінити його налаштування в чаті (адміни)',
        },
        args: 'on|off|settings|set|reset <name> …',
      },
    );
  },
});
