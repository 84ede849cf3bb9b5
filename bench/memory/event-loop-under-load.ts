import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemorySaturatedError } from '../../src/memory/index.js';
import { takeLines } from './chat-lines.js';
import { benchChatId, type MemoryEdge } from './memory-edge.js';

/** Texts per embedding task of the lanes that keep the pool full. */
const FILL_BATCH = 64;
const SETTLE_MS = 500;

export interface EventLoopFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  offered: number;
  remembered: number;
  dropped: number;
  /** Share of 1 ms ticks that found the embedding pool refusing work. */
  saturatedShare: number;
  /** Texts the fill lanes got embedded while the writes were offered. */
  filled: number;
}

/**
 * Main-thread event-loop delay while the embedding pool is saturated:
 * `fillLanes` lanes keep the pool's queue at its limit with batches of
 * chat lines (what a burst of recalls and index rebuilds does), and every
 * millisecond remember() calls are topped up so that `inFlight` are
 * unsettled, spread over `chats` chats. Writes the service refuses settle
 * at once as dropped, so the top-up offers more (at most `maxPerTick`).
 */
export async function measureEventLoopUnderLoad(
  edge: MemoryEdge,
  options: { chats: number; inFlight: number; maxPerTick: number; fillLanes: number; durationMs: number },
  progress: (message: string) => void,
): Promise<EventLoopFigures> {
  const { service, pool } = edge;
  const lines = takeLines(77, 20_000);
  const droppedBefore = service.dropped.value;
  const rememberedBefore = service.remembered.value;
  let unsettled = 0;
  let offered = 0;
  let ticks = 0;
  let saturatedTicks = 0;
  let filled = 0;
  let filling = true;
  const settle = (): void => {
    unsettled--;
  };
  const fill = async (lane: number): Promise<void> => {
    let cursor = lane * FILL_BATCH;
    while (filling) {
      // A refused task costs an encode and an error on this thread: wait for room instead.
      if (pool.saturated) {
        await sleep(1);
        continue;
      }
      const batch = lines.slice(
        cursor % (lines.length - FILL_BATCH),
        (cursor % (lines.length - FILL_BATCH)) + FILL_BATCH,
      );
      cursor += FILL_BATCH;
      try {
        await pool.embed(batch);
        filled += batch.length;
      } catch (error) {
        if (!(error instanceof MemorySaturatedError)) throw error;
        await sleep(1);
      }
    }
  };

  progress(
    `memory: event-loop delay with the pool saturated and memory writes offered for ${options.durationMs / 1000} s`,
  );
  const lanes = Array.from({ length: options.fillLanes }, (_, lane) => fill(lane));
  while (!pool.saturated) await sleep(1);
  // The first answers of a just-filled pool arrive together; the steady state is what is measured.
  await sleep(SETTLE_MS);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const filledBefore = filled;
  const startedMs = performance.now();
  while (performance.now() - startedMs < options.durationMs) {
    ticks++;
    if (pool.saturated) saturatedTicks++;
    const add = Math.min(options.maxPerTick, options.inFlight - unsettled);
    for (let i = 0; i < add; i++) {
      const n = offered++;
      unsettled++;
      service
        .remember({
          chatId: benchChatId(n % options.chats),
          kind: 'message',
          text: lines[n % lines.length] as string,
          fromId: 1000 + (n % 25),
          ms: Date.now(),
          messageId: 1_000_000 + n,
        })
        .then(settle, settle);
    }
    await sleep(1);
  }
  delay.disable();
  const filledDuring = filled - filledBefore;
  filling = false;
  await Promise.all(lanes);
  while (unsettled > 0) await sleep(5);
  return {
    p50Ms: delay.percentile(50) / 1e6,
    p99Ms: delay.percentile(99) / 1e6,
    maxMs: delay.max / 1e6,
    offered,
    remembered: service.remembered.value - rememberedBefore,
    dropped: service.dropped.value - droppedBefore,
    saturatedShare: saturatedTicks / ticks,
    filled: filledDuring,
  };
}
