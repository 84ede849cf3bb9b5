/*
 * Worker thread of the integrations bench: runs the upstream API emulators
 * on their own event loop, as the real APIs run on other machines, so the
 * runtime under test has the main thread to itself and its reply latency
 * does not include the emulators' own work (routing, catalogue searches,
 * JSON answers). `UpstreamThread` is the main thread's handle on it.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { UPSTREAM_APIS, UpstreamEmulator, type UpstreamStats } from '../src/sandbox/index.js';

interface Ready {
  url: string;
  env: Record<string, string>;
}

/** The emulators of every integration's API, in a thread of their own, answering after `latencyMs`. */
export class UpstreamThread {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(latencyMs: number): Promise<UpstreamThread> {
    const worker = new Worker(new URL(import.meta.url), { workerData: { latencyMs } });
    const ready = await new Promise<Ready>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the upstream emulator thread exited (code ${code}) before it was ready`)),
      );
    });
    worker.removeAllListeners();
    return new UpstreamThread(worker, ready.url, ready.env);
  }

  /** The environment sandbox mode runs the plugins with: each API pointing at its emulator, demo keys included. */
  sandboxEnv(): Record<string, string> {
    return { ...this.env };
  }

  /** What the emulators counted, from their control endpoint. */
  async stats(): Promise<UpstreamStats> {
    const response = await fetch(`${this.url}/_emulator/stats`);
    if (!response.ok) throw new Error(`the upstream emulators' stats answered ${response.status}`);
    return (await response.json()) as UpstreamStats;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('close');
    await exited;
  }
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const { latencyMs } = workerData as { latencyMs: number };
  const emulator = await UpstreamEmulator.start({ apis: UPSTREAM_APIS, latency: latencyMs });
  port.once('message', () => {
    void emulator.close().finally(() => port.close());
  });
  port.postMessage({ url: emulator.url, env: emulator.sandboxEnv({}) } satisfies Ready);
}
