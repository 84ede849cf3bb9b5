/*
 * The multi-process test harness: a deployment of its own (Postgres schema,
 * Redis key prefix, Bot API and Groq emulators) whose members are real
 * `lekha start` processes from the built CLI, a traffic driver, and the
 * checker with its single-process reference run. The process, traffic and
 * checking parts live in bench/cluster (the cluster bench uses them too);
 * this file gives them the test run's services.
 */
import { ProcessCluster } from '../../bench/cluster/process-cluster.js';
import { readChatStates, checkRun, compareRuns, type RunCheck } from '../../bench/cluster/chat-check.js';
import { waitFor } from '../../bench/cluster/member-process.js';
import { type ScriptedMessage, type Injection, TrafficDriver } from '../../bench/cluster/traffic.js';
import { type ChatState, hasReplyInFlight } from '../../src/actors/index.js';
import { BotApiEmulator, GroqEmulator, type SentRecord } from '../../src/sandbox/index.js';
import { ensureBuiltCli, repoRoot } from './built-cli.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from './test-services.js';

export {
  MemberProcess,
  metricSum,
  metricSamples,
  metricSumMatching,
  waitFor,
} from '../../bench/cluster/member-process.js';
export { trafficScript, TrafficDriver } from '../../bench/cluster/traffic.js';
export { checkRun, violations, compareRuns, type RunCheck } from '../../bench/cluster/chat-check.js';

/** A fake bot token of the emulators' shape; the emulator accepts only it. */
export const FAKE_BOT_TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The admin token every member is given (for `/api/cluster`, `/readyz`, `/metrics`). */
export const ADMIN_TOKEN = 'cluster-harness-admin-token-0123';

export interface HarnessOptions {
  label: string;
  cluster: boolean;
  partitions?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  env?: Record<string, string>;
}

/** The outcome of a run, read after every member has stopped. */
export interface RunOutcome {
  injected: Injection[];
  states: Map<number, ChatState>;
  /** Everything the members sent, as the Bot API emulator recorded it. */
  sent: SentRecord[];
  check: RunCheck;
  /** Members that did not exit within the stop deadline after SIGTERM (killed). */
  hungOnStop: string[];
}

export class ClusterHarness {
  private constructor(
    readonly cluster: ProcessCluster,
    readonly botApi: BotApiEmulator,
    readonly groq: GroqEmulator,
    readonly schema: TestSchema,
    readonly redis: TestRedis,
  ) {}

  /** A fresh deployment (nothing started yet); the CLI is built if this test run has not built it. */
  static async open(options: HarnessOptions): Promise<ClusterHarness> {
    const cli = await ensureBuiltCli();
    const schema = await createTestSchema(options.label);
    const redis = await createTestRedis(options.label);
    const botApi = await BotApiEmulator.start({ token: FAKE_BOT_TOKEN, limits: false });
    const groq = await GroqEmulator.start();
    const cluster = new ProcessCluster({
      cli,
      cwd: repoRoot,
      databaseUrl: schema.url,
      redisUrl: redis.url,
      redisKeyPrefix: redis.prefix,
      telegramToken: botApi.token,
      telegramApiRoot: botApi.apiRoot,
      groqBaseUrl: groq.baseURL,
      adminToken: ADMIN_TOKEN,
      cluster: options.cluster,
      partitions: options.partitions ?? 16,
      leaseMs: options.leaseMs ?? 2000,
      heartbeatMs: options.heartbeatMs ?? 300,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    return new ClusterHarness(cluster, botApi, groq, schema, redis);
  }

  traffic(script: readonly ScriptedMessage[]): TrafficDriver {
    return new TrafficDriver(this.botApi, script);
  }

  /**
   * Waits until everything injected is taken and processed: Telegram's
   * queue confirmed, in cluster mode every partition's stream empty
   * (entries are acknowledged only once their effects are durable), and no
   * chat's durable state holding a reply in flight (a reply left behind by
   * a crash or a lost lease must still be sent) unless `replies` is false.
   */
  async drained(timeoutMs: number, options: { replies?: boolean } = {}): Promise<void> {
    let seen = 'nothing yet';
    await waitFor(
      'every injected update to be confirmed and processed, and every reply finished',
      async () => {
        if (this.botApi.pendingCount > 0) {
          seen = `${this.botApi.pendingCount} updates not confirmed to Telegram`;
          return false;
        }
        try {
          if (this.cluster.deployment.cluster) {
            const body = await this.cluster.status();
            const behind = body.partitionLeases.filter((p) => p.lag !== 0);
            seen = `stream backlog ${behind.map((p) => `${p.partition}@${p.owner}: ${p.lag}`).join(', ')}`;
            if (behind.length > 0) return false;
          }
          if (options.replies === false) return true;
          const thinking = [...(await readChatStates(this.schema.url))].filter(([, state]) => hasReplyInFlight(state));
          seen = `replies in flight in chats ${thinking.map(([chatId]) => chatId).join(', ')}`;
          return thinking.length === 0;
        } catch (error) {
          seen = (error as Error).message;
          return false; // the member asked is going away: ask again
        }
      },
      timeoutMs,
      100,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; last seen: ${seen}`, { cause: error });
    });
  }

  /** Stops every member gracefully, then reads the chat states and checks the run. */
  async finish(injected: Injection[]): Promise<RunOutcome> {
    const hungOnStop = await this.cluster.stopAll();
    const states = await readChatStates(this.schema.url);
    const sent = [...this.botApi.sent];
    return { injected, states, sent, check: checkRun(injected, states, sent), hungOnStop };
  }

  /** Every member's output, for a failing assertion's message. */
  output(): string {
    return this.cluster.everStarted.map((m) => m.output()).join('\n');
  }

  async close(): Promise<void> {
    await this.cluster.close();
    await this.botApi.close();
    await this.groq.close();
    await this.redis.close();
    await this.schema.drop();
  }
}

/**
 * The same script through ONE process with `CLUSTER_MODE=off`, against a
 * deployment of its own, at the same rate: the states a cluster run must end
 * with.
 */
export async function referenceRun(
  label: string,
  script: readonly ScriptedMessage[],
  perSecond: number,
): Promise<RunOutcome> {
  const harness = await ClusterHarness.open({ label, cluster: false });
  try {
    await harness.cluster.start('single');
    const traffic = harness.traffic(script);
    await traffic.run(perSecond);
    await harness.drained(60_000);
    return await harness.finish(traffic.injected);
  } finally {
    await harness.close();
  }
}

/** Differences between a run and the reference (see `chatProjection` for what is compared). */
export function differencesFrom(reference: RunOutcome, run: RunOutcome): string[] {
  return compareRuns(reference, run);
}
