import { Worker } from 'node:worker_threads';
import { BENCH_PLUGINS } from './bench-plugins.js';
import { Percentiles } from './percentiles.js';
import type { HangPhase } from './plugin-hang.js';
import type { HangWorkerData, HangWorkerEvent, HangWorkerGo } from './plugin-hang-worker.js';
import { measureOverhead } from './plugin-overhead.js';
import type { Scenario, ScenarioResult } from './report.js';

const OTHER_CHATS = 200;
const UPDATES_PER_CHAT_PER_S = 2;

export const scenario: Scenario = {
  name: 'plugins',
  description:
    'a no-op plugin command vs the built-in /start end to end through the chat actors; other chats’ reply p99 while one chat’s plugin hangs',
  async run({ quick, progress }): Promise<ScenarioResult> {
    const probes = await measureOverhead({
      plugins: BENCH_PLUGINS,
      probes: [
        { name: 'start', text: '/start' },
        { name: 'noop', text: '/noop' },
        { name: 'unknown', text: '/nosuch' },
      ],
      chats: 100,
      warmupPerProbe: quick ? 2000 : 10_000,
      measuredPerProbe: quick ? 6000 : 40_000,
      progress,
    });
    const start = probes.get('start')!;
    const noop = probes.get('noop')!;
    const unknown = probes.get('unknown')!;

    // Without (A) and with (B) the hang run side by side, each in its own thread, so the
    // machine's load (shared, and busy) falls on both alike; the hang can only reach its own thread.
    const rounds = quick ? 2 : 4;
    const measureMs = quick ? 10_000 : 20_000;
    const phases: Array<{ hang: boolean; phase: HangPhase }> = [];
    for (let round = 0; round < rounds; round++) {
      progress(`plugins: hang round ${round + 1}/${rounds} (with and without a hanging plugin, side by side)`);
      globalThis.gc?.();
      const variants = round % 2 === 0 ? [false, true] : [true, false];
      const workers = variants.map(
        (hang) =>
          new HangWorker({
            oddCommand: hang ? '/hang' : '/noop',
            oddPlugin: hang ? 'hang' : 'noop',
            chats: OTHER_CHATS,
            updatesPerChatPerS: UPDATES_PER_CHAT_PER_S,
            warmupMs: 3000,
            measureMs,
          }),
      );
      let done: HangPhase[];
      try {
        await Promise.all(workers.map((w) => w.ready));
        const startAtEpochMs = Date.now() + 100;
        for (const w of workers) w.go({ startAtEpochMs });
        done = await Promise.all(workers.map((w) => w.done));
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
      done.forEach((phase, i) => phases.push({ hang: variants[i]!, phase }));
    }
    const pooled = (hang: boolean) => {
      const mine = phases.filter((p) => p.hang === hang).map((p) => p.phase);
      return {
        others: new Percentiles(mine.flatMap((p) => p.others)),
        ownStarts: new Percentiles(mine.flatMap((p) => p.ownStarts)),
        unanswered: mine.reduce((sum, p) => sum + p.unanswered, 0),
        eventLoopP99Ms: Math.max(...mine.map((p) => p.eventLoopP99Ms)),
        eventLoopBusy: mine.reduce((sum, p) => sum + p.eventLoopBusy, 0) / mine.length,
      };
    };
    // Each round's two runs saw the same moments of the machine's load: compare within rounds, then across them.
    const roundRatios = Array.from({ length: rounds }, (_, round) => {
      const [a, b] = phases
        .slice(round * 2, round * 2 + 2)
        .map((p) => ({ hang: p.hang, p99: new Percentiles(p.phase.others).at(0.99) }));
      return a!.hang ? a!.p99 / b!.p99 : b!.p99 / a!.p99;
    });
    const pairedRatio = Math.exp(roundRatios.reduce((sum, r) => sum + Math.log(r), 0) / rounds);
    const withHang = pooled(true);
    const without = pooled(false);
    const hangCalls = phases.filter((p) => p.hang).map((p) => p.phase.oddCalls);
    const sum = (key: keyof HangPhase['oddCalls']) => hangCalls.reduce((s, c) => s + c[key], 0);

    return {
      results: {
        start_p50_ms: start.at(0.5),
        start_p99_ms: start.at(0.99),
        noop_plugin_p50_ms: noop.at(0.5),
        noop_plugin_p99_ms: noop.at(0.99),
        noop_plugin_overhead_p50_ms: noop.at(0.5) - start.at(0.5),
        noop_plugin_overhead_p99_ms: noop.at(0.99) - start.at(0.99),
        pipeline_answer_p50_ms: unknown.at(0.5),
        hang_other_chats_p50_ms: withHang.others.at(0.5),
        hang_other_chats_p99_ms: withHang.others.at(0.99),
        hang_other_chats_p99_ratio: pairedRatio,
        hanging_chat_start_p99_ms: withHang.ownStarts.at(0.99),
        event_loop_p99_ms: withHang.eventLoopP99Ms,
        event_loop_busy_ratio: withHang.eventLoopBusy,
        unanswered_commands: withHang.unanswered,
      },
      baseline: {
        hang_other_chats_p50_ms: without.others.at(0.5),
        hang_other_chats_p99_ms: without.others.at(0.99),
        hanging_chat_start_p99_ms: without.ownStarts.at(0.99),
        event_loop_p99_ms: without.eventLoopP99Ms,
        event_loop_busy_ratio: without.eventLoopBusy,
        unanswered_commands: without.unanswered,
      },
      targets: {
        noop_plugin_overhead_p50_ms: { '<=': 0.2 },
        hang_other_chats_p99_ratio: { '<=': 1.1 },
        unanswered_commands: { '<=': 0 },
      },
      notes: [
        `overhead: closed loop, one command at a time, /start, /noop and an unknown command in turn over 100 group chats; ${start.count.toLocaleString('en-US')} each after ${(quick ? 2000 : 10_000).toLocaleString('en-US')} warm-up; update into the Supervisor → text handed to the egress (durability immediate, as without storage)`,
        `/start and /noop both run as plugin commands (side effect, then PluginDone, then the answer after durability); pipeline_answer = an unknown command, answered by the pipeline without the host: the plugin path costs ${(start.at(0.5) - unknown.at(0.5)).toFixed(3)} ms p50 over it`,
        `hang: ${OTHER_CHATS} group chats × ${UPDATES_PER_CHAT_PER_S} updates/s (a /start, then a plain message), open loop, latency from when each update was due; one more chat sends /start and /hang (baseline: /noop) in turn at the same rate; ${rounds} rounds of ${measureMs / 1000} s after 3 s warm-up, the two variants side by side in two worker threads, each with its own host and supervisor`,
        `hang plugin: the host's default time limit (10 s), default breaker (opens after 5 failures, 30 s cooldown); over the hang phases ${sum('calls')} calls ran, ${sum('timeouts')} timed out, ${sum('rejected')} were refused by the open breaker, ${sum('answers')} "doesn't work right now" answers`,
        `other chats' p99 per run: ${phases.map((p) => `${p.hang ? 'hang' : 'no hang'} ${new Percentiles(p.phase.others).at(0.99).toFixed(2)} ms`).join(', ')}; the ratio is the geometric mean of each round's (${roundRatios.map((r) => r.toFixed(3)).join(', ')}); the p50/p99 figures pool every round`,
      ],
    };
  },
};

/** One variant of the hang scenario in a worker thread: ready once set up, done once it has reported. */
class HangWorker {
  readonly ready: Promise<void>;
  readonly done: Promise<HangPhase>;
  private readonly worker: Worker;

  constructor(data: HangWorkerData) {
    this.worker = new Worker(new URL('./plugin-hang-worker.js', import.meta.url), { workerData: data });
    let onReady!: () => void;
    let onDone!: (phase: HangPhase) => void;
    let onError!: (err: Error) => void;
    this.ready = new Promise<void>((resolve) => (onReady = resolve));
    this.done = new Promise<HangPhase>((resolve, reject) => {
      onDone = resolve;
      onError = reject;
    });
    // A thread that fails before it is ready fails the round through `done`; `ready` must not hang it.
    this.ready = Promise.race([this.ready, this.done.then(() => undefined)]);
    this.done.catch(() => undefined);
    this.worker.on('error', onError);
    this.worker.on('exit', (code) => onError(new Error(`the hang worker exited (code ${code}) before reporting`)));
    this.worker.on('message', (event: HangWorkerEvent) => (event.type === 'ready' ? onReady() : onDone(event.phase)));
  }

  go(message: HangWorkerGo): void {
    this.worker.postMessage(message);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
