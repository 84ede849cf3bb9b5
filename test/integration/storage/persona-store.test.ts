import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonaStore } from '../../../src/ports/index.js';
import { MemoryPersonaStore, migrate, PostgresPersonaStore } from '../../../src/storage/index.js';
import { pgliteSuiteDatabase, postgresSuiteDatabase } from './suite-databases.js';

const T0 = Date.parse('2026-12-01T12:00:00Z');
const vasya = (line: string) => ({ name: 'Вася', character: [line], styleRules: [], aliases: ['Вася'] });

/** The same answers from every store: versions numbered per name (case and ё folded), retiring hides them all. */
function personaStoreSuite(label: string, open: () => Promise<{ store: PersonaStore; dispose(): Promise<void> }>) {
  describe(`dashboard personas on ${label}`, () => {
    let store: PersonaStore;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ store, dispose } = await open());
    });
    afterAll(async () => {
      await dispose();
    });

    it('numbers every save of a name as its next version and lists only the latest', async () => {
      const first = await store.save('Вася', vasya('Рыбак.'), 'alice', T0);
      expect(first).toMatchObject({ name: 'Вася', version: 1, createdBy: 'alice', createdAtMs: T0 });
      expect(first.definition).toMatchObject({ name: 'Вася', version: 1, character: ['Рыбак.'] });
      const second = await store.save('ВАСЯ', { ...vasya('Старый рыбак.'), name: 'ВАСЯ' }, 'bob', T0 + 1000);
      expect(second).toMatchObject({ name: 'ВАСЯ', version: 2, createdBy: 'bob' });
      await store.save('Алёна', { name: 'Алёна', character: ['Садовница.'] }, 'alice', T0 + 2000);
      const current = await store.current();
      expect(current.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['Алёна@1', 'ВАСЯ@2']);
      expect((await store.history('вася')).map((p) => p.version)).toEqual([2, 1]);
      expect(await store.history('алена')).toHaveLength(1);
      expect(await store.history('Петя')).toEqual([]);
    });

    it('retires every version of a name; saving it again goes on after its last version', async () => {
      expect(await store.retire('вася', T0 + 3000)).toBe(true);
      expect(await store.retire('Вася', T0 + 4000)).toBe(false);
      expect((await store.current()).map((p) => p.name)).toEqual(['Алёна']);
      expect(await store.history('Вася')).toHaveLength(2);
      const again = await store.save('Вася', vasya('Снова рыбак.'), 'carol', T0 + 5000);
      expect(again.version).toBe(3);
      expect((await store.current()).map((p) => `${p.name}@${p.version}`).sort()).toEqual(['Алёна@1', 'Вася@3']);
    });
  });
}

personaStoreSuite('a Postgres server', async () => {
  const suite = await postgresSuiteDatabase('personas');
  await migrate(suite.db);
  return { store: new PostgresPersonaStore(suite.db), dispose: () => suite.dispose() };
});
personaStoreSuite('embedded PGlite', async () => {
  const suite = await pgliteSuiteDatabase();
  await migrate(suite.db);
  return { store: new PostgresPersonaStore(suite.db), dispose: () => suite.dispose() };
});
personaStoreSuite('memory', async () => ({ store: new MemoryPersonaStore(), dispose: async () => undefined }));
