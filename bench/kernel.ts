import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Update } from 'grammy/types';
import { configSchema } from '../src/config/index.js';
import { Histogram, type HistogramSummary } from '../src/runtime/index.js';
import { Supervisor } from '../src/supervisor/index.js';
import { LekhaIngress } from './kernel/lekha-ingress.js';
import { runSequentialize, runSequentializeAlone } from './kernel/sequentialize-baseline.js';
import { defineUpdateActor, type HandlerSlot, type UpdateHandler, type UpdateReceived } from './kernel/update-actor.js';
import { UpdateFeed } from './kernel/update-feed.js';
import { ZipfSampler } from './kernel/zipf-sampler.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

interface Sizes {
  chats: number;
  /** Updates in the timed routing run (each side). */
  messages: number;
  /** Updates routed before timing, so both sides run optimised code. */
  warmup: number;
  latencyRunMs: number;
  floodCount: number;
  coldChats: number;
}

const fullSizes: Sizes = {
  chats: 100_000,
  messages: 2_000_000,
  warmup: 200_000,
  latencyRunMs: 3000,
  floodCount: 10_000,
  coldChats: 1000,
};

/** Under a minute in all; the flood keeps the full run's density of cold chats (one per 5 ms). */
const quickSizes: Sizes = {
  chats: 100_000,
  messages: 500_000,
  warmup: 100_000,
  latencyRunMs: 1000,
  floodCount: 4000,
  coldChats: 400,
};

/** Classic Zipf: the busiest of 100k chats gets about 8% of all updates. */
const zipfExponent = 1;
const seed = 0x1e4a;
/** The flooding chat sends twice what a 1 ms handler can serve, so its backlog only grows. */
const floodRatePerS = 2000;
const floodTurnMs = 1;

export const kernelScenario: Scenario = {
  name: 'kernel',
  description:
    'actor kernel: routing, spawn, idle memory, enqueue latency, fairness; baseline grammY runner + sequentialize',
  run: runKernel,
};

/** Inputs both sides share, built once before anything is timed. */
interface Workload {
  size: Sizes;
  perChat: Update[];
  warmupOrder: Int32Array;
  routingOrder: Int32Array;
  zipf: ZipfSampler;
  flood: UpdateFeed;
  hotChatId: number;
}

/** Turns handled by whichever side is running; each phase resets it. */
interface TurnCount {
  turns: number;
}

interface Throughput {
  perS: number;
  /** The same messages per second of process CPU time: steadier than wall time on a shared machine. */
  perCpuS: number;
}

async function runKernel(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.quick ? quickSizes : fullSizes;
  const zipf = new ZipfSampler(size.chats, zipfExponent, seed);
  const { feed: flood, hotChatId } = UpdateFeed.flood({
    hotCount: size.floodCount,
    hotRatePerS: floodRatePerS,
    coldChats: size.coldChats,
  });
  const work: Workload = {
    size,
    perChat: UpdateFeed.chatUpdates(size.chats),
    warmupOrder: zipf.draw(size.warmup),
    routingOrder: zipf.draw(size.messages),
    zipf,
    flood,
    hotChatId,
  };
  const ours = await measureLekha(ctx, work);
  const base = await measureSequentialize(ctx, work);

  const ms = (v: number): string => `${Number(v.toPrecision(3))} ms`;
  const perS = (v: number): string => `${Math.round(v).toLocaleString('en-US')}/s`;
  const n = (v: number): string => v.toLocaleString('en-US');
  const spread = (h: HistogramSummary): string => `${ms(h.p50)}/${ms(h.p99)}/${ms(h.max)}`;
  return {
    results: {
      routing_msgs_per_s: Math.round(ours.routing.perS),
      spawn_100k_ms: Math.round(ours.spawnMs),
      idle_actor_bytes: Math.round(ours.idleActorBytes),
      enqueue_p99_ms: ours.enqueue.p99,
      cold_chat_p99_ms: ours.cold.p99,
      vs_sequentialize_ratio: Number((ours.routing.perS / base.routing.perS).toFixed(2)),
    },
    baseline: {
      routing_msgs_per_s: Math.round(base.routing.perS),
      cold_chat_p99_ms: base.cold.p99,
    },
    targets: {
      routing_msgs_per_s: { '>=': 2_000_000 },
      spawn_100k_ms: { '<=': 1000 },
      idle_actor_bytes: { '<=': 200 },
      enqueue_p99_ms: { '<=': 2 },
      cold_chat_p99_ms: { '<=': 1 },
      vs_sequentialize_ratio: { '>=': 1.5 },
    },
    notes: [
      ...(ctx.quick
        ? [
            `--quick: ${n(size.messages)} routing updates instead of 2,000,000, a ${n(size.latencyRunMs)} ms latency run instead of 3,000 ms, a flood of ${n(size.floodCount)} with ${n(size.coldChats)} cold chats instead of 10,000 with 1,000 (same density); spawn and memory keep 100k actors`,
          ]
        : []),
      `ingress (both sides): updates come from an in-memory feed, at most 100 per read (the getUpdates maximum), with one event-loop turn (setImmediate) between reads. Lekha tells each update to its chat wrapped in an UpdateReceived message; a chat whose mailbox (capacity ${ours.capacity}) answers MailboxFullError has its updates held, in order, at the ingress and retried on later reads (refusals: routing ${n(ours.routingRefusals)}, fairness ${n(ours.fairnessRefusals)})`,
      `routing: ${n(size.messages)} updates over ${n(size.chats)} chats, Zipf s=${zipfExponent} (busiest chat ${(zipf.share(0) * 100).toFixed(1)}%), handler counts the turn; Lekha's actors are live already; ${n(size.warmup)} warm-up updates first on each side. Per CPU-second: ours ${perS(ours.routing.perCpuS)}, sequentialize ${perS(base.routing.perCpuS)}; the sequentialize middleware alone (no Bot, Context, Api or runner) ${perS(base.aloneRoutingPerS)}`,
      `spawn: ${n(size.chats)} new chats, one update each, from the first tell to the last turn; no load hook (storage is not part of the kernel)`,
      `memory: heap growth after gc (${ours.gcHow}) divided by ${n(ours.live)} live idle actors of a class with no fields, so all of it is kernel: actor shell, cell with its mailbox, supervisor map entry, LRU entry`,
      `latency: paced at ${perS(ours.pacedPerS)} (half the routing rate just measured), achieved ${perS(ours.achievedPerS)}; enqueue = the ingress's tell, turn start = first line of receive; p50/p99/max ${spread(ours.enqueue)}`,
      `fairness: one chat sends ${n(size.floodCount)} updates at ${floodRatePerS}/s (twice what its handler serves) while ${n(size.coldChats)} cold chats send one each, spread over the same ${ms((size.floodCount / floodRatePerS) * 1000)}. Every update runs the same handler on both sides, a synchronous ${floodTurnMs} ms CPU spin: a Lekha turn may not await, so the equivalent grammY middleware is synchronous too. Latency runs from the update's arrival at the ingress to its handler starting. Cold-chat p50/p99/max: ours ${spread(ours.cold)}, sequentialize ${spread(base.cold)}`,
      'baseline: a grammY Bot (botInfo preset) with bot.use(sequentialize(ctx => chat id)) and then the handler, driven by @grammyjs/runner exactly as run(bot) wires it: createSource over a supplier, createConcurrentSink (default 500 slots) consuming with bot.handleUpdate, createRunner; the supplier reads the same feed instead of calling getUpdates',
    ],
  };
}

async function measureLekha(ctx: BenchContext, work: Workload) {
  const { size, perChat } = work;
  const defaults = configSchema.parse({});
  const gc = garbageCollector();
  const count: TurnCount = { turns: 0 };
  const countTurn: UpdateHandler = () => {
    count.turns++;
  };
  const slot: HandlerSlot = { handle: countTurn };
  const UpdateActor = defineUpdateActor(slot);
  // The limits `lekha start` runs with by default.
  const newSupervisor = () =>
    new Supervisor<number, UpdateReceived, null>({
      create: () => new UpdateActor(),
      mailboxCapacity: defaults.MAILBOX_CAPACITY,
      idleMs: defaults.ACTOR_IDLE_MS,
      maxLive: defaults.MAX_LIVE_ACTORS,
    });
  const drive = async (
    supervisor: Supervisor<number, UpdateReceived, null>,
    feed: UpdateFeed,
    stampEnqueue = false,
  ) => {
    count.turns = 0;
    const ingress = new LekhaIngress(supervisor, stampEnqueue);
    const cpu = process.cpuUsage();
    const startedMs = performance.now();
    await ingress.run(feed);
    while (count.turns < feed.length) await nextTurn();
    const elapsedMs = performance.now() - startedMs;
    return { elapsedMs, rate: rates(feed.length, elapsedMs, process.cpuUsage(cpu)), refusals: ingress.refusals };
  };

  // Spawn and idle memory: 100k chats, one update each.
  ctx.progress(`kernel: spawning ${size.chats.toLocaleString('en-US')} actors`);
  const supervisor = newSupervisor();
  const everyChat = UpdateFeed.backlog(
    perChat,
    Int32Array.from({ length: size.chats }, (_, rank) => rank),
  );
  const heapBefore = heapUsedAfterGc(gc);
  const spawn = await drive(supervisor, everyChat);
  await nextTurn();
  const heapAfter = heapUsedAfterGc(gc);
  const live = supervisor.stats().live;

  // Routing: the same actors, now live, take Zipf traffic.
  ctx.progress('kernel: routing warm-up');
  await drive(supervisor, UpdateFeed.backlog(perChat, work.warmupOrder));
  ctx.progress(`kernel: routing ${size.messages.toLocaleString('en-US')} updates`);
  const routing = await drive(supervisor, UpdateFeed.backlog(perChat, work.routingOrder));

  // Enqueue → turn-start latency at half the routing rate just measured.
  const pacedPerS = routing.rate.perS / 2;
  const pacedOrder = work.zipf.draw(Math.round((pacedPerS * size.latencyRunMs) / 1000));
  const enqueue = new Histogram('bench_enqueue_latency_ms', 'enqueue to turn start');
  slot.handle = (_update, enqueuedMs) => {
    enqueue.recordMs(performance.now() - enqueuedMs);
    count.turns++;
  };
  ctx.progress(`kernel: latency at ${Math.round(pacedPerS).toLocaleString('en-US')} updates/s`);
  const paced = await drive(supervisor, UpdateFeed.paced(perChat, pacedOrder, pacedPerS), true);
  await supervisor.shutdown();

  // Fairness: one flooding chat, many cold ones, on a fresh supervisor.
  ctx.progress(`kernel: fairness (${size.floodCount.toLocaleString('en-US')} flood updates, ${floodTurnMs} ms each)`);
  const cold = new Histogram('bench_cold_latency_ms', 'arrival to turn start, cold chats');
  slot.handle = floodHandler(work, cold, count);
  const fairSupervisor = newSupervisor();
  const fairness = await drive(fairSupervisor, work.flood);
  await fairSupervisor.shutdown();

  return {
    capacity: defaults.MAILBOX_CAPACITY,
    spawnMs: spawn.elapsedMs,
    live,
    idleActorBytes: gc.collect === undefined ? Number.NaN : (heapAfter - heapBefore) / live,
    gcHow: gc.how,
    routing: routing.rate,
    routingRefusals: routing.refusals,
    pacedPerS,
    achievedPerS: paced.rate.perS,
    enqueue: enqueue.summary(),
    cold: cold.summary(),
    fairnessRefusals: fairness.refusals,
  };
}

async function measureSequentialize(ctx: BenchContext, work: Workload) {
  const { size, perChat } = work;
  const count: TurnCount = { turns: 0 };
  const countTurn: UpdateHandler = () => {
    count.turns++;
  };
  ctx.progress('kernel: baseline (sequentialize) routing warm-up');
  await runSequentialize(UpdateFeed.backlog(perChat, work.warmupOrder), countTurn);
  ctx.progress(`kernel: baseline (sequentialize) routing ${size.messages.toLocaleString('en-US')} updates`);
  const cpu = process.cpuUsage();
  const startedMs = performance.now();
  await runSequentialize(UpdateFeed.backlog(perChat, work.routingOrder), countTurn);
  const routing = rates(size.messages, performance.now() - startedMs, process.cpuUsage(cpu));

  ctx.progress('kernel: sequentialize middleware alone');
  const aloneStartedMs = performance.now();
  await runSequentializeAlone(UpdateFeed.backlog(perChat, work.routingOrder), countTurn);
  const aloneRoutingPerS = size.messages / ((performance.now() - aloneStartedMs) / 1000);

  ctx.progress('kernel: baseline (sequentialize) fairness');
  const cold = new Histogram('bench_baseline_cold_latency_ms', 'arrival to handler start, cold chats');
  await runSequentialize(work.flood, floodHandler(work, cold, count));
  return { routing, aloneRoutingPerS, cold: cold.summary() };
}

/** Every turn is a 1 ms CPU job; cold chats' turns record how long their update waited since it arrived. */
function floodHandler(work: Workload, coldLatency: Histogram, count: TurnCount): UpdateHandler {
  return (update) => {
    const startedMs = performance.now();
    if (update.message?.chat.id !== work.hotChatId)
      coldLatency.recordMs(startedMs - work.flood.arrivedAtMs(update.update_id));
    while (performance.now() - startedMs < floodTurnMs) {
      // the stand-in for parsing, filters and profile updates
    }
    count.turns++;
  };
}

function rates(messages: number, elapsedMs: number, cpu: NodeJS.CpuUsage): Throughput {
  return { perS: messages / (elapsedMs / 1000), perCpuS: messages / ((cpu.user + cpu.system) / 1e6) };
}

interface GarbageCollector {
  collect: (() => void) | undefined;
  how: string;
}

/** `global.gc` when node runs with --expose-gc (as `npm run bench` does), else the V8 flag set at run time. */
function garbageCollector(): GarbageCollector {
  if (typeof globalThis.gc === 'function') return { collect: globalThis.gc, how: '--expose-gc' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return { collect: () => void gc(), how: 'gc exposed at run time' };
  } catch {
    // Falls through to "unavailable": the memory figure is then reported as NaN, never guessed.
  }
  return { collect: undefined, how: 'unavailable: run with node --expose-gc' };
}

function heapUsedAfterGc(gc: GarbageCollector): number {
  // Several passes: objects freed by one pass may release others in the next.
  for (let i = 0; i < 3; i++) gc.collect?.();
  return process.memoryUsage().heapUsed;
}
