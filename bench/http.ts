import { execFile } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { pino } from 'pino';
import {
  type HttpServer,
  issueToken,
  localAuditRecord,
  MemoryAuditLog,
  MemoryChatDirectory,
  MemoryTokenStore,
  startHttpServer,
} from '../src/http/index.js';
import { Actor, type Counter, MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import { Supervisor } from '../src/supervisor/index.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

type Update = { type: 'Update'; text: string };
type HttpDeps = Parameters<typeof startHttpServer>[0];

/** A chat actor with a small realistic turn: counts, and touches its state. */
class CountingActor extends Actor<Update, { messages: number; chars: number }> {
  private readonly state = { messages: 0, chars: 0 };
  receive(msg: Update): void {
    this.state.messages++;
    this.state.chars += msg.text.length;
    this.markDirty();
  }
  snapshot() {
    return { ...this.state };
  }
}

const chats = 2000;
const update: Update = { type: 'Update', text: 'привет, как дела у всех сегодня?' };

/**
 * Feeds the supervisor updates across `chats` keys (skewed: a few chats are
 * busy, most are quiet), at a fixed rate or as fast as the runtime takes
 * them. At most `window` updates are queued at once, as an ingress with
 * backpressure would do.
 */
class Traffic {
  private told = 0;
  private stopped = false;
  private readonly started = performance.now();

  constructor(
    private readonly supervisor: Supervisor<number, Update>,
    private readonly turns: Counter,
    private readonly perS: number | null,
    private readonly window = 20_000,
  ) {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
  }

  private readonly tick = (): void => {
    if (this.stopped) return;
    let budget = Math.min(2000, this.window - (this.told - this.turns.value));
    if (this.perS !== null)
      budget = Math.min(budget, Math.floor(((performance.now() - this.started) / 1000) * this.perS) - this.told);
    for (let i = 0; i < budget; i++) {
      const n = this.told++;
      // Skewed keys: every 4th update goes to one of 20 busy chats.
      const key = n % 4 === 0 ? -(1 + (n % 20)) : -(1 + ((n * 7919) % chats));
      this.supervisor.tell(key, update);
    }
    if (budget > 0) setImmediate(this.tick);
    else setTimeout(this.tick, 1);
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What open dashboards and a Prometheus scraper do to the server: each
 * dashboard fetches /api/stats every second, Prometheus /metrics every
 * second. The clients run in this process (their cost is counted against
 * the runtime, so the drop measured is an upper bound); a worker thread per
 * round would cost more to start than the polling itself.
 */
class Pollers {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly agent = new http.Agent({ keepAlive: true });
  /** Polls only go out while active; the timers keep their rhythm either way. */
  active = false;
  sent = 0;
  failures = 0;

  constructor(baseUrl: string, token: string, dashboards: number) {
    const get = (path: string): void => {
      if (!this.active) return;
      this.sent++;
      const req = http.get(
        `${baseUrl}${path}`,
        { agent: this.agent, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          if (res.statusCode !== 200) this.failures++;
          res.resume();
        },
      );
      req.on('error', () => this.failures++);
    };
    for (let i = 0; i < dashboards; i++) {
      // Spread over the second, as independent browsers would be.
      this.timers.push(
        setTimeout(() => this.timers.push(setInterval(() => get('/api/stats'), 1000)), (1000 * i) / dashboards),
      );
    }
    this.timers.push(setInterval(() => get('/metrics'), 1000));
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.agent.destroy();
  }
}

interface Throughput {
  /** Updates processed per wall-clock second. */
  perS: number;
  /** Updates processed per second of this process's CPU time. */
  perCpuS: number;
}

/**
 * Updates processed over `ms`, per wall-clock second and per CPU-second of
 * this process. Other work on a shared machine steals wall-clock time at
 * random; CPU time only counts what this process (runtime, HTTP server and
 * the polling clients) spent, so the per-CPU-second figure compares runs
 * fairly however busy the machine is.
 */
async function measureThroughput(turns: Counter, ms: number): Promise<Throughput> {
  const before = turns.value;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const done = turns.value - before;
  const used = process.cpuUsage(cpu);
  return { perS: (done * 1000) / (performance.now() - t0), perCpuS: (done * 1e6) / (used.user + used.system) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function setUp(): Promise<{
  server: HttpServer;
  supervisor: Supervisor<number, Update>;
  turns: Counter;
  token: string;
}> {
  const clock = new SystemClock();
  const metrics = new MetricsRegistry();
  const supervisor = new Supervisor<number, Update>({ create: () => new CountingActor(), clock, metrics, idleMs: 0 });
  const turns = metrics.get('lekha_turns_total') as Counter;
  const audit = new MemoryAuditLog();
  const tokens = new MemoryTokenStore(audit);
  const { token } = await issueToken(tokens, { role: 'viewer', label: 'bench', createdBy: null }, clock, (record) =>
    localAuditRecord({
      actor: { tokenId: 'bench', label: 'bench set-up', role: 'admin' },
      action: 'token.create',
      target: `token:${record.id}`,
      atMs: clock.now(),
    }),
  );
  // The bench polls stats only: chat reads find nothing, and changes are never made.
  const insights: HttpDeps['insights'] = {
    chatReport: async () => undefined,
    userAnalytics: async () => undefined,
    allUserAnalytics: async () => undefined,
    settings: async () => undefined,
    lastPrompt: async () => null,
  };
  const control: HttpDeps['control'] = {
    setMode: () => Promise.reject(new Error('the http bench changes no chat')),
    updateSettings: () => Promise.reject(new Error('the http bench changes no chat')),
    release: (chatId) => supervisor.release(chatId),
  };
  const server = await startHttpServer(
    {
      logger: pino({ level: 'warn' }),
      metrics,
      runtime: supervisor,
      tokens,
      audit,
      directory: new MemoryChatDirectory(clock),
      insights,
      control,
      clock,
      // The limiter stays in the path (its cost is measured) but cannot trip.
      options: { rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 } },
    },
    { host: '127.0.0.1', port: 0 },
  );
  return { server, supervisor, turns, token };
}

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

const autocannonCli = createRequire(import.meta.url).resolve('autocannon');

/**
 * Runs autocannon in a child process: the load generator shares the
 * machine's two cores with the server, but not its event loop or its CPU
 * accounting.
 */
async function cannon(
  url: string,
  token: string,
  options: { connections: number; durationS: number; overallRate?: number },
): Promise<CannonResult> {
  const args = [
    autocannonCli,
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.durationS),
    '-H',
    `authorization=Bearer ${token}`,
  ];
  if (options.overallRate !== undefined) args.push('-R', String(options.overallRate));
  const { stdout } = await promisify(execFile)(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as CannonResult;
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const { server, supervisor, turns, token } = await setUp();
  const durationS = ctx.quick ? 5 : 15;
  // Many short alternating slices: the machine's other load drifts slowly,
  // so each polled second is compared with the idle second just before it.
  const rounds = ctx.quick ? 12 : 40;
  const roundMs = 1000;
  const notes: string[] = [];
  try {
    // 1. Capacity: /api/stats and /metrics hammered while chats take a steady 5,000 updates/s.
    ctx.progress(`http: /api/stats and /metrics under load for ${durationS} s, runtime at 5,000 updates/s`);
    const steady = new Traffic(supervisor, turns, 5000);
    await sleep(500);
    const processedBefore = turns.value;
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    const [stats, metrics] = await Promise.all([
      cannon(`${server.url}/api/stats`, token, { connections: 32, durationS }),
      cannon(`${server.url}/metrics`, token, { connections: 2, durationS, overallRate: 50 }),
    ]);
    const elapsedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpuBefore);
    const steadyRate = ((turns.value - processedBefore) * 1000) / elapsedMs;
    steady.stop();
    if (stats.non2xx > 0 || stats.errors > 0)
      throw new Error(`/api/stats answered ${stats.non2xx} non-2xx and ${stats.errors} errors under load`);
    notes.push(
      `/api/stats: ${Math.round(stats.requests.average)} req/s, p50 ${stats.latency.p50} ms, p99 ${stats.latency.p99} ms (32 connections, autocannon in a child process)`,
      `the server process used ${Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100)}% of one core meanwhile (less than 100%: other processes had the CPU)`,
      `/metrics at 50 req/s alongside: p99 ${metrics.latency.p99} ms; the runtime kept ${Math.round(steadyRate)} of 5,000 updates/s`,
    );

    // 2. Update throughput at saturation, without and with dashboards polling, interleaved to cancel drift.
    const idle: Throughput[] = [];
    const polled: Throughput[] = [];
    const saturated = new Traffic(supervisor, turns, null);
    await sleep(500);
    const pollers = new Pollers(server.url, token, 20);
    for (let round = 1; round <= rounds; round++) {
      ctx.progress(
        `http: update throughput, pair ${round}/${rounds}: a second without, then a second with 20 dashboards and Prometheus polling`,
      );
      pollers.active = false;
      idle.push(await measureThroughput(turns, roundMs));
      pollers.active = true;
      polled.push(await measureThroughput(turns, roundMs));
    }
    pollers.active = false;
    await sleep(200);
    pollers.stop();
    if (pollers.failures > 0) throw new Error(`${pollers.failures} of ${pollers.sent} dashboard polls failed`);
    notes.push(`${pollers.sent} polls answered during the polled seconds`);
    saturated.stop();
    const idleRate = median(idle.map((t) => t.perS));
    const polledRate = median(polled.map((t) => t.perS));
    // Each polled round is compared with the idle round just before it, so
    // slow drift of the machine's speed cancels out.
    const pairedRatio = median(polled.map((t, i) => t.perCpuS / (idle[i] as Throughput).perCpuS));
    const round = (xs: Throughput[], key: keyof Throughput) => xs.map((t) => Math.round(t[key])).join(', ');
    notes.push(
      `updates per CPU-second in ${rounds} pairs of ${roundMs / 1000} s slices, without dashboards: ${round(idle, 'perCpuS')}; with: ${round(polled, 'perCpuS')}`,
      `drop ratio = 1 - median over the pairs of (with / without), per CPU-second`,
      `wall-clock updates/s (moves with the machine's other load): without ${round(idle, 'perS')}; with ${round(polled, 'perS')}`,
    );
    return {
      results: {
        stats_req_per_s: stats.requests.average,
        stats_p99_ms: stats.latency.p99,
        metrics_p99_ms: metrics.latency.p99,
        updates_per_s_idle: idleRate,
        updates_per_s_polled: polledRate,
        update_throughput_drop_ratio: Math.max(0, 1 - pairedRatio),
      },
      targets: {
        stats_req_per_s: { '>=': 5000 },
        stats_p99_ms: { '<=': 20 },
        update_throughput_drop_ratio: { '<=': 0.05 },
      },
      notes,
    };
  } finally {
    await server.close();
    await supervisor.shutdown({ deadlineMs: 2000 });
  }
}

export const scenario: Scenario = {
  name: 'http',
  description:
    '/api/stats and /metrics under load while the runtime processes traffic; update throughput while dashboards poll',
  run,
};
export default scenario;
