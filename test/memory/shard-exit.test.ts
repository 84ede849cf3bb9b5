import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryShards } from '../../src/memory/index.js';
import { memoryItem } from './memory-items.js';

const DIMS = 16;
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function shardsWithChat(chatId: number): Promise<MemoryShards> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lekha-shards-'));
  dirs.push(dir);
  const shards = new MemoryShards({ shards: 1, dir });
  await shards.call(chatId, (api) => api.load(chatId, DIMS, { live: 0, maxRevision: 0 }));
  return shards;
}

function add(shards: MemoryShards, chatId: number, id: number): Promise<number> {
  const vector = new Float32Array(DIMS).fill(1 / id);
  return shards.call(chatId, async (api) => (await api.add(chatId, [memoryItem(id)], vector)).added);
}

describe('stopping memory shard threads', () => {
  it('answers every call sent before close(), then refuses new ones', async () => {
    const shards = await shardsWithChat(-1);
    const sent = Array.from({ length: 30 }, (_, i) => add(shards, -1, i + 1));
    await shards.close();
    expect(await Promise.all(sent)).toEqual(Array.from({ length: 30 }, () => 1));
    await expect(add(shards, -1, 99)).rejects.toMatchObject({ code: 'MEMORY_CLOSED' });
    expect(shards.callsInFlight).toBe(0);
  });

  it('kill() stops the thread after the calls before it, fails the ones after, and restarts the shard', async () => {
    const shards = await shardsWithChat(-2);
    try {
      const before = add(shards, -2, 1);
      const killed = shards.kill(0);
      const after = add(shards, -2, 2);
      await killed;
      expect(await before).toBe(1);
      await expect(after).rejects.toMatchObject({ code: 'MEMORY_SHARD_DOWN' });
      expect(shards.restarts).toBe(1);
      // The new thread starts empty: the chat must be loaded again before use.
      await expect(add(shards, -2, 3)).rejects.toThrow(/not loaded/);
    } finally {
      await shards.close();
    }
  });

  it('never aborts the process when closed with HNSW-tier adds and filtered searches queued', async () => {
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'shard-exit-child.ts');
    const run = await new Promise<{ code: number | null; stderr: string; report: unknown }>((resolve, reject) => {
      let stderr = '';
      let report: unknown;
      const proc = fork(child, ['12'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.on('message', (message) => (report = message));
      proc.on('error', reject);
      proc.on('exit', (code) => resolve({ code, stderr, report }));
    });
    expect(run.stderr).not.toContain('FATAL ERROR');
    expect(run.code).toBe(0);
    // Everything queued before each close was answered: 12 rounds of 40 adds and 40 searches.
    expect(run.report).toEqual({ rounds: 12, answered: 12 * 80 });
  }, 120_000);
});
