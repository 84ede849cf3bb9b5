import { z } from 'zod';
import { type BackoffOptions, type Clock, type Logger, MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { type DurableSnapshotStore, SnapshotFormat, type SnapshotStore, WriteBehind } from '../../src/storage/index.js';
import { type ShutdownReport, Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, type CounterMsg, type CounterState, newProbe } from './counter-actor.js';

const counterState = z.object({ seen: z.array(z.number()) });

/** Narrows a decoded value to `CounterState`. */
export function parseCounterState(value: unknown): CounterState {
  return counterState.parse(value);
}

/**
 * How long `seen` waits. A test that asks a thousand keys at once has each
 * answer wait for that key's snapshot load, queued behind all the others on
 * one database connection; on a busy machine the last one comes well after
 * the supervisor's default ask timeout, which is not what these tests measure.
 */
const SEEN_TIMEOUT_MS = 25_000;

/** Snapshot format of `CounterActor` state. */
export const counterFormat = new SnapshotFormat<CounterState>({ version: 1, parse: parseCounterState });

export interface CounterRuntime {
  readonly supervisor: Supervisor<string, CounterMsg, CounterState>;
  readonly writeBehind: WriteBehind<string, CounterState>;
  readonly metrics: MetricsRegistry;
  /** Sends `Add n` to `key` for each n. */
  add(key: string, ...ns: number[]): void;
  /** What `key`'s actor has seen, asked through its mailbox. */
  seen(key: string): Promise<number[]>;
  /** Graceful stop: supervisor shutdown, then the write-behind writes what is pending. */
  stop(): Promise<{ shutdown: ShutdownReport; unwritten: number }>;
}

/** A supervisor of counter actors persisted through a real write-behind, as `main.ts` wires chats. */
export async function startCounterRuntime(options: {
  durable: DurableSnapshotStore;
  hot?: SnapshotStore;
  intervalMs?: number;
  retry?: BackoffOptions;
  format?: SnapshotFormat<CounterState>;
  logger?: Logger;
  clock?: Clock;
}): Promise<CounterRuntime> {
  const metrics = new MetricsRegistry();
  const clock = options.clock ?? new SystemClock();
  const writeBehind = await WriteBehind.create<string, CounterState>({
    format: options.format ?? counterFormat,
    durable: options.durable,
    ...(options.hot === undefined ? {} : { hot: options.hot }),
    intervalMs: options.intervalMs ?? 60_000,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    clock,
    metrics,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return superviseCounters(writeBehind, {
    clock,
    metrics,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/** Counter actors under a supervisor whose load/persist hooks are `writeBehind`'s; starts its flush. */
export function superviseCounters(
  writeBehind: WriteBehind<string, CounterState>,
  options: { clock?: Clock; metrics?: MetricsRegistry; logger?: Logger } = {},
): CounterRuntime {
  const metrics = options.metrics ?? new MetricsRegistry();
  const probe = newProbe();
  const supervisor = new Supervisor<string, CounterMsg, CounterState>({
    create: (key, state) => new CounterActor(key, state, probe),
    load: (key) => writeBehind.load(key),
    persist: (key, state) => writeBehind.persist(key, state),
    clock: options.clock ?? new SystemClock(),
    metrics,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  writeBehind.start(supervisor);
  return {
    supervisor,
    writeBehind,
    metrics,
    add: (key, ...ns) => {
      for (const n of ns) supervisor.tell(key, { type: 'Add', n });
    },
    seen: (key) => supervisor.ask<number[]>(key, (reply) => ({ type: 'Get', reply }), SEEN_TIMEOUT_MS),
    stop: async () => {
      const shutdown = await supervisor.shutdown();
      const { unwritten } = await writeBehind.close();
      return { shutdown, unwritten };
    },
  };
}
