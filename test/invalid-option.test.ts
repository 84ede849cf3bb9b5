import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TtlCache } from '../src/chat/index.js';
import { BoundedSemaphore, DailyTokenBudget, LlmGateway, TokenBucket } from '../src/llm/index.js';
import { CircuitBreaker } from '../src/runtime/index.js';
import { HashEmbedder, MemoryShards } from '../src/memory/index.js';
import { Backoff, LekhaError, Mailbox, ManualClock, MetricsRegistry } from '../src/runtime/index.js';
import { openDatabase, PostgresDatabase, SnapshotFormat } from '../src/storage/index.js';
import { RestartPolicy } from '../src/supervisor/index.js';
import { SlidingWindow, splitMessage } from '../src/telegram/index.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const gateway = (options: { models?: string[]; timeoutMs?: number; maxAttempts?: number }) =>
  new LlmGateway({
    models: ['llama-3.1-8b-instant'],
    clock: new ManualClock(),
    metrics: new MetricsRegistry(),
    ...options,
  });

describe('options a component cannot work with', () => {
  it.each<[string, () => unknown, string, RegExp]>([
    ['a mailbox of capacity 0', () => new Mailbox(0), 'capacity', /mailbox capacity must be a positive integer, got 0/],
    [
      'a restart maximum below its minimum',
      () => new RestartPolicy({ minBackoffMs: 500, maxBackoffMs: 100 }),
      'restart.maxBackoffMs',
      /must not be below restart.minBackoffMs/,
    ],
    [
      'a restart window of 0',
      () => new RestartPolicy({ windowMs: 0 }),
      'restart.windowMs',
      /restart.windowMs must be a positive number, got 0/,
    ],
    ['a cache TTL of 0', () => new TtlCache(0), 'defaultTtlMs', /defaultTtlMs must be positive, got 0/],
    ['a token bucket of 0 a minute', () => new TokenBucket(0, 0), 'perMinute', /perMinute must be positive/],
    [
      'a negative daily user budget',
      () => new DailyTokenBudget(0, -1),
      'perUser',
      /daily token budgets must be 0 \(off\) or positive/,
    ],
    ['a semaphore of 0 slots', () => new BoundedSemaphore(0, 1), 'limit', /limit must be a positive integer, got 0/],
    [
      'a negative semaphore queue',
      () => new BoundedSemaphore(1, -1),
      'maxWaiting',
      /maxWaiting must be a non-negative integer/,
    ],
    [
      'a breaker that never opens',
      () => new CircuitBreaker({ failureThreshold: 0 }),
      'failureThreshold',
      /failureThreshold must be a positive integer/,
    ],
    ['an LLM gateway with no model', () => gateway({ models: [] }), 'models', /at least one model is needed/],
    ['an LLM timeout of 0', () => gateway({ timeoutMs: 0 }), 'timeoutMs', /timeoutMs must be positive, got 0/],
    [
      'an LLM gateway that never tries',
      () => gateway({ maxAttempts: 0 }),
      'maxAttempts',
      /maxAttempts must be a positive integer/,
    ],
    ['a send window of 0 ms', () => new SlidingWindow(1, 0), 'windowMs', /windowMs must be positive, got 0/],
    [
      'a message split at 1 character',
      () => splitMessage('hello', 1),
      'maxLength',
      /maxLength must be an integer ≥ 2, got 1/,
    ],
    [
      'a 4-dimension hash embedder',
      () => new HashEmbedder(4),
      'dims',
      /hash embedder dims must be an integer ≥ 8, got 4/,
    ],
    [
      'a snapshot version 0',
      () => new SnapshotFormat({ version: 0, parse: (v) => v }),
      'version',
      /snapshot version must be a positive integer, got 0/,
    ],
    [
      'a backoff cap below its first delay',
      () => new Backoff({ minMs: 100, maxMs: 50 }),
      'maxMs',
      /backoff maxMs must not be below minMs/,
    ],
    [
      'a Postgres pool of 0 connections',
      () => new PostgresDatabase({ url: 'postgres://localhost/test', maxConnections: 0 }),
      'maxConnections',
      /maxConnections must be a positive integer, got 0/,
    ],
  ])('refuses %s with INVALID_OPTION naming the option', (_what, build, option, message) => {
    let thrown: unknown;
    try {
      build();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LekhaError);
    expect(thrown).toMatchObject({ name: 'InvalidOptionError', code: 'INVALID_OPTION', option, retryable: false });
    expect((thrown as Error).message).toMatch(message);
  });

  it('refuses 0 memory shards before starting any worker', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lekha-shards-'));
    dirs.push(dir);
    expect(() => new MemoryShards({ shards: 0, dir })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'shards' }),
    );
  });

  it('refuses a database location with neither a URL nor a data directory', async () => {
    await expect(openDatabase({})).rejects.toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        option: 'dataDir',
        message: 'a database needs either a databaseUrl or a dataDir',
      }),
    );
  });
});
