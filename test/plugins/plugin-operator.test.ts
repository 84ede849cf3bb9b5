import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ALWAYS_ON_PLUGINS, BUILTIN_PLUGINS, definePlugin, privacyPlugin } from '../../src/plugins/index.js';
import type { AuditLog, PluginConfigEntry, PluginConfigStore } from '../../src/ports/index.js';
import { PluginNotFoundError, PluginRefusedError } from '../../src/runtime/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const counter = definePlugin({
  name: 'counter',
  version: '1.0.0',
  kind: 'command',
  description: 'Counts',
  settings: z.object({ step: z.number().int().min(1).default(1) }),
  unavailable: (s) => (s.step > 100 ? 'step is too large' : null),
  setup(p) {
    p.command('count', (ctx) => String(ctx.settings.step), { description: 'count' });
  },
});

/** A store that keeps what it is given, and fails its saves while `failing`. */
class FlakyStore implements PluginConfigStore {
  saved: Record<string, PluginConfigEntry> = {};
  failing = false;
  constructor(private readonly initial: Record<string, PluginConfigEntry> = {}) {}
  async load() {
    return this.initial;
  }
  async save(name: string, entry: PluginConfigEntry) {
    if (this.failing) throw new Error('storage is down');
    this.saved[name] = entry;
  }
}

const keyed = definePlugin({
  name: 'keyed',
  version: '1.0.0',
  kind: 'integration',
  description: 'Calls an API with a key',
  settings: z.object({ apiKey: z.string().optional(), units: z.string().default('metric') }),
  setup() {},
});

describe('operators’ plugin choices', () => {
  it('masks credential settings in what operators see, and keeps a key sent back masked', async () => {
    const store = new FlakyStore();
    const { host } = await hostOf([keyed], { store });
    expect(host.info('keyed').settings).toEqual({ units: 'metric' });
    await host.setSettings('keyed', { apiKey: 'sk-live-123', units: 'imperial' });
    expect(host.info('keyed').settings).toEqual({ apiKey: '********', units: 'imperial' });
    expect(JSON.stringify(host.info('keyed'))).not.toContain('sk-live-123');
    // The dashboard's form sends back what it showed: the key stays as it was.
    await host.setSettings('keyed', { apiKey: '********', units: 'metric' });
    expect(store.saved['keyed']?.settings).toEqual({ apiKey: 'sk-live-123', units: 'metric' });
    // A mask for a key that was never set is not stored as the key.
    const fresh = await hostOf([keyed], { store: new FlakyStore() });
    await fresh.host.setSettings('keyed', { apiKey: '********' });
    expect(fresh.host.get('keyed').settings.current['apiKey']).toBeUndefined();
  });

  it('keeps the settings as they were when the store cannot save the change', async () => {
    const store = new FlakyStore();
    const { host } = await hostOf([counter], { store });
    await host.setSettings('counter', { step: 2 });
    store.failing = true;
    await expect(host.setSettings('counter', { step: 3 })).rejects.toThrow('storage is down');
    expect(host.get('counter').settings.current).toEqual({ step: 2 });
    expect(store.saved['counter']).toEqual({ enabled: true, settings: { step: 2 } });
  });

  it('takes stored choices at start-up, and skips stored settings the schema no longer takes, with a warning', async () => {
    const logger = new CapturingLogger();
    const store = new FlakyStore({ counter: { enabled: false, settings: { step: 'many' } } });
    const { host } = await hostOf([counter], { store, logger });
    expect(host.isOn('counter', undefined)).toBe(false);
    expect(host.get('counter').settings.current).toEqual({ step: 1 });
    expect(logger.lines.map((l) => l.msg)).toEqual(['stored plugin settings no longer fit; using the others']);
  });

  it('switches a plugin off for the whole bot, never help, plugins or privacy, and names an unknown one', async () => {
    const store = new FlakyStore();
    const privacy = privacyPlugin({ sendExport: async () => 'nothing-stored', erase: async () => undefined });
    const { host } = await hostOf([...BUILTIN_PLUGINS, privacy, counter], { store });
    await host.setEnabled('counter', false);
    expect(host.route('count', { counter: { enabled: true } })).toEqual({
      plugin: 'counter',
      command: 'count',
      enabled: false,
    });
    for (const name of ALWAYS_ON_PLUGINS)
      await expect(host.setEnabled(name, false)).rejects.toThrow(PluginRefusedError);
    await expect(host.setEnabled('nosuch', true)).rejects.toThrow(PluginNotFoundError);
    expect(store.saved).toEqual({ counter: { enabled: false, settings: {} } });
  });

  it('takes a plugin out of every chat while its settings make it unavailable', async () => {
    const { host } = await hostOf([counter]);
    await host.setSettings('counter', { step: 500 });
    expect(host.get('counter').unavailable).toBe('step is too large');
    const effects = await host.runCommand(-100, callOf('counter', 'count'), undefined, chatAccess(), live);
    expect(effects.texts).toEqual(['/count у этого бота пока не настроена: её подключает владелец бота.']);
    await host.setSettings('counter', { step: 5 });
    expect((await host.runCommand(-100, callOf('counter', 'count'), undefined, chatAccess(), live)).texts).toEqual([
      '5',
    ]);
  });

  it('applies a switch made in Telegram even when the audit log fails, with a warning', async () => {
    const logger = new CapturingLogger();
    const audit = { append: () => Promise.reject(new Error('audit is down')) } as unknown as AuditLog;
    const { host } = await hostOf([...BUILTIN_PLUGINS, counter], { audit, logger });
    const effects = await host.runCommand(
      -100,
      callOf('plugins', 'plugin', 'off counter'),
      undefined,
      chatAccess(-100, [5]),
      live,
    );
    expect(effects).toEqual({ texts: ['Плагин counter выключен.'], choices: { counter: { enabled: false } } });
    expect(logger.lines.map((l) => [l.msg, (l.obj as { plugin?: string }).plugin])).toEqual([
      ['could not audit a plugin switch made in Telegram', 'counter'],
    ]);
  });
});
