/*
 * Worker thread of the e2e bench: runs the Bot API and Groq emulators and the
 * load generator on their own event loop (and core), so the bot under test
 * has the main thread to itself. Measures update→reply latency here, where
 * both ends are seen.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BotApiEmulator, GroqEmulator, SeededRandom } from '../src/sandbox/index.js';

export interface EmulatorWorkerData {
  chats: number;
  zipfS: number;
  addressedRatio: number;
  llmLatencyMs: number;
  seed: number;
}

export type WorkerCommand = { type: 'step'; rate: number; durationMs: number } | { type: 'report' } | { type: 'close' };

export interface StepReport {
  injected: number;
  triggers: number;
  /** update→reply latency of each answered trigger injected during the step (ms). */
  latencies: number[];
  unanswered: number;
  repliesSent: number;
}

export type WorkerEvent =
  | { type: 'ready'; token: string; apiRoot: string; groqBaseUrl: string; groqKey: string }
  | { type: 'step-done'; injected: number }
  | { type: 'report'; report: StepReport }
  | { type: 'closed' };

interface Trigger {
  messageId: number;
  injectedAt: number;
  step: number;
}

const data = workerData as EmulatorWorkerData;
const port = parentPort;
if (port === null) throw new Error('e2e-emulators must run as a worker thread');

const botApi = await BotApiEmulator.start({
  limits: false,
  bot: { username: 'lekha_bench_bot' },
  keepMessagesPerChat: 20,
});
const groq = await GroqEmulator.start({ latency: data.llmLatencyMs });
const random = new SeededRandom(data.seed);
const cdf = zipfCdf(data.chats, data.zipfS);
const pendingTriggers = new Map<number, Trigger[]>();
let step = 0;
let injected = 0;
let triggers = 0;
let latencies: number[] = [];
let repliesSent = 0;

botApi.onSent = (sent) => {
  repliesSent++;
  const waiting = pendingTriggers.get(sent.chatId);
  if (waiting === undefined || sent.replyToMessageId === undefined) return;
  // A reply answers its trigger and every earlier trigger of the chat still waiting (coalesced).
  let answered = 0;
  while (answered < waiting.length && (waiting[answered] as Trigger).messageId <= sent.replyToMessageId) {
    const trigger = waiting[answered] as Trigger;
    if (trigger.step === step) latencies.push(sent.atMs - trigger.injectedAt);
    answered++;
  }
  waiting.splice(0, answered);
};

function injectOne(): void {
  const chatIndex = sample(cdf, random.next());
  const chatId = -(1_000_000 + chatIndex);
  const addressed = random.next() < data.addressedRatio;
  const text = addressed ? `Лёха, что скажешь про ${injected}?` : `сообщение ${injected} в чате ${chatIndex}`;
  const { message } = botApi.injectMessage({
    chatId,
    chatType: 'supergroup',
    from: { id: 10 + (injected % 50), firstName: 'Bench' },
    text,
  });
  injected++;
  if (!addressed) return;
  triggers++;
  let waiting = pendingTriggers.get(chatId);
  if (waiting === undefined) {
    waiting = [];
    pendingTriggers.set(chatId, waiting);
  }
  waiting.push({ messageId: message.message_id, injectedAt: Date.now(), step });
}

/** Open-loop injection at `rate` per second for `durationMs`, in 5 ms ticks. */
async function runStep(rate: number, durationMs: number): Promise<number> {
  step++;
  injected = 0;
  triggers = 0;
  latencies = [];
  repliesSent = 0;
  const started = performance.now();
  let due = 0;
  while (performance.now() - started < durationMs) {
    const target = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; due < target; due++) injectOne();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return injected;
}

function report(): StepReport {
  let unanswered = 0;
  for (const waiting of pendingTriggers.values()) for (const t of waiting) if (t.step === step) unanswered++;
  return { injected, triggers, latencies, unanswered, repliesSent };
}

port.on('message', (command: WorkerCommand) => {
  switch (command.type) {
    case 'step':
      void runStep(command.rate, command.durationMs).then((n) =>
        port.postMessage({ type: 'step-done', injected: n } satisfies WorkerEvent),
      );
      return;
    case 'report':
      port.postMessage({ type: 'report', report: report() } satisfies WorkerEvent);
      return;
    case 'close':
      void Promise.all([botApi.close(), groq.close()]).then(() =>
        port.postMessage({ type: 'closed' } satisfies WorkerEvent),
      );
      return;
  }
});
port.postMessage({
  type: 'ready',
  token: botApi.token,
  apiRoot: botApi.apiRoot,
  groqBaseUrl: groq.baseURL,
  groqKey: groq.apiKey,
} satisfies WorkerEvent);

function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / sum;
  return cdf;
}

function sample(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
