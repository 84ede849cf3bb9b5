import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { PluginChats } from './plugin-chats.js';

export interface HangPhaseOptions {
  plugins: readonly unknown[];
  /** The command the odd chat sends every other update: one that hangs, or one that answers at once. */
  oddCommand: string;
  /** The plugin whose call figures are reported (the one behind `oddCommand`). */
  oddPlugin: string;
  chats: number;
  updatesPerChatPerS: number;
  warmupMs: number;
  measureMs: number;
}

export interface HangPhase {
  /** Other chats: from the moment each command was due to its answer reaching the egress. */
  others: number[];
  /** The odd chat's own `/start`s, sent between its odd commands. */
  ownStarts: number[];
  /** Measured commands that got no answer by the end of the drain. */
  unanswered: number;
  eventLoopP99Ms: number;
  /** Share of the measured window this thread's event loop was busy: the work the variant made, whatever the machine's load. */
  eventLoopBusy: number;
  oddCalls: { calls: number; timeouts: number; rejected: number; answers: number };
}

/** How long answers to the last commands are waited for after the window closes. */
const DRAIN_MS = 3000;

const CHATTER = ['всем привет', 'кто идёт вечером?', 'ну и погодка сегодня', 'скиньте ссылку плиз', 'ахаха, точно'];

interface Pending {
  dueMs: number;
  into: number[] | null;
}

/**
 * One phase of the hang scenario: `chats` group chats each send updates at
 * a steady rate (a `/start`, then a plain message), and one more chat sends
 * `/start` and `oddCommand` in turn at the same rate, open loop (each update
 * is due at its time whether or not earlier ones were answered). Latency is
 * counted from when an update was due, so a stalled event loop shows even
 * when it delays the sending too.
 */
export async function runHangPhase(
  options: HangPhaseOptions,
  /** Called once every chat is open; resolves to when (`performance.now()`) the first update is due. */
  ready: () => Promise<number>,
): Promise<HangPhase> {
  const pending = new Map<number, Pending>();
  let oddAnswers = 0;
  const oddChatId = -1_000_000_000_000;
  const chats = await PluginChats.create(options.plugins, (chatId, replyTo, atMs) => {
    const entry = pending.get(replyTo);
    if (entry === undefined) return;
    pending.delete(replyTo);
    if (entry.into === null) oddAnswers++;
    else entry.into.push(atMs - entry.dueMs);
  });
  const chatIds = Array.from({ length: options.chats }, (_, i) => oddChatId - 1 - i);
  for (const chatId of [oddChatId, ...chatIds]) await chats.open(chatId);

  const others: number[] = [];
  const ownStarts: number[] = [];
  const otherGapMs = 1000 / (options.chats * options.updatesPerChatPerS);
  const oddGapMs = 1000 / options.updatesPerChatPerS;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const t0 = await ready();
  const measureFrom = t0 + options.warmupMs;
  const end = measureFrom + options.measureMs;
  let k = 0;
  let j = 0;
  let measuring = false;
  let busyFrom: EventLoopUtilization | null = null;
  const sendDue = (now: number): void => {
    for (let due = t0 + k * otherGapMs; due <= now && due < end; due = t0 + ++k * otherGapMs) {
      const round = Math.floor(k / options.chats);
      const chatId = chatIds[k % options.chats]!;
      if (round % 2 === 1) {
        chats.send(chatId, round, CHATTER[round % CHATTER.length]!);
        continue;
      }
      const messageId = chats.send(chatId, round, '/start');
      pending.set(messageId, { dueMs: due, into: due >= measureFrom ? others : [] });
    }
    for (let due = t0 + j * oddGapMs; due <= now && due < end; due = t0 + ++j * oddGapMs) {
      const own = j % 2 === 1;
      const messageId = chats.send(oddChatId, j, own ? '/start' : options.oddCommand);
      pending.set(messageId, { dueMs: due, into: own ? (due >= measureFrom ? ownStarts : []) : null });
    }
  };
  loop.enable();
  try {
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = performance.now();
        if (!measuring && now >= measureFrom) {
          measuring = true;
          loop.reset();
          busyFrom = performance.eventLoopUtilization();
        }
        sendDue(now);
        if (now >= end) resolve();
        else setTimeout(tick, 1);
      };
      setTimeout(tick, 1);
    });
    const eventLoopP99Ms = loop.percentile(99) / 1e6;
    const eventLoopBusy = performance.eventLoopUtilization(busyFrom ?? undefined).utilization;
    loop.disable();
    const drainUntil = performance.now() + DRAIN_MS;
    const waitingFor = (): number =>
      [...pending.values()].filter((p) => p.into !== null && p.dueMs >= measureFrom).length;
    while (waitingFor() > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
    const stats = chats.host.get(options.oddPlugin).invoker.metrics.stats();
    return {
      others,
      ownStarts,
      unanswered: waitingFor(),
      eventLoopP99Ms,
      eventLoopBusy,
      oddCalls: { calls: stats.calls, timeouts: stats.timeouts, rejected: stats.rejected, answers: oddAnswers },
    };
  } finally {
    loop.disable();
    // Hung calls are abandoned here rather than waited out: the next phase starts clean.
    await chats.stop(100);
  }
}
