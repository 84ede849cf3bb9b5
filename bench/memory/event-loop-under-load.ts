import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { takeLines } from './chat-lines.js';
import { benchChatId, type MemoryEdge } from './memory-edge.js';

export interface EventLoopFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  offered: number;
  remembered: number;
  dropped: number;
  /** Share of 1 ms ticks that found the embedding pool's queue full. */
  saturatedShare: number;
  maxPoolQueue: number;
}

/**
 * Main-thread event-loop delay while memory writes arrive faster than the
 * service can take them: every millisecond, remember() calls are topped up
 * so that `inFlight` are unsettled, over `chats` chats. Writes the service
 * refuses settle at once as dropped, so the top-up offers more; the
 * embedding pool's queue is sampled every tick.
 */
export async function measureEventLoopUnderLoad(edge: MemoryEdge, chats: number, inFlight: number, maxPerTick: number, durationMs: number, progress: (message: string) => void): Promise<EventLoopFigures> {
  const { service, pool } = edge;
  const lines = takeLines(77, 20_000);
  const droppedBefore = service.dropped.value;
  const rememberedBefore = service.remembered.value;
  let unsettled = 0;
  let offered = 0;
  let ticks = 0;
  let saturatedTicks = 0;
  let maxPoolQueue = 0;
  const settle = (): void => {
    unsettled--;
  };
  const delay = monitorEventLoopDelay({ resolution: 1 });
  progress(`memory: event-loop delay with ${inFlight} memory writes kept in flight for ${durationMs / 1000} s`);
  delay.enable();
  const startedMs = performance.now();
  while (performance.now() - startedMs < durationMs) {
    ticks++;
    maxPoolQueue = Math.max(maxPoolQueue, pool.stats().queued);
    if (pool.saturated) saturatedTicks++;
    const add = Math.min(maxPerTick, inFlight - unsettled);
    for (let i = 0; i < add; i++) {
      const n = offered++;
      unsettled++;
      service
        .remember({ chatId: benchChatId(n % chats), kind: 'message', text: lines[n % lines.length] as string, fromId: 1000 + (n % 25), ms: Date.now(), messageId: 1_000_000 + n })
        .then(settle, settle);
    }
    await sleep(1);
  }
  delay.disable();
  while (unsettled > 0) await sleep(5);
  return {
    p50Ms: delay.percentile(50) / 1e6,
    p99Ms: delay.percentile(99) / 1e6,
    maxMs: delay.max / 1e6,
    offered,
    remembered: service.remembered.value - rememberedBefore,
    dropped: service.dropped.value - droppedBefore,
    saturatedShare: saturatedTicks / ticks,
    maxPoolQueue,
  };
}
