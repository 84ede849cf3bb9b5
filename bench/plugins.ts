import { BUILTIN_PLUGINS, definePlugin } from '../src/plugins/index.js';
import { Percentiles } from './percentiles.js';
import { type HangPhase, runHangPhase } from './plugin-hang.js';
import { measureOverhead } from './plugin-overhead.js';
import type { Scenario, ScenarioResult } from './report.js';

/** A third-party plugin as small as one can be: its command answers a fixed text at once. */
const noopPlugin = definePlugin({
  name: 'noop',
  version: '1.0.0',
  kind: 'command',
  description: 'Answers at once',
  setup(p) {
    p.command('noop', () => 'ok', { description: 'answer at once' });
  },
});

/** A plugin whose command never finishes and ignores its abort signal: only the host's time limit ends a call. */
const hangPlugin = definePlugin({
  name: 'hang',
  version: '1.0.0',
  kind: 'command',
  description: 'Never answers',
  setup(p) {
    p.command('hang', () => new Promise<string>(() => undefined), { description: 'never answer' });
  },
});

const PLUGINS: readonly unknown[] = [...BUILTIN_PLUGINS, noopPlugin, hangPlugin];
const OTHER_CHATS = 200;
const UPDATES_PER_CHAT_PER_S = 5;

export const scenario: Scenario = {
  name: 'plugins',
  description:
    'a no-op plugin command vs the built-in /start end to end through the chat actors; other chats’ reply p99 while one chat’s plugin hangs',
  async run({ quick, progress }): Promise<ScenarioResult> {
    const probes = await measureOverhead({
      plugins: PLUGINS,
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

    // Without (A) and with (B) the hang, in ABBA order so drift in the machine's load falls on both alike.
    const order = quick ? [false, true, true, false] : [false, true, true, false, false, true, true, false];
    const measureMs = quick ? 10_000 : 20_000;
    const phases: Array<{ hang: boolean; phase: HangPhase }> = [];
    for (const [i, hang] of order.entries()) {
      progress(`plugins: hang phase ${i + 1}/${order.length} (${hang ? 'one chat’s plugin hangs' : 'no hang'})`);
      globalThis.gc?.();
      const phase = await runHangPhase({
        plugins: PLUGINS,
        oddCommand: hang ? '/hang' : '/noop',
        oddPlugin: hang ? 'hang' : 'noop',
        chats: OTHER_CHATS,
        updatesPerChatPerS: UPDATES_PER_CHAT_PER_S,
        warmupMs: 2000,
        measureMs,
      });
      phases.push({ hang, phase });
    }
    const pooled = (hang: boolean) => {
      const mine = phases.filter((p) => p.hang === hang).map((p) => p.phase);
      return {
        others: new Percentiles(mine.flatMap((p) => p.others)),
        ownStarts: new Percentiles(mine.flatMap((p) => p.ownStarts)),
        unanswered: mine.reduce((sum, p) => sum + p.unanswered, 0),
        eventLoopP99Ms: Math.max(...mine.map((p) => p.eventLoopP99Ms)),
      };
    };
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
        hang_other_chats_p99_ratio: withHang.others.at(0.99) / without.others.at(0.99),
        hanging_chat_start_p99_ms: withHang.ownStarts.at(0.99),
        event_loop_p99_ms: withHang.eventLoopP99Ms,
        unanswered_commands: withHang.unanswered,
      },
      baseline: {
        hang_other_chats_p50_ms: without.others.at(0.5),
        hang_other_chats_p99_ms: without.others.at(0.99),
        hanging_chat_start_p99_ms: without.ownStarts.at(0.99),
        event_loop_p99_ms: without.eventLoopP99Ms,
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
        `hang: ${OTHER_CHATS} group chats × ${UPDATES_PER_CHAT_PER_S} updates/s (a /start, then a plain message), open loop, latency from when each update was due; one more chat sends /start and /hang (baseline: /noop) in turn at the same rate; ${order.length} phases of ${measureMs / 1000} s after 2 s warm-up (${order.map((h) => (h ? 'B' : 'A')).join('')}, B = hang), each with a fresh host and supervisor`,
        `hang plugin: the host's default time limit (10 s), default breaker (opens after 5 failures, 30 s cooldown); over the hang phases ${sum('calls')} calls ran, ${sum('timeouts')} timed out, ${sum('rejected')} were refused by the open breaker, ${sum('answers')} "doesn't work right now" answers`,
        `other chats' p99 per phase: ${phases.map((p) => `${p.hang ? 'B' : 'A'} ${new Percentiles(p.phase.others).at(0.99).toFixed(2)} ms`).join(', ')}`,
      ],
    };
  },
};
