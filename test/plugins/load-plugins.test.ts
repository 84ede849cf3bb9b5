import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPluginModules } from '../../src/plugins/index.js';
import { PluginLoadError } from '../../src/runtime/index.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const fixtures = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));

async function loadError(specifier: string): Promise<PluginLoadError> {
  const err = await loadPluginModules([specifier], fixtures).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PluginLoadError);
  return err as PluginLoadError;
}

describe('loading plugin modules from PLUGINS', () => {
  it('refuses a path that does not exist, naming it', async () => {
    const err = await loadError('./missing.mjs');
    expect(err.code).toBe('PLUGIN_LOAD_FAILED');
    expect(err.message).toMatch(/^cannot load plugin module \.\/missing\.mjs: /);
  });

  it('refuses a package that is not installed', async () => {
    expect((await loadError('lekha-plugin-nowhere')).message).toMatch(
      /^cannot load plugin module lekha-plugin-nowhere: /,
    );
  });

  it('refuses a module that exports nothing plugin-like', async () => {
    expect((await loadError('./no-plugin.mjs')).message).toBe(
      'cannot load plugin module ./no-plugin.mjs: it exports no plugin (export default definePlugin({ ... }))',
    );
  });

  it('refuses a module that throws while imported, with its message', async () => {
    expect((await loadError('./throws-on-import.mjs')).message).toContain('cannot start without a config');
  });

  it('loads plugins exported as default and as `plugin`, relative or absolute, and the host runs them', async () => {
    const loaded = await loadPluginModules(['./default-export.mjs', `${fixtures}named-export.mjs`], fixtures);
    expect(loaded.map((l) => l.source)).toEqual(['./default-export.mjs', `${fixtures}named-export.mjs`]);
    const { host } = await hostOf(loaded.map((l) => l.plugin));
    expect(host.get('fixture-named').plugin.version).toBe('2.0.0');
    const answer = await host.runCommand(
      -100,
      callOf('fixture-default', 'fixture_default'),
      undefined,
      chatAccess(),
      live,
    );
    expect(answer.texts).toEqual(['default export']);
  });
});
