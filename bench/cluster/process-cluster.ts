/*
 * Several `lekha start` processes sharing one deployment (database, Redis,
 * Bot API and Groq emulators): started, stopped, killed and stalled one by
 * one, with waits on what the cluster says of itself (`/api/cluster`,
 * `/readyz`). With `cluster: false` it runs single-process members
 * (`CLUSTER_MODE=off`): the reference run and the harness's own checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assignPartitions } from '../../src/cluster/index.js';
import { MemberProcess, STOP_WITHIN_MS, waitFor } from './member-process.js';

/** What every member of one deployment shares. */
export interface Deployment {
  cli: string;
  cwd: string;
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  telegramToken: string;
  telegramApiRoot: string;
  groqBaseUrl: string;
  adminToken: string;
  /** `CLUSTER_MODE=on` with the settings below, or one process on its own. */
  cluster: boolean;
  partitions: number;
  leaseMs: number;
  heartbeatMs: number;
  /** More settings for every member (`LOG_LEVEL`, model settings…). */
  env?: Record<string, string>;
}

/** `GET /api/cluster` in cluster mode (the fields the tests read). */
export interface ClusterBody {
  enabled: boolean;
  memberId: string;
  partitions: number;
  leader: string | null;
  members: Array<{ id: string; stopping: boolean; partitions: number[]; leader: boolean }>;
  partitionLeases: Array<{ partition: number; owner: string | null; epoch: number; lag: number | null }>;
}

/** Fake credentials the members are given: the emulators accept any key. */
export const FAKE_GROQ_KEY = 'gsk_fake_cluster_test_key_0123456789';

/** A member answered `/api/cluster` with `enabled: false`: it runs on its own, whatever it was told. */
class ClusterModeOffError extends Error {
  constructor(id: string) {
    super(`member ${id} says cluster mode is off (GET /api/cluster: enabled false)`);
  }
}

export class ProcessCluster {
  readonly members = new Map<string, MemberProcess>();
  /** Every member ever started, including the dead and stopped (for CPU totals and logs). */
  readonly everStarted: MemberProcess[] = [];
  private readonly dirs: string[] = [];

  constructor(readonly deployment: Deployment) {}

  /** Starts a member named `id` and resolves once its admin API listens. */
  async start(id: string, env: Record<string, string> = {}): Promise<MemberProcess> {
    const d = this.deployment;
    const dataDir = mkdtempSync(path.join(tmpdir(), `lekha-member-${id}-`));
    this.dirs.push(dataDir);
    const member = await MemberProcess.start({
      id,
      cli: d.cli,
      cwd: d.cwd,
      adminToken: d.adminToken,
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: d.databaseUrl,
        REDIS_URL: d.redisUrl,
        REDIS_KEY_PREFIX: d.redisKeyPrefix,
        TELEGRAM_BOT_TOKEN: d.telegramToken,
        TELEGRAM_API_ROOT: d.telegramApiRoot,
        GROQ_API_KEY: FAKE_GROQ_KEY,
        GROQ_BASE_URL: d.groqBaseUrl,
        CLUSTER_MODE: d.cluster ? 'on' : 'off',
        ...(d.cluster
          ? {
              PARTITIONS: String(d.partitions),
              CLUSTER_MEMBER_ID: id,
              CLUSTER_LEASE_MS: String(d.leaseMs),
              CLUSTER_HEARTBEAT_MS: String(d.heartbeatMs),
            }
          : {}),
        ...d.env,
        ...env,
      },
    });
    this.members.set(id, member);
    this.everStarted.push(member);
    return member;
  }

  /** The running members (not killed, not stopped; a paused one counts as running). */
  running(): MemberProcess[] {
    return [...this.members.values()].filter((m) => m.running);
  }

  member(id: string): MemberProcess {
    const member = this.members.get(id);
    if (member === undefined) throw new Error(`no member ${id}`);
    return member;
  }

  /** `/api/cluster` as `member` (or the first running member) sees it. */
  async status(member?: MemberProcess): Promise<ClusterBody> {
    const asked = member ?? this.running()[0];
    if (asked === undefined) throw new Error('no member is running');
    const { status, body } = await asked.get('/api/cluster');
    if (status !== 200) throw new Error(`member ${asked.id}: /api/cluster answered ${status}: ${JSON.stringify(body)}`);
    return body as ClusterBody;
  }

  /**
   * Waits until the cluster is settled among `ids` (default: the running
   * members): each of them listed, none other, a leader among them, and
   * every partition's lease held by the member rendezvous hashing gives it
   * to (so a joiner has taken its share, a leaver's share is taken), as
   * `/api/cluster` of each says; and each answers `/readyz` with 200.
   */
  async settled(timeoutMs: number, ids?: readonly string[]): Promise<ClusterBody> {
    let last: ClusterBody | undefined;
    let problem = 'not asked yet';
    await waitFor(
      `the cluster to settle (${ids?.join(', ') ?? 'all running members'})`,
      async () => {
        const live = ids ?? this.running().map((m) => m.id);
        try {
          for (const id of live) {
            const member = this.member(id);
            const body = await this.status(member);
            if (!body.enabled) throw new ClusterModeOffError(id);
            const listed = body.members.filter((m) => !m.stopping).map((m) => m.id);
            const assigned = new Map<number, string>();
            for (const [owner, partitions] of assignPartitions(live, this.deployment.partitions)) {
              for (const p of partitions) assigned.set(p, owner);
            }
            if (listed.length !== live.length || !live.every((l) => listed.includes(l))) {
              problem = `${id} lists ${listed.join(',')}`;
              return false;
            }
            if (body.leader === null || !live.includes(body.leader)) {
              problem = `${id} sees leader ${body.leader}`;
              return false;
            }
            const misplaced = body.partitionLeases.filter((p) => p.owner !== assigned.get(p.partition));
            if (body.partitionLeases.length !== this.deployment.partitions || misplaced.length > 0) {
              problem = `${id} sees ${misplaced.map((p) => `${p.partition}@${p.owner}`).join(',')} not where they belong`;
              return false;
            }
            const ready = await member.get('/readyz');
            if (ready.status !== 200) {
              problem = `${id} /readyz ${ready.status} ${JSON.stringify(ready.body)}`;
              return false;
            }
            last = body;
          }
          return true;
        } catch (error) {
          if (error instanceof ClusterModeOffError) throw error;
          problem = error instanceof Error ? error.message : String(error);
          return false;
        }
      },
      timeoutMs,
      100,
    ).catch((error: unknown) => {
      if (error instanceof ClusterModeOffError) throw error;
      throw new Error(`${(error as Error).message}; last problem: ${problem}`, { cause: error });
    });
    return last as ClusterBody;
  }

  /** Waits for `/readyz` 200 on `member`. */
  async ready(member: MemberProcess, timeoutMs: number): Promise<void> {
    await waitFor(
      `${member.id} to be ready`,
      async () => {
        try {
          return (await member.get('/readyz')).status === 200;
        } catch {
          return false;
        }
      },
      timeoutMs,
      100,
    );
  }

  /** The leader's id as `/api/cluster` says. */
  async leader(): Promise<string> {
    const { leader } = await this.status();
    if (leader === null) throw new Error('the cluster has no leader');
    return leader;
  }

  /** A member other than `leader` holding at least one partition. */
  async worker(): Promise<string> {
    const body = await this.status();
    const worker = body.members.find((m) => !m.leader && m.partitions.length > 0);
    if (worker === undefined) throw new Error(`no worker besides the leader: ${JSON.stringify(body.members)}`);
    return worker.id;
  }

  /**
   * Stops every running member gracefully (a paused one is resumed first);
   * what does not exit in time is killed. Returns the ids of those.
   */
  async stopAll(withinMs = STOP_WITHIN_MS): Promise<string[]> {
    const hung: string[] = [];
    await Promise.all(
      this.running().map(async (member) => {
        member.resume();
        await member.terminate(withinMs).catch(() => hung.push(member.id));
      }),
    );
    return hung;
  }

  /** Kills whatever still runs and removes the members' data directories. */
  async close(): Promise<void> {
    await Promise.all(this.running().map((m) => m.kill9()));
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  /** CPU seconds used by every member this cluster started. */
  cpuSeconds(): number {
    return this.everStarted.reduce((sum, m) => sum + m.cpuSeconds(), 0);
  }
}
