/*
 * `npm run bench -- cluster`: three `lekha start` processes in cluster mode on
 * this machine, against the Bot API and Groq emulators (in this process),
 * Postgres and Redis. Measures:
 * - a backlog drained by one process (`CLUSTER_MODE=off`), then by three
 *   members: messages per CPU-second
 *   of the member processes (user + system time from /proc), and their
 *   ratio (`scaling_efficiency`: on a 2-core machine three processes cannot
 *   be faster, so the question is what they waste);
 * - kill -9 of a worker under steady traffic: how long until every chat of
 *   its partitions answers again (`failover_ms`), and afterwards, over all
 *   traffic, updates lost or recorded twice, replies sent twice, chats out
 *   of order (read from the chat snapshots, see cluster/chat-check.ts);
 * - a graceful stop (SIGTERM) of another member: until its chats answer (`handover_ms`);
 * - the leader's stream append latency histogram (`stream_append_p99_ms`).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { partitionOf } from '../src/cluster/index.js';
import { BotApiEmulator, GroqEmulator } from '../src/sandbox/index.js';
import { checkRun, readChatStates } from './cluster/chat-check.js';
import { metricSamples, waitFor } from './cluster/member-process.js';
import { ProcessCluster } from './cluster/process-cluster.js';
import { type Injection, TrafficDriver, trafficScript } from './cluster/traffic.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';
import { adminQuery, benchPostgresUrl, withSearchPath } from './postgres-schema.js';

const PARTITIONS = 16;
const LEASE_MS = 2000;
const HEARTBEAT_MS = 300;
const ADMIN_TOKEN = 'cluster-bench-admin-token-01234';
const BOT_TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WAIT_MS = 60_000;
/** How long a drain may take before the entries left are taken as stuck. */
const DRAIN_MS = 20_000;

interface Services {
  postgresUrl: string;
  redisUrl: string;
}

/** One deployment: its own schema and key prefix, its own emulators, members started on demand. */
class BenchDeployment {
  readonly cluster: ProcessCluster;

  private constructor(
    readonly botApi: BotApiEmulator,
    readonly groq: GroqEmulator,
    readonly schemaUrl: string,
    private readonly dropSchema: () => Promise<void>,
    private readonly redis: Redis,
    redisUrl: string,
    private readonly prefix: string,
    clusterMode: boolean,
  ) {
    this.cluster = new ProcessCluster({
      cli: fileURLToPath(new URL('../src/cli.js', import.meta.url)),
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      databaseUrl: schemaUrl,
      redisUrl,
      redisKeyPrefix: prefix,
      telegramToken: botApi.token,
      telegramApiRoot: botApi.apiRoot,
      groqBaseUrl: groq.baseURL,
      adminToken: ADMIN_TOKEN,
      cluster: clusterMode,
      partitions: PARTITIONS,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      // The emulated model has no budget to keep to: replies are not held back by the account's rate limits.
      env: { LOG_LEVEL: 'info', GROQ_RPM: '1000000', GROQ_TPM: '1000000000' },
    });
  }

  /** `cluster: false`: one process with `CLUSTER_MODE=off`, as before cluster mode. */
  static async open(services: Services, label: string, cluster: boolean): Promise<BenchDeployment> {
    const schema = `bench_cluster_${label}_${randomBytes(4).toString('hex')}`;
    await adminQuery(services.postgresUrl, `CREATE SCHEMA ${schema}`);
    const schemaUrl = withSearchPath(services.postgresUrl, schema);
    const redis = new Redis(services.redisUrl);
    const botApi = await BotApiEmulator.start({ token: BOT_TOKEN, limits: false });
    const groq = await GroqEmulator.start();
    return new BenchDeployment(
      botApi,
      groq,
      schemaUrl,
      () => adminQuery(services.postgresUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      redis,
      services.redisUrl,
      `bench:cluster:${label}:${randomBytes(4).toString('hex')}:`,
      cluster,
    );
  }

  /**
   * Until Telegram's queue is confirmed and every partition stream is empty
   * (one process confirms an update once its chat's state is durable).
   */
  async drained(timeoutMs = DRAIN_MS): Promise<void> {
    let behind = '';
    await waitFor(
      'every update to be processed',
      async () => {
        if (this.botApi.pendingCount > 0) return false;
        if (!this.cluster.deployment.cluster) return true;
        try {
          const stuck = (await this.cluster.status()).partitionLeases.filter((p) => p.lag !== 0);
          behind = stuck.map((p) => `partition ${p.partition}@${p.owner}: ${p.lag}`).join(', ');
          return stuck.length === 0;
        } catch {
          return false;
        }
      },
      timeoutMs,
      20,
    ).catch((error: unknown) => {
      // Entries that never get processed are counted as lost by the final check; the bench goes on.
      if (behind === '') throw error;
      this.stuck.push(behind);
    });
  }

  /** Stream backlogs that never drained (listed in the notes). */
  readonly stuck: string[] = [];

  async close(): Promise<void> {
    await this.cluster.close();
    await this.botApi.close();
    await this.groq.close();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
    this.redis.disconnect();
    await this.dropSchema();
  }
}

async function findServices(): Promise<Services> {
  const postgresUrl = benchPostgresUrl();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  try {
    await adminQuery(postgresUrl, 'SELECT 1');
  } catch (error) {
    throw new Error(`the cluster bench needs Postgres (DATABASE_URL or ${postgresUrl}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`the cluster bench needs Redis (REDIS_URL or ${redisUrl}): ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    redis.disconnect();
  }
  return { postgresUrl, redisUrl };
}

/** Messages a backlog drained, and the CPU-seconds the members spent on it. */
interface Drain {
  messages: number;
  wallS: number;
  cpuS: number;
}

/** Injects a backlog of group traffic at once and measures its draining. */
async function drainBacklog(deployment: BenchDeployment, traffic: TrafficDriver, count: number): Promise<Drain> {
  const members = deployment.cluster.running();
  const cpuBefore = members.reduce((sum, m) => sum + m.cpuSeconds(), 0);
  const startedAt = Date.now();
  traffic.injectNext(count);
  // One process drains about 100 messages a second on this machine: a full backlog takes most of a minute.
  await deployment.drained(DRAIN_MS + count * 25);
  const wallS = (Date.now() - startedAt) / 1000;
  const cpuS = members.reduce((sum, m) => sum + m.cpuSeconds(), 0) - cpuBefore;
  return { messages: count, wallS, cpuS };
}

function backlogScript(groups: number, perGroup: number, chatIdBase: number): ReturnType<typeof trafficScript> {
  return trafficScript(
    { groups, membersPerGroup: 12, privates: 0, messagesPerGroup: perGroup, messagesPerPrivate: 0, triggerEvery: 10 },
    chatIdBase,
  );
}

/** Private chats (ids from `base`) whose partition `member` holds, at most `count`. */
function chatsOf(partitions: readonly number[], count: number, base: number): number[] {
  const chats: number[] = [];
  for (let id = base; chats.length < count && id < base + 10_000; id++) {
    if (partitions.includes(partitionOf(id, PARTITIONS))) chats.push(id);
  }
  return chats;
}

/**
 * Probes each chat and resolves with the time from `since` until the last
 * of them has a reply to its probe.
 */
async function answeredAgain(
  deployment: BenchDeployment,
  traffic: TrafficDriver,
  chats: readonly number[],
  since: number,
): Promise<number> {
  const probes = chats.map((chatId) => traffic.probe(chatId, { id: chatId, firstName: 'Проба' }));
  return lastReplyAfter(deployment, probes, since);
}

async function lastReplyAfter(
  deployment: BenchDeployment,
  probes: readonly Injection[],
  since: number,
): Promise<number> {
  let last = since;
  await waitFor(
    'every probed chat to answer',
    () =>
      probes.every((probe) => {
        // A private chat's answer is not sent as a reply to the message: anything the bot sent there after the probe is.
        const reply = deployment.botApi
          .sentTo(probe.chatId)
          .find(
            (s) => s.replyToMessageId === probe.messageId || (s.replyToMessageId === undefined && s.atMs >= probe.atMs),
          );
        if (reply !== undefined) last = Math.max(last, reply.atMs);
        return reply !== undefined;
      }),
    WAIT_MS,
    10,
  );
  return last - since;
}

/** The p99 of a Prometheus histogram (all label sets merged), in ms, interpolated within its bucket. */
function histogramP99Ms(metrics: string, names: readonly string[]): number {
  for (const name of names) {
    const buckets = new Map<number, number>();
    for (const sample of metricSamples(metrics, `${name}_bucket`)) {
      const le = /le="([^"]+)"/.exec(sample.labels)?.[1];
      if (le === undefined) continue;
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + sample.value);
    }
    if (buckets.size === 0) continue;
    const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
    const total = sorted[sorted.length - 1]![1];
    if (total === 0) return Number.NaN;
    const rank = total * 0.99;
    let previousBound = 0;
    let previousCount = 0;
    const scale = name.endsWith('_seconds') ? 1000 : 1;
    for (const [bound, count] of sorted) {
      if (count >= rank) {
        if (!Number.isFinite(bound)) return previousBound * scale;
        const within = count === previousCount ? 1 : (rank - previousCount) / (count - previousCount);
        return (previousBound + (bound - previousBound) * within) * scale;
      }
      previousBound = bound;
      previousCount = count;
    }
  }
  return Number.NaN;
}

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const services = await findServices();
  const backlogGroups = ctx.quick ? 30 : 60;
  const backlogPerGroup = ctx.quick ? 40 : 80;
  const backlog = backlogGroups * backlogPerGroup;
  const notes: string[] = [];

  // One process as before cluster mode: the per-CPU-second baseline.
  ctx.progress('cluster: one process drains the backlog');
  const solo = await BenchDeployment.open(services, 'solo', false);
  let one: Drain;
  try {
    await solo.cluster.ready(await solo.cluster.start('solo'), WAIT_MS);
    one = await drainBacklog(
      solo,
      new TrafficDriver(solo.botApi, backlogScript(backlogGroups, backlogPerGroup, 0)),
      backlog,
    );
    ctx.progress(
      `cluster: one process drained ${one.messages} messages in ${one.wallS.toFixed(1)} s, ${one.cpuS.toFixed(1)} CPU-s`,
    );
    const soloHung = await solo.cluster.stopAll();
    if (soloHung.length > 0) notes.push(`did not exit after SIGTERM (killed): ${soloHung.join(', ')}`);
  } finally {
    await solo.close();
  }

  const trio = await BenchDeployment.open(services, 'trio', true);
  try {
    ctx.progress('cluster: three members start');
    await trio.cluster.start('m1');
    await Promise.all(['m2', 'm3'].map((id) => trio.cluster.start(id)));
    await trio.cluster.settled(WAIT_MS);

    const burst = backlogScript(backlogGroups, backlogPerGroup, 0);
    const steady = trafficScript(
      {
        groups: 16,
        membersPerGroup: 6,
        privates: 0,
        messagesPerGroup: ctx.quick ? 20 : 40,
        messagesPerPrivate: 0,
        triggerEvery: 5,
      },
      5_000,
    );
    const traffic = new TrafficDriver(trio.botApi, [...burst, ...steady]);
    ctx.progress('cluster: three members drain the backlog');
    const three = await drainBacklog(trio, traffic, burst.length);

    // A worker killed under steady traffic.
    ctx.progress('cluster: kill -9 of a worker under load');
    const injecting = traffic.run(40);
    await waitFor('steady traffic', () => traffic.injected.length >= burst.length + steady.length * 0.3, WAIT_MS);
    const victimId = await trio.cluster.worker();
    const victim = trio.cluster.member(victimId);
    const victimPartitions = (await trio.cluster.status()).members.find((m) => m.id === victimId)?.partitions ?? [];
    const victimChats = chatsOf(victimPartitions, 4, 700_000);
    // Its chats answer before the crash (their actors live on the victim).
    await answeredAgain(trio, traffic, victimChats, Date.now());
    const killedAt = Date.now();
    await victim.kill9();
    const failoverMs = await answeredAgain(trio, traffic, victimChats, killedAt);
    await injecting;
    await trio.cluster.settled(WAIT_MS);
    await trio.drained();

    // A graceful stop of another worker.
    ctx.progress('cluster: graceful stop of a worker');
    const leaver = await trio.cluster.worker();
    const leaverPartitions = (await trio.cluster.status()).members.find((m) => m.id === leaver)?.partitions ?? [];
    const leaverChats = chatsOf(leaverPartitions, 4, 800_000);
    await answeredAgain(trio, traffic, leaverChats, Date.now());
    const stoppingAt = Date.now();
    const stopped = trio.cluster
      .member(leaver)
      .terminate()
      .catch((error: unknown) => {
        notes.push((error as Error).message.split('\n')[0] as string);
        return { code: null, signal: 'SIGKILL' as const };
      });
    const handoverMs = await answeredAgain(trio, traffic, leaverChats, stoppingAt);
    const exit = await stopped;
    const exitedAt = Date.now();
    if (exit.code !== 0) notes.push(`the gracefully stopped member exited with ${JSON.stringify(exit)}`);
    // Probes sent once it is gone: whether the new owners serve its chats at once, not only after a lease runs out.
    const afterExitMs = await answeredAgain(trio, traffic, leaverChats, exitedAt);
    await trio.cluster.settled(WAIT_MS);
    await trio.drained();

    const leader = trio.cluster.member(await trio.cluster.leader());
    const leaderMetrics = await leader.metrics();
    const appendP99 = histogramP99Ms(leaderMetrics, ['lekha_stream_append_ms', 'lekha_stream_append_seconds']);
    // What the leader's event loop adds to every round trip it measures (prom-client's default metric).
    const leaderLoopP99Ms = (metricSamples(leaderMetrics, 'nodejs_eventloop_lag_p99_seconds')[0]?.value ?? NaN) * 1000;

    ctx.progress('cluster: checking every chat');
    const trioHung = await trio.cluster.stopAll();
    if (trioHung.length > 0) notes.push(`did not exit after SIGTERM (killed): ${trioHung.join(', ')}`);
    const states = await readChatStates(trio.schemaUrl);
    const check = checkRun(traffic.injected, states, trio.botApi.sent);
    const perCpuOne = one.messages / one.cpuS;
    const perCpuThree = three.messages / three.cpuS;
    notes.push(
      `backlog of ${backlog} group messages: one process ${one.wallS.toFixed(1)} s wall, ${one.cpuS.toFixed(1)} CPU-s; ` +
        `three members ${three.wallS.toFixed(1)} s wall, ${three.cpuS.toFixed(1)} CPU-s (member processes only)`,
      `failover: ${victimChats.length} probed chats of ${victimPartitions.length} partitions, lease ${LEASE_MS} ms; ` +
        `handover: ${leaverChats.length} chats of ${leaverPartitions.length} partitions`,
      `checked ${check.injected} updates over ${states.size} chats, ${check.replies} replies`,
      ...trio.stuck.map((s) => `stream entries never processed: ${s}`),
      ...[...check.lost, ...check.duplicated, ...check.outOfOrder, ...check.duplicateReplies].slice(0, 5),
    );
    return {
      results: {
        failover_lost_updates: check.lostUpdates,
        failover_duplicate_updates: check.duplicateUpdates,
        failover_duplicate_replies: check.duplicateReplyCount,
        order_violations: check.outOfOrder.length,
        failover_ms: failoverMs,
        handover_ms: handoverMs,
        handover_stop_ms: exitedAt - stoppingAt,
        handover_after_exit_ms: afterExitMs,
        scaling_efficiency: perCpuThree / perCpuOne,
        msgs_per_cpu_s: perCpuThree,
        msgs_per_s: three.messages / three.wallS,
        stream_append_p99_ms: appendP99,
        leader_event_loop_p99_ms: leaderLoopP99Ms,
      },
      baseline: { msgs_per_cpu_s: perCpuOne, msgs_per_s: one.messages / one.wallS },
      targets: {
        failover_lost_updates: { '<=': 0 },
        failover_duplicate_updates: { '<=': 0 },
        failover_duplicate_replies: { '<=': 0 },
        order_violations: { '<=': 0 },
        failover_ms: { '<=': 10_000 },
        handover_ms: { '<=': 2000 },
        handover_after_exit_ms: { '<=': 2000 },
        scaling_efficiency: { '>=': 0.8 },
        stream_append_p99_ms: { '<=': 5 },
      },
      notes,
    };
  } finally {
    await trio.close();
  }
}

export const scenario: Scenario = {
  name: 'cluster',
  description: 'three processes in cluster mode: failover and handover times, exactly-once, per-CPU-second scaling',
  run,
};
