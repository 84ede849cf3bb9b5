import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiEmulator, EMULATOR_IDS_FILE, EmulatorIds } from '../../src/sandbox/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lekha-emulator-ids-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function emulator(stateDir?: string): Promise<BotApiEmulator> {
  const started = await BotApiEmulator.start({ limits: false, ...(stateDir === undefined ? {} : { stateDir }) });
  cleanups.push(() => started.close());
  return started;
}

const from = { id: 1, firstName: 'A' };

describe('Bot API emulator ids across runs', () => {
  it('continues update and message ids above the previous run’s when given a state directory', async () => {
    const dir = tempDir();
    const first = await emulator(dir);
    const earlier = [
      first.injectMessage({ chatId: 5, from, text: 'one' }),
      first.injectMessage({ chatId: 5, from, text: 'two' }),
    ];
    await new Api(first.token, { apiRoot: first.apiRoot }).sendMessage(5, 'answer');
    const lastMessageId = first.sentTo(5)[0]?.messageId ?? Number.NaN;
    // Not closed: the next run must also continue after a process that was killed.
    const second = await emulator(dir);
    const later = second.injectMessage({ chatId: 5, from, text: 'three' });
    expect(later.updateId).toBeGreaterThan(Math.max(...earlier.map((e) => e.updateId)));
    expect(later.message.message_id).toBeGreaterThan(lastMessageId);
    const otherChat = second.injectMessage({ chatId: -6, from, text: 'elsewhere' });
    expect(otherChat.message.message_id).toBeGreaterThan(lastMessageId);
  });

  it('keeps the counters in the state directory as one JSON file, replaced whole', async () => {
    const dir = tempDir();
    const run = await emulator(dir);
    run.injectMessage({ chatId: 5, from, text: 'one' });
    expect(readdirSync(dir)).toEqual([EMULATOR_IDS_FILE]);
    expect(JSON.parse(readFileSync(path.join(dir, EMULATOR_IDS_FILE), 'utf8'))).toEqual({
      version: 1,
      nextUpdateId: expect.any(Number),
      nextMessageId: expect.any(Number),
    });
  });

  it('starts from the clock without a state directory, or when the saved counters cannot be read', async () => {
    const startedAt = Date.now();
    const plain = await emulator();
    const first = plain.injectMessage({ chatId: 5, from, text: 'one' });
    expect(first.updateId).toBeGreaterThanOrEqual(startedAt);
    expect(first.message.message_id).toBeGreaterThanOrEqual(startedAt);
    const dir = tempDir();
    writeFileSync(path.join(dir, EMULATOR_IDS_FILE), '{"version": 1, "nextUpdateId": "oops"');
    const ids = EmulatorIds.persisted(dir, 1_800_000_000_000);
    expect(ids.nextUpdateId()).toBe(1_800_000_000_000);
    expect(ids.nextMessageId(undefined)).toBe(1_800_000_000_000);
    expect(JSON.parse(readFileSync(path.join(dir, EMULATOR_IDS_FILE), 'utf8')).nextUpdateId).toBeGreaterThan(
      1_800_000_000_000,
    );
  });

  it('continues exactly from the saved counters and never hands out an id it has not saved as used', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, EMULATOR_IDS_FILE),
      JSON.stringify({ version: 1, nextUpdateId: 500, nextMessageId: 70 }),
    );
    const ids = EmulatorIds.persisted(dir, Date.now());
    const saved = (): { nextUpdateId: number; nextMessageId: number } =>
      JSON.parse(readFileSync(path.join(dir, EMULATOR_IDS_FILE), 'utf8'));
    expect(ids.nextUpdateId()).toBe(500);
    expect(ids.nextMessageId(undefined)).toBe(70);
    expect(ids.nextMessageId(75)).toBe(76);
    for (let i = 0; i < 2500; i++) {
      const updateId = ids.nextUpdateId();
      const messageId = ids.nextMessageId(undefined);
      expect(saved().nextUpdateId).toBeGreaterThan(updateId);
      expect(saved().nextMessageId).toBeGreaterThan(messageId);
    }
  });
});
