/*
 * Worker thread of the e2e bench: runs the Bot API and Groq emulators and the
 * load generator on their own event loop (and core), so the bot under test
 * has the main thread to itself. Measures update→reply latency here, where
 * both ends are seen, and how busy this thread was, so a step the generator
 * could not keep up with is recognised as such and not blamed on the bot.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { BotApiEmulator, GroqEmulator, SeededRandom } from '../src/sandbox/index.js';

export interface EmulatorWorkerData {
  chats: number;
  zipfS: number;
  addressedRatio: number;
  llmLatencyMs: number;
  seed: number;
}

/**
 * What one step offers: `zipf` spreads `rate` updates/s over the chats by
 * Zipf popularity; `mixed` floods one chat at `floodRate` while each of
 * `quietChats` chats sends one message every `quietIntervalMs`.
 */
export type Load =
  | { kind: 'zipf'; rate: number }
  | {
      kind: 'mixed';
      floodRate: number;
      floodAddressedRatio: number;
      quietChats: number;
      quietIntervalMs: number;
      /** False: the quiet chats only chat among themselves (to bring their actors up before measuring). */
      quietAddressed: boolean;
    };

export type WorkerCommand =
  { type: 'step'; load: Load; durationMs: number } | { type: 'status' } | { type: 'report' } | { type: 'close' };

/** Which traffic a trigger belongs to. */
export type TriggerGroup = 'zipf' | 'flood' | 'quiet';

export interface GroupReport {
  triggers: number;
  /** update→reply latency (ms) of each answered trigger injected during the step. */
  latencies: number[];
  /** Age (ms) at report time of each trigger injected during the step and still unanswered. */
  unansweredAges: number[];
}

export interface StepReport {
  injected: number;
  /** Injection time actually taken (ms): the step's length as the generator ran it. */
  injectMs: number;
  groups: Record<TriggerGroup, GroupReport>;
  repliesSent: number;
  /** Share of the injection time this thread was busy (generator + both emulators). */
  workerBusy: number;
  workerEventLoopP99Ms: number;
}

export type WorkerEvent =
  | { type: 'ready'; token: string; apiRoot: string; groqBaseUrl: string; groqKey: string }
  | { type: 'step-done'; injected: number }
  | { type: 'status'; unanswered: number }
  | { type: 'report'; report: StepReport }
  | { type: 'closed' };

interface Trigger {
  messageId: number;
  injectedAt: number;
  step: number;
  group: TriggerGroup;
}

const FLOOD_CHAT_ID = -999_999;
const MEMBERS = 1000;
const QUIET_CHAT_BASE = -3_000_000;

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
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let step = 0;
let injected = 0;
let injectMs = 0;
let repliesSent = 0;
let workerBusy = 0;
let workerEventLoopP99Ms = 0;
let groups = emptyGroups();

botApi.onSent = (sent) => {
  repliesSent++;
  const waiting = pendingTriggers.get(sent.chatId);
  if (waiting === undefined || sent.replyToMessageId === undefined) return;
  // A reply answers its trigger and every earlier trigger of the chat still waiting (coalesced).
  let answered = 0;
  while (answered < waiting.length && (waiting[answered] as Trigger).messageId <= sent.replyToMessageId) {
    const trigger = waiting[answered] as Trigger;
    if (trigger.step === step) groups[trigger.group].latencies.push(sent.atMs - trigger.injectedAt);
    answered++;
  }
  waiting.splice(0, answered);
};

function emptyGroups(): Record<TriggerGroup, GroupReport> {
  const group = (): GroupReport => ({ triggers: 0, latencies: [], unansweredAges: [] });
  return { zipf: group(), flood: group(), quiet: group() };
}

function inject(chatId: number, addressed: boolean, group: TriggerGroup): void {
  const text = addressed ? `Лёха, что скажешь про ${injected}?` : `сообщение ${injected} в чате ${chatId}`;
  const { message } = botApi.injectMessage({
    chatId,
    chatType: 'supergroup',
    // Enough members that the per-member reply budget (5 at once, 4 a minute) leaves no trigger unanswered.
    from: { id: 10 + Math.floor(random.next() * MEMBERS), firstName: 'Bench' },
    text,
  });
  injected++;
  if (!addressed) return;
  groups[group].triggers++;
  let waiting = pendingTriggers.get(chatId);
  if (waiting === undefined) {
    waiting = [];
    pendingTriggers.set(chatId, waiting);
  }
  waiting.push({ messageId: message.message_id, injectedAt: Date.now(), step, group });
}

/** Open-loop injection for `durationMs`, in 5 ms ticks: each tick catches up with what is due by then. */
async function runStep(load: Load, durationMs: number): Promise<number> {
  step++;
  injected = 0;
  repliesSent = 0;
  groups = emptyGroups();
  loopDelay.reset();
  const busyFrom = performance.eventLoopUtilization();
  const started = performance.now();
  let dueFlood = 0;
  let dueQuiet = 0;
  for (;;) {
    const elapsedS = (performance.now() - started) / 1000;
    if (elapsedS * 1000 >= durationMs) break;
    if (load.kind === 'zipf') {
      for (const target = Math.floor(elapsedS * load.rate); dueFlood < target; dueFlood++) {
        const chatIndex = sample(cdf, random.next());
        inject(-(1_000_000 + chatIndex), random.next() < data.addressedRatio, 'zipf');
      }
    } else {
      for (const target = Math.floor(elapsedS * load.floodRate); dueFlood < target; dueFlood++)
        inject(FLOOD_CHAT_ID, random.next() < load.floodAddressedRatio, 'flood');
      // Round robin: each quiet chat sends once per interval, the chats' turns spread evenly over it.
      const quietRate = (load.quietChats * 1000) / load.quietIntervalMs;
      for (const target = Math.floor(elapsedS * quietRate); dueQuiet < target; dueQuiet++)
        inject(QUIET_CHAT_BASE - (dueQuiet % load.quietChats), load.quietAddressed, 'quiet');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  injectMs = performance.now() - started;
  // What fell due in the last tick: a tick late on a busy machine must not read as a generator short of its rate.
  const durationS = durationMs / 1000;
  if (load.kind === 'zipf') {
    for (const target = Math.floor(durationS * load.rate); dueFlood < target; dueFlood++)
      inject(-(1_000_000 + sample(cdf, random.next())), random.next() < data.addressedRatio, 'zipf');
  }
  workerBusy = performance.eventLoopUtilization(busyFrom).utilization;
  workerEventLoopP99Ms = loopDelay.percentile(99) / 1e6;
  return injected;
}

function unanswered(): number {
  let n = 0;
  for (const waiting of pendingTriggers.values()) for (const t of waiting) if (t.step === step) n++;
  return n;
}

function report(): StepReport {
  const now = Date.now();
  for (const waiting of pendingTriggers.values())
    for (const t of waiting) if (t.step === step) groups[t.group].unansweredAges.push(now - t.injectedAt);
  return { injected, injectMs, groups, repliesSent, workerBusy, workerEventLoopP99Ms };
}

port.on('message', (command: WorkerCommand) => {
  switch (command.type) {
    case 'step':
      void runStep(command.load, command.durationMs).then((n) =>
        port.postMessage({ type: 'step-done', injected: n } satisfies WorkerEvent),
      );
      return;
    case 'status':
      port.postMessage({ type: 'status', unanswered: unanswered() } satisfies WorkerEvent);
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
