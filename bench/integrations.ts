import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BUILTIN_PLUGINS, INTEGRATION_PLUGINS } from '../src/plugins/index.js';
import { INTEGRATION_COMMANDS } from './integration-commands.js';
import { Percentiles } from './percentiles.js';
import { PluginChats } from './plugin-chats.js';
import type { Scenario, ScenarioResult } from './report.js';
import { UpstreamThread } from './upstream-thread.js';

const UPSTREAM_LATENCY_MS = 100;
const COMMANDS_PER_S = 1000;
const INTEGRATION_CHATS = 500;
const QUIET_CHATS = 100;
const QUIET_PER_S = 200;
/** The share of measured commands asking for something not yet cached (a new place, coin, title). */
const COLD_SHARE = 0.1;

/** One command sent, and when (performance.now()). */
interface Sent {
  atMs: number;
  kind: 'warm' | 'cold' | 'quiet';
}

/**
 * 1,000 integration commands a second spread over the integrations, against
 * their emulators answering after 100 ms (in a thread of their own, as the
 * real APIs are elsewhere), through real chat actors and the
 * plugin host as the wiring builds them; quiet chats that use no integration
 * talk alongside. Measures reply latency (update in → answer to the egress),
 * upstream calls per command with the caches warm, and the quiet chats'
 * reply p99 with the integrations busy against without.
 */
export const scenario: Scenario = {
  name: 'integrations',
  description: `${COMMANDS_PER_S} integration commands/s against emulators with ${UPSTREAM_LATENCY_MS} ms latency; quiet chats alongside`,
  async run({ quick, progress }): Promise<ScenarioResult> {
    const measureS = quick ? 10 : 30;
    const upstreams = await UpstreamThread.start(UPSTREAM_LATENCY_MS);
    // Demo credentials included (the emulated TMDB wants a key), as sandbox mode runs them.
    const sent = new Map<number, Sent>();
    const latencies = { warm: [] as number[], cold: [] as number[], quiet: [] as number[] };
    let answered = 0;
    const chats = await PluginChats.create(
      [...BUILTIN_PLUGINS, ...INTEGRATION_PLUGINS],
      (_chatId, replyTo, atMs) => {
        const asked = sent.get(replyTo);
        if (asked === undefined) return;
        sent.delete(replyTo);
        answered++;
        latencies[asked.kind].push(atMs - asked.atMs);
      },
      { ...upstreams.sandboxEnv(), ...INTEGRATION_COMMANDS.env },
    );
    const integrationChats = Array.from({ length: INTEGRATION_CHATS }, (_, i) => -2_000_000_000_000 - i);
    const quietChats = Array.from({ length: QUIET_CHATS }, (_, i) => -3_000_000_000_000 - i);
    try {
      for (const chatId of [...integrationChats, ...quietChats]) await chats.open(chatId);
      const send = (chatId: number, member: number, text: string, kind: Sent['kind']) => {
        const messageId = chats.send(chatId, member, text);
        sent.set(messageId, { atMs: performance.now(), kind });
      };
      const { warm, cold } = INTEGRATION_COMMANDS;

      // Baseline: the quiet chats beside the same rate of a built-in command that calls no upstream.
      progress(`integrations: quiet chats beside ${COMMANDS_PER_S} built-in commands/s`);
      await Promise.all([
        paced(COMMANDS_PER_S, measureS, (i) => send(integrationChats[i % INTEGRATION_CHATS]!, i, '/help', 'warm')),
        paced(QUIET_PER_S, measureS, (i) => send(quietChats[i % QUIET_CHATS]!, i, '/start', 'quiet')),
      ]);
      await drained(() => sent.size, 5000);
      const alone = new Percentiles(latencies.quiet);
      latencies.quiet = [];
      latencies.warm = [];

      // Warm the caches: every warm command once, a few at a time.
      progress(`integrations: warming ${warm.length} commands`);
      for (let i = 0; i < warm.length; i += 20) {
        warm
          .slice(i, i + 20)
          .forEach((text, j) => send(integrationChats[(i + j) % INTEGRATION_CHATS]!, i + j, text, 'warm'));
        await drained(() => sent.size, 10_000);
      }
      latencies.warm = [];
      const before = (await upstreams.stats()).requests;

      progress(`integrations: ${COMMANDS_PER_S} commands/s for ${measureS} s with quiet chats alongside`);
      let coldAt = 0;
      let measured = 0;
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      await Promise.all([
        paced(COMMANDS_PER_S, measureS, (i) => {
          const chatId = integrationChats[i % INTEGRATION_CHATS]!;
          measured++;
          // Every tenth command (COLD_SHARE) asks for something new, the rest for what is cached.
          if (i % Math.round(1 / COLD_SHARE) === 0 && coldAt < cold.length) send(chatId, i, cold[coldAt++]!, 'cold');
          else send(chatId, i, warm[i % warm.length]!, 'warm');
        }),
        paced(QUIET_PER_S, measureS, (i) => send(quietChats[i % QUIET_CHATS]!, i, '/start', 'quiet')),
      ]);
      loop.disable();
      const unanswered = await drained(() => sent.size, 15_000);
      const after = (await upstreams.stats()).requests;
      const upstreamCalls = Object.keys(after).reduce((sum, api) => sum + (after[api]! - (before[api] ?? 0)), 0);

      const all = new Percentiles([...latencies.warm, ...latencies.cold]);
      const hits = new Percentiles(latencies.warm);
      const misses = new Percentiles(latencies.cold);
      const busy = new Percentiles(latencies.quiet);
      return {
        results: {
          integration_reply_p99_ms: all.at(0.99),
          cache_hit_reply_p99_ms: hits.at(0.99),
          cache_miss_reply_p99_ms: misses.at(0.99),
          upstream_calls_per_command: upstreamCalls / measured,
          quiet_chat_reply_p99_ratio: busy.at(0.99) / alone.at(0.99),
          quiet_chat_reply_p99_ms: busy.at(0.99),
          commands_per_s: measured / measureS,
          cache_hit_reply_p50_ms: hits.at(0.5),
          event_loop_p99_ms: loop.percentile(99) / 1e6,
          event_loop_max_ms: loop.max / 1e6,
          unanswered,
        },
        targets: {
          integration_reply_p99_ms: { '<=': 400 },
          cache_hit_reply_p99_ms: { '<=': 20 },
          upstream_calls_per_command: { '<=': 0.3 },
          quiet_chat_reply_p99_ratio: { '<=': 1.5 },
          unanswered: { '<=': 0 },
        },
        notes: [
          `${INTEGRATION_CHATS} chats send integration commands (${warm.length} cached ones, ${Math.round(COLD_SHARE * 100)}% new ones), ${QUIET_CHATS} quiet chats send /start at ${QUIET_PER_S}/s`,
          `quiet chats' reply p99 beside ${COMMANDS_PER_S} built-in commands/s (no upstream) ${alone.at(0.99).toFixed(2)} ms: the ratio is what the integrations add; answered ${answered} replies in all`,
          `upstream calls by API: ${Object.keys(after)
            .map((api) => `${api} ${after[api]! - (before[api] ?? 0)}`)
            .join(', ')}`,
        ],
      };
    } finally {
      await chats.stop(2000);
      await upstreams.close();
    }
  },
};

/** Calls `each(i)` `perS` times a second for `seconds`, in 10 ms ticks (an open loop: it never waits for answers). */
async function paced(perS: number, seconds: number, each: (i: number) => void): Promise<void> {
  const started = performance.now();
  const total = perS * seconds;
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perS));
    for (; i < due; i++) each(i);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until nothing is outstanding or `limitMs` passed; returns how many are still outstanding. */
async function drained(outstanding: () => number, limitMs: number): Promise<number> {
  const deadline = performance.now() + limitMs;
  while (outstanding() > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return outstanding();
}
