import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginConfigStore } from '../../../src/ports/index.js';
import { type Database, migrate, PostgresPluginConfigStore } from '../../../src/storage/index.js';
import type { SuiteDatabase } from './suite-databases.js';

interface OpenedStore {
  store: PluginConfigStore;
  /** A second store on the same data, as the next process would open it; absent for a store kept in memory. */
  reopen?: () => PluginConfigStore;
  dispose(): Promise<void>;
}

/**
 * What any `PluginConfigStore` keeps: the operators' last choice per plugin,
 * replaced whole on each save. A durable store also keeps them for the next process.
 */
export function pluginConfigContract(label: string, open: () => Promise<OpenedStore>, durable: boolean): void {
  describe(`plugin choices in ${label}`, () => {
    let store: PluginConfigStore;
    let reopen: (() => PluginConfigStore) | undefined;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ store, reopen, dispose } = await open());
    });

    afterAll(async () => {
      await dispose();
    });

    it('loads nothing before any choice', async () => {
      expect(await store.load()).toEqual({});
    });

    it('keeps a switch and settings of any JSON shape as saved', async () => {
      const settings = {
        units: 'metric',
        cacheMinutes: 30,
        ratio: 0.25,
        greeting: 'Привет, «мир» 👋',
        cities: ['spb', 'msk'],
        nested: { deep: { on: true, none: null } },
      };
      await store.save('weather', { enabled: false, settings });
      await store.save("o'reilly", { enabled: true });
      expect(await store.load()).toEqual({
        weather: { enabled: false, settings },
        "o'reilly": { enabled: true },
      });
    });

    it('replaces the whole entry on save: a field left out is no choice again', async () => {
      await store.save('weather', { settings: { units: 'imperial' } });
      const loaded = await store.load();
      expect(loaded.weather).toEqual({ settings: { units: 'imperial' } });
      expect(loaded.weather?.enabled).toBeUndefined();
      expect(loaded["o'reilly"]).toEqual({ enabled: true });
    });

    it('hands out copies: changing a loaded entry changes nothing stored', async () => {
      const loaded = await store.load();
      (loaded.weather?.settings as Record<string, unknown>).units = 'kelvin';
      expect((await store.load()).weather?.settings).toEqual({ units: 'imperial' });
    });

    if (durable) {
      it('keeps the choices for the next process', async () => {
        expect(await reopen?.().load()).toEqual({
          weather: { settings: { units: 'imperial' } },
          "o'reilly": { enabled: true },
        });
      });
    }
  });
}

/** The contract on `plugin_config` in `db`'s schema, migrated first. */
export function postgresPluginConfigSuite(label: string, openDb: () => Promise<SuiteDatabase>): void {
  pluginConfigContract(
    label,
    async () => {
      const { db, dispose } = await openDb();
      await migrate(db);
      return {
        store: new PostgresPluginConfigStore(db),
        reopen: () => new PostgresPluginConfigStore(db satisfies Database),
        dispose,
      };
    },
    true,
  );
}
