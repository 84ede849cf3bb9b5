import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Histogram } from '../../src/runtime/index.js';

export interface PlatformFloor {
  /** Round trip of a message to a worker thread that only echoes it, at the recall rate. */
  echo: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Event-loop delay of this process doing nothing but the measurement. */
  idleLoop: { p50Ms: number; p99Ms: number; maxMs: number };
}

const ECHO_WORKER = `require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));`;

/**
 * What this machine gives any Node program, measured with nothing of Lekha
 * in the way: the latency of a message to two worker threads that echo it
 * (a recall crosses threads once or twice: to a shard, and to the pool when a model embeds the query) at
 * `ratePerS`, and the event-loop delay of an idle loop, each for `durationMs`. Latency figures of
 * the memory edge cannot be lower than these.
 */
export async function measurePlatformFloor(
  ratePerS: number,
  durationMs: number,
  progress: (message: string) => void,
): Promise<PlatformFloor> {
  progress('memory: platform floor (idle event loop, worker echo)');
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await sleep(durationMs);
  idle.disable();

  const workers = [new Worker(ECHO_WORKER, { eval: true }), new Worker(ECHO_WORKER, { eval: true })];
  const latency = new Histogram('bench_echo_ms', 'worker echo round trip');
  const sentAt: number[] = [];
  let received = 0;
  for (const worker of workers) {
    worker.on('message', (n: number) => {
      latency.recordMs(performance.now() - (sentAt[n] as number));
      received++;
    });
  }
  try {
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('online', resolve))));
    const startedMs = performance.now();
    let sent = 0;
    while (performance.now() - startedMs < durationMs) {
      const due = Math.floor(((performance.now() - startedMs) * ratePerS) / 1000);
      while (sent < due) {
        sentAt.push(performance.now());
        (workers[sent % workers.length] as Worker).postMessage(sent);
        sent++;
      }
      await sleep(1);
    }
    while (received < sent) await sleep(1);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const echo = latency.summary();
  return {
    echo: { p50Ms: echo.p50, p99Ms: echo.p99, maxMs: echo.max },
    idleLoop: { p50Ms: idle.percentile(50) / 1e6, p99Ms: idle.percentile(99) / 1e6, maxMs: idle.max / 1e6 },
  };
}
