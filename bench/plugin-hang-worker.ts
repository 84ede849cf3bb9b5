import { parentPort, workerData } from 'node:worker_threads';
import { BENCH_PLUGINS } from './bench-plugins.js';
import { type HangPhase, type HangPhaseOptions, runHangPhase } from './plugin-hang.js';

/** One variant of the hang scenario in a thread of its own: its own event loop and heap, so what it does stays in it. */
export type HangWorkerData = Omit<HangPhaseOptions, 'plugins'>;

/** What the thread reports: set up and waiting, then its figures. */
export type HangWorkerEvent = { type: 'ready' } | { type: 'done'; phase: HangPhase };

/** The moment to start sending, told to every thread of a round once all are ready. */
export interface HangWorkerGo {
  startAtEpochMs: number;
}

const port = parentPort;
if (port === null) throw new Error('plugin-hang-worker must run as a worker thread');
// Both variants start sending at the same wall-clock moment, once both are set up: a thread still
// loading its modules would otherwise weigh on the other's measured window alone.
const phase = await runHangPhase(
  { ...(workerData as HangWorkerData), plugins: BENCH_PLUGINS },
  () =>
    new Promise<number>((resolve) => {
      port.once('message', (go: HangWorkerGo) => resolve(performance.now() + (go.startAtEpochMs - Date.now())));
      port.postMessage({ type: 'ready' } satisfies HangWorkerEvent);
    }),
);
port.postMessage({ type: 'done', phase } satisfies HangWorkerEvent);
