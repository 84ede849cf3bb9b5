import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize } from '@grammyjs/runner';
import { type Api, Bot } from 'grammy';
import { toIncomingMessage } from '../src/actors/index.js';
import {
  BotAddress,
  type ChatState,
  completeReply,
  createChatState,
  prepareReply,
  processMessage,
  type PipelineContext,
  reviewReply,
  RuleBook,
  Vocabulary,
} from '../src/chat/index.js';
import { createLogger, loadConfig } from '../src/config/index.js';
import { LlmGateway } from '../src/llm/index.js';
import { startRuntime } from '../src/main.js';
import { type Counter, MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import { ALLOWED_UPDATES, type BotIdentity, telegramMessageSchema } from '../src/telegram/index.js';
import type { EmulatorWorkerData, Load, StepReport, WorkerCommand, WorkerEvent } from './e2e-emulators.js';
import { Percentiles } from './percentiles.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

const LLM_LATENCY_MS = 300;
const ADDRESSED_RATIO = 0.05;
const ZIPF_S = 1;
/** A step is sustained when this share of its updates is processed by the end of the drain… */
const PROCESSED_SHARE = 0.99;
/** …at most this share of its triggers is still unanswered… */
const UNANSWERED_SHARE = 0.01;
/**
 * …and update→reply overhead stays under this at p95. (p95, not p99: a step
 * has a few dozen triggers, so its p99 is its single slowest one, and one
 * scheduling hiccup on a shared machine would end the ramp. p99 is reported.)
 */
const MAX_OVERHEAD_P95_MS = 1000;
/** The ramp: first step's offered updates/s, and the factor from one step to the next. */
const START_RATE = 100;
const RAMP_FACTOR = 1.5;
/** A low-rate step first, not counted: JIT, connections and chat actors warm. */
const WARM_UP_MS = 2000;
/**
 * The emulator thread busier than this share of a step, or sending under this
 * share of the offered rate, means the generator (not the bot) may be what limits.
 */
const MAX_WORKER_BUSY = 0.8;
const MIN_ACHIEVED_SHARE = 0.95;
/** Mixed workload: the flooding chat's rate, and the quiet chats with how often each asks the bot something. */
const FLOOD_RATE = 200;
const QUIET_CHATS = 1000;
const QUIET_INTERVAL_MS = 10_000;
const LIMITS = { globalPerS: 1_000_000, privatePerS: 1_000_000, groupPerMin: 100_000_000 };
const LLM_OPTIONS = {
  requestsPerMinute: 10_000_000,
  tokensPerMinute: 1_000_000_000,
  maxConcurrency: 512,
  maxQueued: 100_000,
  timeoutMs: 10_000,
} as const;

interface Ready {
  token: string;
  apiRoot: string;
  groqBaseUrl: string;
  groqKey: string;
}

interface BotUnderTest {
  /** Updates that reached per-chat handling so far. */
  processed(): number;
  stop(): Promise<void>;
}

interface StepResult {
  /** Offered updates/s. */
  rate: number;
  sustained: boolean;
  /** The emulator thread was too busy to answer the bot promptly: the step says nothing about the bot. */
  generatorLimited: boolean;
  /** Updates/s the generator actually injected. */
  achievedPerS: number;
  repliesPerS: number;
  overheadP50Ms: number;
  overheadP95Ms: number;
  overheadP99Ms: number;
  eventLoopP99Ms: number;
  /** Share of the step the bot's thread was busy. */
  mainBusy: number;
  workerBusy: number;
  processedShare: number;
  unanswered: number;
  triggers: number;
}

interface MixedResult {
  quiet: Percentiles;
  quietTriggers: number;
  quietUnanswered: number;
  flood: Percentiles;
  floodTriggers: number;
  floodUnanswered: number;
  achievedPerS: number;
  workerBusy: number;
  mainBusy: number;
  eventLoopP99Ms: number;
}

/** Lekha as `lekha start` builds it (real grammY client, real groq-sdk), minus Telegram's real flood limits. */
async function startLekha(ready: Ready): Promise<BotUnderTest> {
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: ready.token,
    TELEGRAM_API_ROOT: ready.apiRoot,
    GROQ_API_KEY: ready.groqKey,
    GROQ_BASE_URL: ready.groqBaseUrl,
    GROQ_RPM: String(LLM_OPTIONS.requestsPerMinute),
    GROQ_TPM: String(LLM_OPTIONS.tokensPerMinute),
    GROQ_MAX_CONCURRENCY: String(LLM_OPTIONS.maxConcurrency),
    MAILBOX_CAPACITY: '10000',
    LOG_LEVEL: 'silent',
    // The admin surface on any free port: the bench must run next to a bot already serving the default one.
    HTTP_PORT: '0',
  });
  const metrics = new MetricsRegistry();
  const runtime = await startRuntime(config, createLogger(config, { pretty: false }), {
    persistence: null,
    metrics,
    telegramLimits: LIMITS,
    polling: { timeoutS: 1 },
  });
  const completed = metrics.get('lekha_telegram_updates_completed_total') as Counter;
  return { processed: () => completed.value, stop: async () => void (await runtime.stop()) };
}

/**
 * The standard grammY way: `@grammyjs/runner` `run()` with `sequentialize`
 * by chat id, `@grammyjs/auto-retry`, and the same handler logic (reply
 * decision, prompt, LLM gateway) awaited inside the middleware.
 */
async function startBaseline(ready: Ready): Promise<BotUnderTest> {
  const bot = new Bot(ready.token, { client: { apiRoot: ready.apiRoot } });
  bot.api.config.use(autoRetry());
  await bot.init();
  const identity: BotIdentity = {
    id: bot.botInfo.id,
    username: bot.botInfo.username,
    firstName: bot.botInfo.first_name,
    canReadAllGroupMessages: true,
  };
  const llm = new LlmGateway({
    apiKey: ready.groqKey,
    baseURL: ready.groqBaseUrl,
    models: ['llama-3.1-8b-instant'],
    ...LLM_OPTIONS,
    clock: new SystemClock(),
    metrics: new MetricsRegistry(),
  });
  // The same chat pipeline the actors run, kept per chat in a map: the baseline differs only in how it is driven.
  const states = new Map<number, ChatState>();
  const ctx: PipelineContext = {
    bot: new BotAddress({ userId: identity.id, username: identity.username }),
    vocabulary: new Vocabulary(),
    rules: new RuleBook(),
    random: Math.random,
  };
  let processed = 0;
  // Set at stop: the runner's queued backlog (a flooded chat's, thousands deep) is dropped, not worked off against closed emulators.
  let stopped = false;
  // Aborted at stop: auto-retry retries a failed call forever by default, so
  // a reply in flight when the emulators close would keep the process alive.
  // What fails after stop (those calls) is dropped by the error handler below.
  // (grammY types the signal as its abort-controller shim's; at run time it takes Node's own.)
  const inFlight = new AbortController();
  const aborted = inFlight.signal as Parameters<Api['sendMessage']>[3];
  bot.catch((error) => {
    if (!stopped) throw error; // as grammY's own handler does
  });
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.on('message', async (tg) => {
    if (stopped) return;
    processed++;
    const message = telegramMessageSchema.parse(tg.message);
    if (message.from === undefined || message.chat.type === 'channel') return;
    const chatId = message.chat.id;
    const state = states.get(chatId) ?? createChatState(chatId, message.chat.type, Date.now());
    states.set(chatId, state);
    const { decision } = processMessage(state, toIncomingMessage(message, identity.id), Date.now(), ctx);
    if (decision.kind === 'answer')
      await tg.api.sendMessage(
        chatId,
        decision.text,
        { reply_parameters: { message_id: decision.replyToMessageId, allow_sending_without_reply: true } },
        aborted,
      );
    if (decision.kind !== 'reply') return;
    let triggerId = decision.plan.triggerId;
    while (!stopped) {
      const prompt = prepareReply(state, Date.now());
      if (prompt === null) return;
      const reply = await llm.complete({ chatId, userId: decision.plan.fromId, messages: prompt.messages });
      const text = reviewReply(state, reply.text, prompt).text;
      const sent = await tg.api.sendMessage(
        chatId,
        text,
        { reply_parameters: { message_id: triggerId, allow_sending_without_reply: true } },
        aborted,
      );
      const { followUp } = completeReply(
        state,
        { triggerId, sent: true, text, botMessageId: sent.message_id },
        Date.now(),
        identity.id,
      );
      if (followUp === null) return;
      triggerId = followUp.triggerId;
    }
  });
  const handle = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  return {
    processed: () => processed,
    stop: async () => {
      stopped = true;
      inFlight.abort();
      await handle.stop();
    },
  };
}

class EmulatorWorker {
  private readonly worker: Worker;
  private readonly waiters: Array<{ resolve: (event: WorkerEvent) => void; reject: (error: Error) => void }> = [];
  /** Set once the thread died: every request fails with it instead of waiting for an answer that cannot come. */
  private failure: Error | null = null;
  private closing = false;

  constructor(data: EmulatorWorkerData) {
    this.worker = new Worker(new URL('./e2e-emulators.js', import.meta.url), { workerData: data });
    this.worker.on('message', (event: WorkerEvent) => this.waiters.shift()?.resolve(event));
    this.worker.on('error', (error) => this.fail(new Error(`the emulator thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the emulator thread exited (code ${code}) before it was closed`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }

  /** The next event, which must be of `type` (one command is outstanding at a time). */
  next<T extends WorkerEvent['type']>(type: T): Promise<Extract<WorkerEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.failure !== null) return reject(this.failure);
      this.waiters.push({
        resolve: (event) =>
          event.type === type
            ? resolve(event as Extract<WorkerEvent, { type: T }>)
            : reject(new Error(`expected ${type}, got ${event.type}`)),
        reject,
      });
    });
  }

  request<T extends WorkerEvent['type']>(
    command: WorkerCommand,
    answer: T,
  ): Promise<Extract<WorkerEvent, { type: T }>> {
    const answered = this.next(answer);
    this.worker.postMessage(command);
    return answered;
  }

  async close(): Promise<void> {
    if (this.failure === null) await this.request({ type: 'close' }, 'closed');
    this.closing = true;
    await this.worker.terminate();
  }
}

/** A fresh pair of emulators and a bot started against them. */
async function session<T>(
  chats: number,
  start: (ready: Ready) => Promise<BotUnderTest>,
  body: (worker: EmulatorWorker, bot: BotUnderTest) => Promise<T>,
): Promise<T> {
  const worker = new EmulatorWorker({
    chats,
    zipfS: ZIPF_S,
    addressedRatio: ADDRESSED_RATIO,
    llmLatencyMs: LLM_LATENCY_MS,
    seed: 7,
  });
  try {
    const bot = await start(await worker.next('ready'));
    try {
      return await body(worker, bot);
    } finally {
      await bot.stop();
    }
  } finally {
    await worker.close();
  }
}

interface Measured {
  report: StepReport;
  processed: number;
  elapsedS: number;
  mainBusy: number;
  eventLoopP99Ms: number;
}

/**
 * Offers `load` for `durationMs`, then waits up to `graceMs` for the bot to
 * process what it was given and answer every trigger, and reports the step.
 */
async function measureStep(
  worker: EmulatorWorker,
  bot: BotUnderTest,
  load: Load,
  durationMs: number,
  graceMs: number,
): Promise<Measured> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const before = bot.processed();
  const busyFrom = performance.eventLoopUtilization();
  const started = performance.now();
  const { injected } = await worker.request({ type: 'step', load, durationMs }, 'step-done');
  const graceUntil = performance.now() + graceMs;
  while (performance.now() < graceUntil) {
    const { unanswered } = await worker.request({ type: 'status' }, 'status');
    if (unanswered === 0 && bot.processed() - before >= injected * PROCESSED_SHARE) break;
    await sleep(50);
  }
  const { report } = await worker.request({ type: 'report' }, 'report');
  loop.disable();
  return {
    report,
    processed: bot.processed() - before,
    elapsedS: (performance.now() - started) / 1000,
    mainBusy: performance.eventLoopUtilization(busyFrom).utilization,
    eventLoopP99Ms: loop.percentile(99) / 1e6,
  };
}

/**
 * Raises the offered rate geometrically until each system stops keeping up
 * (or the generator does); returns every counted step of each. The two
 * systems run side by side, each against its own emulators, and take turns
 * step by step, so a neighbour loading the shared machine for a while weighs
 * on both alike.
 */
async function ramps(ctx: BenchContext, chats: number): Promise<[StepResult[], StepResult[]]> {
  const { stepMs, graceMs } = timing(ctx);
  return session(chats, startLekha, (oursWorker, oursBot) =>
    session(chats, startBaseline, async (baseWorker, baseBot) => {
      const systems = [
        { label: 'lekha', worker: oursWorker, bot: oursBot, steps: [] as StepResult[], done: false },
        { label: 'baseline', worker: baseWorker, bot: baseBot, steps: [] as StepResult[], done: false },
      ];
      for (const s of systems) {
        ctx.progress(`e2e ${s.label} ${chats} chats: warm-up`);
        await measureStep(s.worker, s.bot, { kind: 'zipf', rate: START_RATE / 2 }, WARM_UP_MS, graceMs);
      }
      for (let rate = START_RATE; systems.some((s) => !s.done); rate = Math.round(rate * RAMP_FACTOR)) {
        for (const s of systems) {
          if (s.done) continue;
          ctx.progress(`e2e ${s.label} ${chats} chats: ${rate} updates/s`);
          const step = summarise(rate, await measureStep(s.worker, s.bot, { kind: 'zipf', rate }, stepMs, graceMs));
          s.steps.push(step);
          s.done = !step.sustained || step.generatorLimited;
        }
      }
      return [systems[0]!.steps, systems[1]!.steps];
    }),
  );
}

function summarise(rate: number, m: Measured): StepResult {
  const { report } = m;
  const group = report.groups.zipf;
  // A trigger still unanswered counts with its age so far: the slowest replies are never left out.
  const overheads = new Percentiles([...group.latencies, ...group.unansweredAges].map((l) => l - LLM_LATENCY_MS));
  const or0 = (q: number): number => (overheads.count === 0 ? 0 : overheads.at(q));
  const unanswered = group.unansweredAges.length;
  const processedShare = report.injected === 0 ? 1 : Math.min(1, m.processed / report.injected);
  const achievedPerS = (report.injected / report.injectMs) * 1000;
  return {
    rate,
    sustained:
      processedShare >= PROCESSED_SHARE &&
      unanswered <= Math.max(1, group.triggers * UNANSWERED_SHARE) &&
      or0(0.95) <= MAX_OVERHEAD_P95_MS,
    generatorLimited: report.workerBusy > MAX_WORKER_BUSY || achievedPerS < rate * MIN_ACHIEVED_SHARE,
    achievedPerS,
    repliesPerS: report.repliesSent / m.elapsedS,
    overheadP50Ms: or0(0.5),
    overheadP95Ms: or0(0.95),
    overheadP99Ms: or0(0.99),
    eventLoopP99Ms: m.eventLoopP99Ms,
    mainBusy: m.mainBusy,
    workerBusy: report.workerBusy,
    processedShare,
    unanswered,
    triggers: group.triggers,
  };
}

/** One chat flooding beside many quiet chats that each ask the bot something now and then. */
async function mixed(
  ctx: BenchContext,
  label: string,
  start: (ready: Ready) => Promise<BotUnderTest>,
): Promise<MixedResult> {
  const { graceMs } = timing(ctx);
  return session(1000, start, async (worker, bot) => {
    const load: Load = {
      kind: 'mixed',
      floodRate: FLOOD_RATE,
      floodAddressedRatio: ADDRESSED_RATIO,
      quietChats: QUIET_CHATS,
      quietIntervalMs: QUIET_INTERVAL_MS,
      quietAddressed: true,
    };
    // Every quiet chat says something first: the measured replies are not their chats' first activation.
    ctx.progress(`e2e ${label} mixed: warm-up`);
    const warmUp: Load = { ...load, floodRate: 0, quietIntervalMs: WARM_UP_MS, quietAddressed: false };
    await measureStep(worker, bot, warmUp, WARM_UP_MS + 100, graceMs);
    ctx.progress(`e2e ${label} mixed: ${FLOOD_RATE}/s in one chat, ${QUIET_CHATS} quiet chats`);
    const m = await measureStep(worker, bot, load, ctx.quick ? 10_000 : 30_000, graceMs);
    const { quiet, flood } = m.report.groups;
    return {
      quiet: new Percentiles([...quiet.latencies, ...quiet.unansweredAges]),
      quietTriggers: quiet.triggers,
      quietUnanswered: quiet.unansweredAges.length,
      flood: new Percentiles([...flood.latencies, ...flood.unansweredAges]),
      floodTriggers: flood.triggers,
      floodUnanswered: flood.unansweredAges.length,
      achievedPerS: (m.report.injected / m.report.injectMs) * 1000,
      workerBusy: m.report.workerBusy,
      mainBusy: m.mainBusy,
      eventLoopP99Ms: m.eventLoopP99Ms,
    };
  });
}

function timing(ctx: BenchContext): { stepMs: number; graceMs: number } {
  return ctx.quick ? { stepMs: 3000, graceMs: 2000 } : { stepMs: 6000, graceMs: 3000 };
}

/** The last sustained step before the ramp ended; undefined when the first step failed. */
function sustainable(steps: StepResult[]): StepResult | undefined {
  return steps.filter((s) => s.sustained && !s.generatorLimited).at(-1);
}

/** The step at the highest rate both systems sustained (the same offered load: comparable latencies). */
function commonStep(ours: StepResult[], base: StepResult[]): [StepResult, StepResult] | undefined {
  const rate = Math.min(sustainable(ours)?.rate ?? 0, sustainable(base)?.rate ?? 0);
  const a = ours.find((s) => s.rate === rate);
  const b = base.find((s) => s.rate === rate);
  return a === undefined || b === undefined ? undefined : [a, b];
}

function describeSteps(label: string, steps: StepResult[]): string {
  const verdict = (s: StepResult): string => (s.generatorLimited ? 'GENERATOR-LIMITED' : s.sustained ? 'ok' : 'FAIL');
  return `${label}: ${steps
    .map(
      (s) =>
        `${s.rate}/s ${verdict(s)} (sent ${Math.round(s.achievedPerS)}/s, p95 +${Math.round(s.overheadP95Ms)} ms, unanswered ${s.unanswered}/${s.triggers}, processed ${(s.processedShare * 100).toFixed(1)}%, busy bot ${pct(s.mainBusy)} emulators ${pct(s.workerBusy)})`,
    )
    .join(', ')}`;
}

function describeMixed(label: string, r: MixedResult): string {
  return `${label}: quiet p50/p99 ${Math.round(r.quiet.at(0.5))}/${Math.round(r.quiet.at(0.99))} ms, unanswered ${r.quietUnanswered}/${r.quietTriggers}; flood chat p50/p99 ${Math.round(r.flood.at(0.5))}/${Math.round(r.flood.at(0.99))} ms, unanswered ${r.floodUnanswered}/${r.floodTriggers}; sent ${Math.round(r.achievedPerS)}/s; busy bot ${pct(r.mainBusy)} emulators ${pct(r.workerBusy)}`;
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const scenario: Scenario = {
  name: 'e2e',
  description:
    'Updates through the Bot API emulator to replies via the Groq emulator (300 ms): max sustainable rate over Zipf-active chats, and quiet chats beside a flooding one; Lekha vs grammY runner + sequentialize',
  async run(ctx): Promise<ScenarioResult> {
    const chatCounts = ctx.quick ? [1000] : [1000, 10_000];
    const results: Record<string, number> = {};
    const baseline: Record<string, number> = {};
    const { stepMs, graceMs } = timing(ctx);
    const notes: string[] = [
      `open-loop ramp from ${START_RATE}/s, ×${RAMP_FACTOR} per ${stepMs / 1000} s step (after a ${WARM_UP_MS / 1000} s warm-up), until a step fails, the two systems taking turns at each rate; a step passes with ≥${PROCESSED_SHARE * 100}% of its updates processed and ≤${UNANSWERED_SHARE * 100}% of its triggers unanswered ${graceMs / 1000} s after it, and reply overhead p95 ≤ ${MAX_OVERHEAD_P95_MS} ms; a step where the emulator thread was over ${pct(MAX_WORKER_BUSY)} busy ends the ramp as generator-limited (the max is then a lower bound)`,
      `${ADDRESSED_RATIO * 100}% of messages address the bot; Zipf s=${ZIPF_S}; LLM latency ${LLM_LATENCY_MS} ms fixed; Telegram flood limits off in both systems; emulators and load generator in a worker thread`,
      'reply overhead = time from a trigger to the first reply in its chat that answers it (coalesced triggers included) − LLM latency; unanswered triggers count with their age; overhead and event loop figures are from the highest rate both systems sustained',
    ];
    let generatorPeak = 0;
    let workerBusyMax = 0;
    for (const [i, chats] of chatCounts.entries()) {
      const [ours, base] = await ramps(ctx, chats);
      for (const s of [...ours, ...base]) {
        generatorPeak = Math.max(generatorPeak, s.achievedPerS);
        workerBusyMax = Math.max(workerBusyMax, s.workerBusy);
      }
      const suffix = i === 0 ? '' : `_${chats / 1000}k_chats`;
      const oursMax = sustainable(ours)?.achievedPerS ?? 0;
      const baseMax = sustainable(base)?.achievedPerS ?? 0;
      results[`max_updates_per_s${suffix}`] = oursMax;
      baseline[`max_updates_per_s${suffix}`] = baseMax;
      results[`vs_grammy_runner_ratio${suffix}`] = baseMax === 0 ? Number.POSITIVE_INFINITY : oursMax / baseMax;
      const common = commonStep(ours, base);
      if (common !== undefined) {
        const [a, b] = common;
        for (const [target, s] of [
          [results, a],
          [baseline, b],
        ] as const) {
          target[`reply_overhead_p50_ms${suffix}`] = s.overheadP50Ms;
          target[`reply_overhead_p99_ms${suffix}`] = s.overheadP99Ms;
          target[`event_loop_p99_ms${suffix}`] = s.eventLoopP99Ms;
        }
        notes.push(`${chats} chats — latencies compared at ${a.rate}/s`);
      }
      if (ours.at(-1)?.generatorLimited === true || base.at(-1)?.generatorLimited === true)
        notes.push(`${chats} chats — a ramp ended generator-limited: its max is a lower bound`);
      notes.push(
        `${chats} chats — ${describeSteps('lekha', ours)}`,
        `${chats} chats — ${describeSteps('baseline', base)}`,
      );
    }
    const oursMixed = await mixed(ctx, 'lekha', startLekha);
    const baseMixed = await mixed(ctx, 'baseline', startBaseline);
    results.quiet_chat_reply_p50_ms = oursMixed.quiet.at(0.5);
    baseline.quiet_chat_reply_p50_ms = baseMixed.quiet.at(0.5);
    results.quiet_chat_reply_p99_ms = oursMixed.quiet.at(0.99);
    baseline.quiet_chat_reply_p99_ms = baseMixed.quiet.at(0.99);
    results.quiet_chat_p99_ratio = oursMixed.quiet.at(0.99) / baseMixed.quiet.at(0.99);
    results.generator_peak_updates_per_s = generatorPeak;
    results.emulator_thread_busy_max = workerBusyMax;
    notes.push(
      `mixed (${ctx.quick ? 10 : 30} s): one chat sends ${FLOOD_RATE} msgs/s (${ADDRESSED_RATIO * 100}% to the bot) while ${QUIET_CHATS} quiet chats each ask the bot once every ${QUIET_INTERVAL_MS / 1000} s; quiet-chat reply latency is update→reply (LLM's ${LLM_LATENCY_MS} ms included), unanswered triggers counted with their age ${graceMs / 1000} s after the load`,
      `mixed — ${describeMixed('lekha', oursMixed)}`,
      `mixed — ${describeMixed('baseline', baseMixed)}`,
    );
    return {
      results,
      baseline,
      targets: {
        vs_grammy_runner_ratio: { '>=': 2 },
        reply_overhead_p99_ms: { '<=': baseline.reply_overhead_p99_ms ?? MAX_OVERHEAD_P95_MS },
        quiet_chat_p99_ratio: { '<=': 0.5 },
        emulator_thread_busy_max: { '<=': MAX_WORKER_BUSY },
      },
      notes,
    };
  },
};
