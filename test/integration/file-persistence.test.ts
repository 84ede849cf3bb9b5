import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import { FilePersistence } from '../support/file-persistence.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Only the test's own marker matters to the store: it writes states as they come. */
const state = (n: number) => ({ processedMessages: n }) as unknown as ChatState;

describe('the crash tests’ file store', () => {
  it('drops a record a kill tore mid-write, so the records written after the restart stay readable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lekha-file-persistence-'));
    dirs.push(dir);
    const file = path.join(dir, 'chats.jsonl');
    appendFileSync(file, `${JSON.stringify({ chatId: 1, state: state(3) })}\n{"chatId":2,"state":{"processedM`);

    const store = new FilePersistence(file);
    store.persist(2, state(5));

    expect(readFileSync(file, 'utf8')).not.toContain('processedM{');
    const states = FilePersistence.read(file);
    expect(states.get(1)).toEqual(state(3));
    expect(states.get(2)).toEqual(state(5));
    expect(store.load(2)).toEqual(state(5));
  });
});
