import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXACT_INITIAL_ROWS, type ShardStats } from '../../src/memory/index.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'shard-stats-child.ts');

interface Report {
  empty: ShardStats;
  loaded: ShardStats;
  after: ShardStats;
  shardsUsed: number;
}

/** The child's one report, from a process started with --expose-gc as `npm run bench` starts one. */
function measure(): Promise<Report> {
  return new Promise((resolve, reject) => {
    let report: Report | undefined;
    const proc = fork(child, [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.on('message', (message: Report) => (report = message));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      report !== undefined && code === 0 ? resolve(report) : reject(new Error(`shard stats child exited with ${code}`)),
    );
  });
}

const MEMORIES = 40 * EXACT_INITIAL_ROWS;
/** What a thread's collected heap sometimes holds in one reading and not the next (up to ~190 KB measured). */
const HEAP_NOISE = 200_000;

describe('memory shard stats under --expose-gc (the footprint bench)', () => {
  it('adds up what every shard thread holds: 40 chats’ first rows of 384 8-bit codes, then the items of the memories filling them', async () => {
    const { empty, loaded, after, shardsUsed } = await measure();
    expect(shardsUsed).toBe(2);
    expect(empty).toMatchObject({ chats: 0, vectors: 0, indexBytes: 0 });
    expect(loaded).toMatchObject({ chats: 40, vectors: 0, indexBytes: 0 });
    expect(after).toMatchObject({ chats: 40, vectors: MEMORIES, indexBytes: 0 });
    // Collected first, so each step's growth is what it holds. Loading makes each chat's first rows: 384 codes and a 4-byte scale each.
    const rows = MEMORIES * (384 + 4);
    const byLoading = loaded.heapBytes - empty.heapBytes;
    expect(byLoading).toBeGreaterThan(rows);
    expect(byLoading).toBeLessThan(rows + 40 * 8192 + HEAP_NOISE); // and each chat's index, maps and labels
    // The memories fill those rows: what grows is their items, each with its text (2,000 B of UTF-16).
    const byMemories = after.heapBytes - loaded.heapBytes;
    expect(byMemories).toBeGreaterThan(MEMORIES * 2000 - HEAP_NOISE);
    expect(byMemories).toBeLessThan(MEMORIES * 3000 + HEAP_NOISE);
  }, 60_000);
});
