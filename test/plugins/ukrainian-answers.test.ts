import { afterAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/chat/index.js';
import {
  BUILTIN_PLUGINS,
  INTEGRATION_PLUGINS,
  type PluginHost,
  privacyPlugin,
  remindersPlugin,
} from '../../src/plugins/index.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const G = -940;
/** Letters Russian does not have. */
const UKRAINIAN = /[іїєґ’]/;

const privacy = privacyPlugin({ sendExport: async () => 'nothing-stored', erase: async () => undefined });
const reminders = remindersPlugin(
  { add: async () => ({ id: 1 }), pending: async () => [], cancel: async () => false, countPending: async () => 0 },
  () => 0,
);
let host: PluginHost;

afterAll(async () => {
  await host.close();
});

async function run(plugin: string, command: string, args: string, language: Language): Promise<string> {
  host ??= (await hostOf([...BUILTIN_PLUGINS, privacy, reminders, ...INTEGRATION_PLUGINS])).host;
  const outcome = await host.runCommand(G, callOf(plugin, command, args, language), {}, chatAccess(G, [5]), live);
  return outcome.texts.join('\n');
}

describe('the plugins answer Ukrainian speakers in Ukrainian', () => {
  it('lists every command in /help with its own Ukrainian description', async () => {
    const uk = (await run('help', 'help', '', 'uk')).split('\n');
    const ru = (await run('help', 'help', '', 'ru')).split('\n');
    expect(uk).toHaveLength(ru.length);
    expect(uk[0]).toMatch(UKRAINIAN);
    uk.forEach((line, i) => expect(line).not.toBe(ru[i]));
    expect(uk.some((line) => line.startsWith('/weather'))).toBe(true);
  });

  it('describes every plugin in /plugins in Ukrainian', async () => {
    const uk = (await run('plugins', 'plugins', '', 'uk')).split('\n');
    const ru = (await run('plugins', 'plugins', '', 'ru')).split('\n');
    expect(uk).toHaveLength(ru.length);
    uk.forEach((line, i) => expect(line).not.toBe(ru[i]));
  });

  it.each([
    ['privacy', 'mydata', ''],
    ['privacy', 'forgetme', ''],
    ['anomaly', 'anomaly', ''],
    ['anomaly', 'anomaly', 'loud'],
    ['mode', 'mode', ''],
    ['reminders', 'reminders', ''],
    ['reminders', 'remind', 'завтра'],
  ])('/%s %s %s', async (plugin, command, args) => {
    const uk = await run(plugin, command, args, 'uk');
    expect(uk).toMatch(UKRAINIAN);
    expect(uk).not.toBe(await run(plugin, command, args, 'ru'));
  });

  it('erases on a Ukrainian confirmation', async () => {
    expect(await run('privacy', 'forgetme', 'підтверджую', 'uk')).toBe(
      'Готово: я все про тебе забув. Для мене ти тепер нова людина.',
    );
  });
});
