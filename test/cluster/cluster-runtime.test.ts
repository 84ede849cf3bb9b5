/*
 * Cluster mode through `startRuntime`, as `lekha start` wires it: two
 * members in this process share the Bot API and Groq emulators, one Postgres
 * schema and one Redis prefix. (Real processes, kills and stalls are in
 * cluster-processes.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignPartitions } from '../../src/cluster/index.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type Runtime, startRuntime } from '../../src/main.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { type Counter, type Gauge, HeadlineMetric } from '../../src/runtime/index.js';
import { StartError } from '../../src/start-error.js';
import { emulatorEnv, freePort, RELAXED_LIMITS, waitFor } from '../support/edge-harness.js';
import { createTestRedis, createTestSchema, type TestRedis, type TestSchema } from '../support/test-services.js';

const ADMIN = 'cluster-runtime-admin-token-01';
const PARTITIONS = 8;

interface ClusterBody {
  enabled: boolean;
  leader: string | null;
  members: Array<{ id: string; partitions: number[]; leader: boolean }>;
  partitionLeases: Array<{ partition: number; owner: string | null; epoch: number }>;
}

/** What the members of one test deployment share: the emulators, a Postgres schema and a Redis prefix. */
class Deployment {
  readonly running: Runtime[] = [];

  private constructor(
    readonly botApi: BotApiEmulator,
    readonly groq: GroqEmulator,
    readonly schema: TestSchema,
    readonly redis: TestRedis,
  ) {}

  static async open(label: string): Promise<Deployment> {
    return new Deployment(
      await BotApiEmulator.start({ limits: false }),
      await GroqEmulator.start({ latency: 5 }),
      await createTestSchema(label),
      await createTestRedis(label),
    );
  }

  /** A member's configuration: cluster mode on the shared services, short leases, `extra` over it. */
  config(member: string, extra: Record<string, string> = {}): Config {
    return loadConfig({
      ...emulatorEnv(this.botApi, this.groq),
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      ADMIN_TOKEN: ADMIN,
      DATABASE_URL: this.schema.url,
      REDIS_URL: this.redis.url,
      REDIS_KEY_PREFIX: this.redis.prefix,
      CLUSTER_MODE: 'on',
      PARTITIONS: String(PARTITIONS),
      CLUSTER_MEMBER_ID: member,
      CLUSTER_LEASE_MS: '1500',
      CLUSTER_HEARTBEAT_MS: '200',
      SNAPSHOT_INTERVAL_MS: '50',
      // Each member its own memory indexes, as each process has its own disk.
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `lekha-${member}-`)),
      ...extra,
    });
  }

  /** Starts a member as `lekha start` does, with no unasked replies (tests count the replies they asked for). */
  async start(config: Config, logger: pino.Logger): Promise<Runtime> {
    const runtime = await startRuntime(config, logger, {
      random: () => 0.999,
      telegramLimits: RELAXED_LIMITS,
      polling: { timeoutS: 1, retryMinMs: 50 },
    });
    this.running.push(runtime);
    return runtime;
  }

  async close(): Promise<void> {
    for (const runtime of this.running.splice(0)) await runtime.stop().catch(() => undefined);
    await Promise.all([this.botApi.close(), this.groq.close()]);
    await this.redis.close();
    await this.schema.drop();
  }
}

describe('cluster mode through startRuntime', () => {
  let d: Deployment;
  const logLines: string[] = [];
  const logger = (member: string): pino.Logger =>
    pino({ level: 'debug', base: { member } }, { write: (line: string) => void logLines.push(line) });

  const member = (id: string): Promise<Runtime> => d.start(d.config(id), logger(id));

  async function cluster(runtime: Runtime): Promise<ClusterBody> {
    const res = await fetch(`${runtime.http!.url}/api/cluster`, { headers: { authorization: `Bearer ${ADMIN}` } });
    return (await res.json()) as ClusterBody;
  }

  async function settled(runtime: Runtime, members: number): Promise<ClusterBody> {
    let body: ClusterBody | undefined;
    await waitFor(
      `${members} members sharing every partition`,
      async () => {
        body = await cluster(runtime);
        if (body.members.length !== members || body.leader === null) return false;
        // Settled: every member serves what rendezvous hashing gives it.
        const assigned = assignPartitions(
          body.members.map((m) => m.id),
          PARTITIONS,
        );
        return body.members.every((m) => JSON.stringify(m.partitions) === JSON.stringify(assigned.get(m.id)));
      },
      20_000,
    );
    return body!;
  }

  beforeAll(async () => {
    d = await Deployment.open('cluster_runtime');
  });

  afterAll(async () => {
    await d?.close();
  });

  it('shares the chats between two members: every message answered once, each chat by the member serving it', async () => {
    const a = await member('member-a');
    const b = await member('member-b');
    const body = await settled(a, 2);
    expect(body.enabled).toBe(true);
    expect(body.members.filter((m) => m.leader)).toHaveLength(1);
    expect(body.members.map((m) => m.partitions.length).every((n) => n > 0)).toBe(true);

    // Private chats: every message gets a reply.
    const chats = Array.from({ length: 24 }, (_, i) => 5_000 + i);
    const asked = chats.map((chatId) =>
      d.botApi.injectMessage({ chatId, from: { id: chatId, firstName: `U${chatId}` }, text: `привет, я ${chatId}` }),
    );
    await waitFor('a reply in every chat', () => chats.every((chatId) => d.botApi.sentTo(chatId).length >= 1), 30_000);
    for (const chatId of chats) expect(d.botApi.sentTo(chatId)).toHaveLength(1);
    expect(asked).toHaveLength(chats.length);
    // Both members served chats: each one's chat actors are those of its partitions.
    const live = [a, b].map((r) => r.supervisor.stats().live + r.supervisor.stats().passivated);
    expect(live.every((n) => n > 0)).toBe(true);
    expect(live[0]! + live[1]!).toBe(chats.length);
    // Each member counts the updates it processed: its charts show its share, and the shares add up.
    const received = [a, b].map((r) => (r.metrics.get(HeadlineMetric.updatesReceived) as Counter).value);
    expect(received.every((n) => n > 0)).toBe(true);
    expect(received[0]! + received[1]!).toBe(chats.length);
  }, 60_000);

  it('answers a chat request on either member from the member serving the chat', async () => {
    const [a, b] = d.running as [Runtime, Runtime];
    const chatId = 5_000;
    for (const runtime of [a, b]) {
      const res = await fetch(`${runtime.http!.url}/api/chats/${chatId}/settings`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(res.status).toBe(200);
    }
    // Exactly one of them holds the chat's actor.
    expect([a, b].filter((r) => r.supervisor.isLive(chatId))).toHaveLength(1);
  }, 30_000);

  it('hands a stopping member’s chats to the other, which goes on answering them', async () => {
    const [a, b] = d.running.splice(0, 2) as [Runtime, Runtime];
    await a.stop();
    const body = await settled(b, 1);
    expect(body.members[0]!.partitions).toHaveLength(PARTITIONS);
    const chats = Array.from({ length: 12 }, (_, i) => 5_000 + i);
    for (const chatId of chats)
      d.botApi.injectMessage({ chatId, from: { id: chatId, firstName: `U${chatId}` }, text: 'ещё раз привет' });
    await waitFor('a second reply in every chat', () => chats.every((c) => d.botApi.sentTo(c).length >= 2), 30_000);
    for (const chatId of chats) expect(d.botApi.sentTo(chatId)).toHaveLength(2);
    d.running.push(b);
  }, 60_000);

  it('refuses to start with another partition count than the deployment’s, naming both', async () => {
    const refused = startRuntime(d.config('member-c', { PARTITIONS: '16' }), logger('member-c'), {
      telegramLimits: RELAXED_LIMITS,
      polling: { timeoutS: 1, retryMinMs: 50 },
    });
    await expect(refused).rejects.toBeInstanceOf(StartError);
    await expect(refused).rejects.toThrow(/CLUSTER_PARTITIONS_MISMATCH.*16.*8|CLUSTER_PARTITIONS_MISMATCH.*8.*16/);
  }, 30_000);

  it('keeps the bot token and the admin token out of every log line', () => {
    const text = logLines.join('\n');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(d.botApi.token);
    expect(text).not.toContain(ADMIN);
  });
});

describe('cluster mode with webhooks', () => {
  let d: Deployment;

  beforeAll(async () => {
    d = await Deployment.open('cluster_webhook');
  });

  afterAll(async () => {
    await d?.close();
  });

  it('lets the member Telegram posts to take every update, each answered once by the member serving its chat', async () => {
    for (const member of ['hook-a', 'hook-b']) {
      // Telegram keeps one webhook per bot: the last member to start receives every update.
      const port = await freePort();
      const config = d.config(member, {
        HTTP_PORT: String(port),
        TELEGRAM_MODE: 'webhook',
        WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
        WEBHOOK_SECRET: 'cluster-webhook-secret',
      });
      await d.start(config, pino({ level: 'silent' }));
    }
    const botApi = d.botApi;
    const [a, b] = d.running as [Runtime, Runtime];
    const ownedBy = (r: Runtime) => (r.metrics.get('lekha_cluster_partitions_owned') as Gauge).value;
    await waitFor(
      'the partitions shared',
      () => ownedBy(a) > 0 && ownedBy(b) > 0 && ownedBy(a) + ownedBy(b) === PARTITIONS,
      20_000,
    );
    const chats = Array.from({ length: 16 }, (_, i) => 7_000 + i);
    for (const chatId of chats)
      botApi.injectMessage({ chatId, from: { id: chatId, firstName: `W${chatId}` }, text: 'привет по вебхуку' });
    await waitFor('a reply in every chat', () => chats.every((c) => botApi.sentTo(c).length >= 1), 30_000);
    for (const chatId of chats) expect(botApi.sentTo(chatId)).toHaveLength(1);
    const served = [a, b].map((r) => (r.metrics.get(HeadlineMetric.updatesReceived) as Counter).value);
    expect(served.every((n) => n > 0)).toBe(true);
    expect(served[0]! + served[1]!).toBe(chats.length);
  }, 60_000);
});
