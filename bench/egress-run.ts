/*
 * Worker thread of the egress bench: one sender variant against its own Bot
 * API emulator. It runs in a worker so the main thread can end it outright:
 * the throttler keeps its (unbounded) queue and timers alive for minutes after
 * the measuring window, with no way to stop them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api } from 'grammy';
import { MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import { BotApiEmulator } from '../src/sandbox/index.js';
import { TelegramSender } from '../src/telegram/index.js';

export interface EgressWorkerData {
  variant: 'lekha' | 'throttler';
  windowMs: number;
  quietChats: number;
  perQuietChat: number;
  floodMessages: number;
}

export type EgressWorkerEvent = { type: 'progress'; message: string } | { type: 'done'; run: EgressRun };

/** Sends a message and resolves with when it was delivered (ms), or rejects. */
type Send = (chatId: number, text: string) => Promise<unknown>;

export interface EgressRun {
  quietP50Ms: number;
  quietP99Ms: number;
  quietDelivered: number;
  quietTotal: number;
  floodAnswers: number;
  /** Largest number of messages waiting inside the client at once. */
  maxQueued: number;
  refused: number;
}

const {
  variant,
  windowMs,
  quietChats: QUIET_CHATS,
  perQuietChat: PER_QUIET_CHAT,
  floodMessages: FLOOD_MESSAGES,
} = workerData as EgressWorkerData;

/**
 * One busy group floods 400 replies at once while 60 private chats each have
 * 3 to send, against the Bot API emulator with Telegram's limits (1/s per
 * private chat, 20/min per group, 30/s overall) and one injected 429
 * (retry_after 3 s) on a private chat. Compares our sender with grammY's
 * usual stack (transformer-throttler + auto-retry): how fast the quiet chats
 * get through, how many 429s Telegram had to answer, and how much waits in
 * memory.
 */
async function measure(
  progress: (message: string) => void,
  label: string,
  windowMs: number,
  makeSend: (
    emulator: BotApiEmulator,
    queued: () => number,
  ) => { send: Send; queued: () => number; close(): Promise<void> },
): Promise<EgressRun> {
  const emulator = await BotApiEmulator.start();
  for (let c = 1; c <= QUIET_CHATS; c++)
    emulator.injectMessage({ chatId: c, from: { id: c, firstName: 'q' }, text: 'hi' });
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
    for (let c = 1; c <= QUIET_CHATS; c++)
      if (!(c === 1 && round === 0)) track(client.send(c, `quiet ${c}/${round}`), true);
  }
  const sampler = setInterval(() => (maxQueued = Math.max(maxQueued, client.queued())), 20);
  while (Date.now() - started < windowMs && latencies.length < QUIET_CHATS * PER_QUIET_CHAT) {
    progress(`egress ${label}: ${latencies.length}/${QUIET_CHATS * PER_QUIET_CHAT} quiet messages delivered`);
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
  return {
    quietP50Ms: at(0.5),
    quietP99Ms: at(0.99),
    quietDelivered: latencies.length,
    quietTotal: total,
    floodAnswers,
    maxQueued,
    refused: refusedInWindow,
  };
}

const port = parentPort;
if (port === null) throw new Error('egress-run must run as a worker thread');
const progress = (message: string): void => port.postMessage({ type: 'progress', message } satisfies EgressWorkerEvent);
const run =
  variant === 'lekha'
    ? await measure(progress, 'lekha', windowMs, (emulator) => {
        const sender = new TelegramSender({
          api: new Api(emulator.token, { apiRoot: emulator.apiRoot }),
          clock: new SystemClock(),
          metrics: new MetricsRegistry(),
          maxQueuedPerChat: 100,
        });
        return {
          send: (chatId, text) => sender.sendReply(chatId, text),
          queued: () => sender.stats().queued,
          close: () => sender.close({ deadlineMs: 0 }),
        };
      })
    : await measure(progress, 'throttler', windowMs, (emulator, queued) => {
        const api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
        api.config.use(apiThrottler());
        api.config.use(autoRetry({ maxRetryAttempts: 5 }));
        return { send: (chatId, text) => api.sendMessage(chatId, text), queued, close: async () => undefined };
      });
port.postMessage({ type: 'done', run } satisfies EgressWorkerEvent);
