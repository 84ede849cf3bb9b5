import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERSONA,
  PersonaBook,
  PersonaInvalidError,
  PersonaReadOnlyError,
  stemWord,
} from '../src/chat/index.js';
import { LivePersonas } from '../src/live-personas.js';
import { MemoryPersonaStore } from '../src/storage/index.js';

const configured = { personas: [DEFAULT_PERSONA], defaultName: DEFAULT_PERSONA.name };
const T0 = 1_800_000_000_000;

function recordingLogger() {
  const warnings: { fields: object; msg: string }[] = [];
  const log = () => undefined;
  return {
    warnings,
    logger: {
      info: log,
      debug: log,
      error: log,
      warn: (fields: object, msg: string) => warnings.push({ fields, msg }),
    },
  };
}

describe('LivePersonas', () => {
  it('leaves out a stored persona that no longer passes the schema or whose name the file took, and says so', async () => {
    const store = new MemoryPersonaStore();
    await store.save('Вася', { name: 'Вася', character: [] }, 'alice', T0);
    await store.save('лёха', { name: 'лёха', character: ['Another Лёха.'] }, 'alice', T0);
    await store.save('Алёна', { name: 'Алёна', character: ['A gardener.'] }, 'alice', T0);
    const { warnings, logger } = recordingLogger();
    const live = await LivePersonas.load(configured, store, logger);
    expect(live.personas.map((p) => p.name)).toEqual(['Лёха', 'Алёна']);
    expect(warnings.map((w) => w.fields)).toEqual([
      { persona: 'Вася@1', reason: 'invalid' },
      { persona: 'лёха@1', reason: 'name_taken' },
    ]);
  });

  it('refuses a bad definition, a version, or a configured name, and changes nothing', async () => {
    const live = await LivePersonas.load(configured, new MemoryPersonaStore());
    const revision = live.revision;
    await expect(live.save({ name: 'Алёна', character: [] }, 'alice', T0)).rejects.toThrow(
      new PersonaInvalidError(['character: character needs at least one line']),
    );
    await expect(live.save({ name: 'Алёна', character: ['x'], version: 3 }, 'alice', T0)).rejects.toThrow(
      PersonaInvalidError,
    );
    await expect(live.save(['Алёна'], 'alice', T0)).rejects.toThrow(PersonaInvalidError);
    await expect(live.save({ name: 'ЛЕХА', character: ['x'] }, 'alice', T0)).rejects.toThrow(PersonaReadOnlyError);
    await expect(live.retire('Лёха', T0)).rejects.toThrow(PersonaReadOnlyError);
    expect(live.revision).toBe(revision);
    expect(live.personas).toEqual([DEFAULT_PERSONA]);
  });

  it('is seen by a PersonaBook over it from its next lookup: new names answer, a retired persona falls back to the default', async () => {
    const live = await LivePersonas.load(configured, new MemoryPersonaStore());
    const book = new PersonaBook(live, { userId: 1, username: 'lekha_bot' });
    expect(book.of('Алёна')).toBe(book.default);
    const saved = await live.save({ name: 'Алёна', aliases: ['Алёна'], character: ['A gardener.'] }, 'alice', T0);
    expect(book.of('алена')).toMatchObject({ name: 'Алёна', version: 1 });
    expect(saved).toMatchObject({ name: 'Алёна', version: 1 });
    expect(book.address(book.of('Алёна')).calledByName(['алена', 'привет'])).toBe(true);
    expect(book.isOwnName(stemWord('алена'))).toBe(true);
    await live.save({ name: 'Алёна', aliases: ['Алёна'], character: ['A gardener and a beekeeper.'] }, 'bob', T0);
    expect(book.of('Алёна')).toMatchObject({ version: 2, character: ['A gardener and a beekeeper.'] });
    expect(await live.retire('алёна', T0)).toBe(true);
    expect(await live.retire('алёна', T0)).toBe(false);
    expect(book.of('Алёна')).toBe(book.default);
    expect(live.isStored('Алёна')).toBe(false);
  });
});
