import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api } from 'grammy';
import { MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import { BotApiEmulator } from '../src/sandbox/index.js';
import { TelegramSender } from '../src/telegram/index.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

/** Sends a message and resolves with when it was delivered (ms), or rejects. */
type Send = (chatId: number, text: string) => Promise<unknown>;

interface EgressRun {
  quietP50Ms: number;
  quietP99Ms: number;
  quietDelivered: number;
  quietTotal: number;
  floodAnswers: number;
  /** Largest number of messages waiting inside the client at once. */
  maxQueued: number;
  refused: number;
}

const QUIET_CHATS = 60;
const PER_QUIET_CHAT = 3;
const FLOOD_MESSAGES = 400;

/**
 * One busy group floods 400 replies at once while 60 private chats each have
 * 3 to send, against the Bot API emulator with Telegram's limits (1/s per
 * private chat, 20/min per group, 30/s overall) and one injected 429
 * (retry_after 3 s) on a private chat. Compares our sender with grammY's
 * usual stack (transformer-throttler + auto-retry): how fast the quiet chats
 * get through, how many 429s Telegram had to answer, and how much waits in
 * memory.
 */
async function measure(ctx: BenchContext, label: string, windowMs: number, makeSend: (emulator: BotApiEmulator, queued: () => number) => { send: Send; queued: () => number; close(): Promise<void> }): Promise<EgressRun> {
  const emulator = await BotApiEmulator.start();
  for (let c = 1; c <= QUIET_CHATS; c++) emulator.injectMessage({ chatId: c, from: { id: c, firstName: 'q' }, text: 'hi' });
  emulator.injectMessage({ chatId: -1, chatType: 'supergroup', from: { id: 9, firstName: 'flood' }, text: 'hi' });
  emulator.injectFault({ kind: '429', target: 'sendMessage', retryAfterS: 3 });
  let inFlight = 0;
  const client = makeSend(emulator, () => inFlight);
  let maxQueued = 0;
  let refused = 0;
  const started = Date.now();
  const latencies: number[] = [];
  const track = (promise: Promise<unknown>, quiet: boolean): void => {
    inFlight++;
    promise.then(
      () => {
        inFlight--;
        if (quiet) latencies.push(Date.now() - started);
      },
      () => {
        inFlight--;
        refused++;
      },
    );
  };
  // The 429 lands on the first quiet chat's first message.
  track(client.send(1, 'quiet 1/0'), true);
  for (let i = 0; i < FLOOD_MESSAGES; i++) track(client.send(-1, `flood ${i}`), false);
  for (let round = 0; round < PER_QUIET_CHAT; round++) {
    for (let c = 1; c <= QUIET_CHATS; c++) if (!(c === 1 && round === 0)) track(client.send(c, `quiet ${c}/${round}`), true);
  }
  const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, client.queued())), 20);
  while (Date.now() - started < windowMs && latencies.length < QUIET_CHATS * PER_QUIET_CHAT) {
    ctx.progress(`egress ${label}: ${latencies.length}/${QUIET_CHATS * PER_QUIET_CHAT} quiet messages delivered`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  clearInterval(sampler);
  const refusedInWindow = refused;
  const floodAnswers = emulator.stats().floodRejections + emulator.stats().faults['429'];
  await client.close();
  await emulator.close();
  latencies.sort((a, b) => a - b);
  const total = QUIET_CHATS * PER_QUIET_CHAT;
  // Undelivered quiet messages count as the whole window.
  const at = (q: number): number => latencies[Math.floor(q * total)] ?? windowMs;
  return { quietP50Ms: at(0.5), quietP99Ms: at(0.99), quietDelivered: latencies.length, quietTotal: total, floodAnswers, maxQueued, refused: refusedInWindow };
}

export const scenario: Scenario = {
  name: 'egress',
  description: 'Telegram sender under a flood: our fair bounded queue vs transformer-throttler + auto-retry, through the Bot API emulator with real limits',
  async run(ctx): Promise<ScenarioResult> {
    const windowMs = ctx.quick ? 20_000 : 40_000;
    const ours = await measure(ctx, 'lekha', windowMs, (emulator) => {
      const sender = new TelegramSender({ api: new Api(emulator.token, { apiRoot: emulator.apiRoot }), clock: new SystemClock(), metrics: new MetricsRegistry(), maxQueuedPerChat: 100 });
      return { send: (chatId, text) => sender.sendReply(chatId, text), queued: () => sender.stats().queued, close: () => sender.close({ deadlineMs: 0 }) };
    });
    const theirs = await measure(ctx, 'throttler', windowMs, (emulator, queued) => {
      const api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
      api.config.use(apiThrottler());
      api.config.use(autoRetry({ maxRetryAttempts: 5 }));
      return { send: (chatId, text) => api.sendMessage(chatId, text), queued, close: async () => undefined };
    });
    const metrics = (run: EgressRun): Record<string, number> => ({
      quiet_chat_latency_p50_ms: run.quietP50Ms,
      quiet_chat_latency_p99_ms: run.quietP99Ms,
      quiet_messages_delivered: run.quietDelivered,
      flood_429_answers: run.floodAnswers,
      max_waiting_messages: run.maxQueued,
      refused_messages: run.refused,
    });
    return {
      results: metrics(ours),
      baseline: metrics(theirs),
      targets: { quiet_chat_latency_p99_ms: { '<=': theirs.quietP99Ms }, flood_429_answers: { '<=': theirs.floodAnswers } },
      notes: [
        `${QUIET_CHATS} private chats × ${PER_QUIET_CHAT} messages and one group flooding ${FLOOD_MESSAGES}, sent at once; one injected 429 (retry_after 3 s) on a private chat; ${windowMs / 1000} s window`,
        'ours: per-chat queue bounded at 100 (the flood beyond it is refused and counted); throttler: every message waits in memory',
      ],
    };
  },
};
