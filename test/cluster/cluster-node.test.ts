/*
 * Cluster nodes in one process over the real lease and membership tables and
 * the real ingress lock: partitions split disjointly and cover all, a join
 * moves about 1/N, a graceful stop hands over at once, a stalled member
 * loses its partitions and drops them when it runs again, and a member cut
 * off from Postgres gives everything up and comes back.
 */
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdvisoryLeaderLock,
  assignPartitions,
  ClusterNode,
  type Lease,
  MemoryClusterSignal,
  PartitionCountMismatchError,
  partitionOf,
  type PartitionWork,
  PostgresLeaseTable,
  PostgresMembership,
} from '../../src/cluster/index.js';
import { type Clock, Counter, InvalidOptionError, MetricsRegistry, type TimerHandle } from '../../src/runtime/index.js';
import { type Database, migrate, PostgresDatabase } from '../../src/storage/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { TcpGate } from '../support/tcp-gate.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

const LEASE_MS = 1_000;
const HEARTBEAT_MS = 200;

let schema: TestSchema;
let db: Database;
let admin: pg.Client;
let run = 0;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  schema = await createTestSchema('cluster_node');
  db = new PostgresDatabase({ url: schema.url, maxConnections: 8 });
  await migrate(db);
  admin = new pg.Client({ connectionString: schema.url });
  await admin.connect();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await db.query('TRUNCATE partition_leases, cluster_members');
});

afterAll(async () => {
  await admin?.end();
  await db?.close();
  await schema?.drop();
});

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Partitions served by each member at once, across the test's nodes. */
class Serving {
  readonly byPartition = new Map<number, string>();
  /** Partitions a member started serving while another still did. */
  readonly overlaps: Array<{ partition: number; members: [string, string] }> = [];
}

/** Records what a node asks of its partition work, and what it serves. */
class FakeWork implements PartitionWork {
  readonly served = new Map<number, number>();
  readonly calls: Array<
    | { kind: 'serve'; lease: Lease }
    | { kind: 'handOff'; partitions: number[] }
    | { kind: 'abandon'; partitions: number[] }
  > = [];
  /** Partitions whose next serve fails. */
  readonly failServe = new Set<number>();
  /** Hand-offs never finish (a stuck drain). */
  hangHandOff = false;

  constructor(
    private readonly member: string,
    private readonly serving: Serving,
  ) {}

  async serve(lease: Lease): Promise<void> {
    this.calls.push({ kind: 'serve', lease });
    if (this.failServe.delete(lease.partition)) throw new Error(`cannot serve ${lease.partition}`);
    const other = this.serving.byPartition.get(lease.partition);
    if (other !== undefined && other !== this.member)
      this.serving.overlaps.push({ partition: lease.partition, members: [other, this.member] });
    this.serving.byPartition.set(lease.partition, this.member);
    this.served.set(lease.partition, lease.epoch);
  }

  async handOff(partitions: readonly number[]): Promise<void> {
    this.calls.push({ kind: 'handOff', partitions: [...partitions] });
    if (this.hangHandOff) await new Promise(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    this.drop(partitions);
  }

  abandon(partitions: readonly number[]): void {
    this.calls.push({ kind: 'abandon', partitions: [...partitions] });
    this.drop(partitions);
  }

  abandoned(): number[] {
    return this.calls.flatMap((c) => (c.kind === 'abandon' ? c.partitions : []));
  }

  private drop(partitions: readonly number[]): void {
    for (const p of partitions) {
      this.served.delete(p);
      if (this.serving.byPartition.get(p) === this.member) this.serving.byPartition.delete(p);
    }
  }
}

/** The system clock, whose timers can be held back: the process "freezes" while paused. */
class StallableClock implements Clock {
  paused = false;
  private held: Array<{ fn: () => void; cancelled: boolean }> = [];

  now(): number {
    return Date.now();
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const entry = { fn, cancelled: false, timeout: undefined as NodeJS.Timeout | undefined };
    entry.timeout = setTimeout(() => {
      if (entry.cancelled) return;
      if (this.paused) this.held.push(entry);
      else fn();
    }, ms);
    return entry as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    const entry = handle as unknown as { cancelled: boolean; timeout: NodeJS.Timeout };
    entry.cancelled = true;
    clearTimeout(entry.timeout);
  }

  /** Runs what fell due while paused, or holds it back further. */
  defer(fn: () => void): void {
    if (this.paused) this.held.push({ fn, cancelled: false });
    else fn();
  }

  resume(): void {
    this.paused = false;
    for (const entry of this.held.splice(0)) if (!entry.cancelled) entry.fn();
  }
}

interface TestNode {
  readonly id: string;
  readonly node: ClusterNode;
  readonly work: FakeWork;
  readonly clock: StallableClock;
  readonly metrics: MetricsRegistry;
  readonly logger: CapturingLogger;
  readonly leadership: boolean[];
  readonly lock: AdvisoryLeaderLock;
}

interface NodeSetup {
  partitions: number;
  serving: Serving;
  signal: MemoryClusterSignal;
  /** Another database (through a gate) for this node; default: the shared one. */
  database?: Database;
  url?: string;
  lag?: (partitions: readonly number[]) => Promise<number[]>;
}

function makeNode(id: string, setup: NodeSetup): TestNode {
  const clock = new StallableClock();
  const metrics = new MetricsRegistry();
  const logger = new CapturingLogger();
  const work = new FakeWork(id, setup.serving);
  const leadership: boolean[] = [];
  const database = setup.database ?? db;
  const lock = new AdvisoryLeaderLock({
    url: setup.url ?? schema.url,
    name: `lekha-ingress:${schema.name}:${run}`,
    idleTimeoutMs: LEASE_MS,
  });
  // A frozen member hears nothing either.
  const signal = {
    announce: () => setup.signal.announce(),
    subscribe: (listener: () => void) => setup.signal.subscribe(() => clock.defer(listener)),
  };
  const node = new ClusterNode({
    memberId: id,
    httpUrl: `http://${id}.test`,
    partitions: setup.partitions,
    leaseMs: LEASE_MS,
    heartbeatMs: HEARTBEAT_MS,
    leases: new PostgresLeaseTable(database),
    members: new PostgresMembership(database),
    leader: lock,
    work,
    onLeadership: (leader) => leadership.push(leader),
    signal,
    ...(setup.lag === undefined ? {} : { lag: setup.lag }),
    clock,
    metrics,
    logger,
  });
  cleanups.push(async () => {
    clock.resume();
    await node.stop(Date.now() + 1_000);
  });
  return { id, node, work, clock, metrics, logger, leadership, lock };
}

function setupFor(partitions: number): NodeSetup {
  run++;
  return { partitions, serving: new Serving(), signal: new MemoryClusterSignal() };
}

/** Every node serves exactly what rendezvous hashing gives it over the nodes, and the lease table agrees. */
async function converged(nodes: readonly TestNode[], partitions: number): Promise<boolean> {
  const expected = assignPartitions(
    nodes.map((n) => n.id),
    partitions,
  );
  for (const n of nodes) {
    const mine = expected.get(n.id) ?? [];
    if (JSON.stringify(n.node.ownedPartitions()) !== JSON.stringify(mine)) return false;
    if (JSON.stringify([...n.work.served.keys()].sort((a, b) => a - b)) !== JSON.stringify(mine)) return false;
  }
  const rows = await new PostgresLeaseTable(db).list();
  return rows.every((row) => {
    const owner = nodes.find((n) => (expected.get(n.id) ?? []).includes(row.partition));
    return row.owner === owner?.id && owner.node.epochOf(row.partition) === row.epoch;
  });
}

/** Backend pids of sessions holding the advisory lock with this key. */
async function lockHolders(key: string): Promise<number[]> {
  const result = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
    [key],
  );
  return result.rows.map((r) => r.pid);
}

function counter(n: TestNode, name: string): number {
  return (n.metrics.get(name) as Counter | undefined)?.value ?? 0;
}

function gauge(n: TestNode, name: string): number {
  return (n.metrics.get(name) as { value: number } | undefined)?.value ?? NaN;
}

describe('ClusterNode', () => {
  it('is not ready before it joins', () => {
    const a = makeNode('a', setupFor(4));
    expect(a.node.readiness()).toEqual({ ready: false, reason: expect.stringContaining('not joined') });
    expect(a.node.epochOf(0)).toBeNull();
    expect(a.node.ownerOf(1)).toEqual({ kind: 'none' });
  });

  it('refuses a heartbeat that is not below the lease time', () => {
    expect(
      () =>
        new ClusterNode({
          memberId: 'x',
          partitions: 4,
          leaseMs: 1_000,
          heartbeatMs: 1_000,
          leases: new PostgresLeaseTable(db),
          members: new PostgresMembership(db),
          leader: new AdvisoryLeaderLock({ url: schema.url, name: 'unused', idleTimeoutMs: 1_000 }),
          work: new FakeWork('x', new Serving()),
        }),
    ).toThrow(InvalidOptionError);
  });

  it('stops cleanly before it ever joined', async () => {
    const a = makeNode('a', setupFor(4));
    await a.node.stop(Date.now());
    await a.node.start();
    expect(a.node.readiness().ready).toBe(false);
    expect(a.work.calls).toEqual([]);
    expect(await new PostgresMembership(db).live(60_000)).toEqual([]);
  });

  it('gives back a lease it holds without serving it, and takes it anew', async () => {
    const leases = new PostgresLeaseTable(db);
    await leases.init(4);
    // Taken by an earlier life of this member (or an acquisition whose answer was lost).
    await leases.acquire('a', [2], 60_000);
    const a = makeNode('a', setupFor(4));
    await a.node.start();
    await waitFor('a to serve everything', () => converged([a], 4));
    expect([0, 1, 2, 3].map((p) => a.node.epochOf(p))).toEqual([1, 1, 2, 1]);
  });

  it('gives up a hand-off still unfinished at the stop deadline: dropped and released', async () => {
    const setup = setupFor(4);
    const a = makeNode('a', setup);
    await a.node.start();
    await waitFor('a to serve everything', () => converged([a], 4));
    a.work.hangHandOff = true;
    await a.node.stop(Date.now() + 300);
    expect(a.work.abandoned().sort()).toEqual([0, 1, 2, 3]);
    expect(a.logger.lines.some((l) => l.msg.includes('unfinished at the deadline'))).toBe(true);
    const rows = await new PostgresLeaseTable(db).list();
    expect(rows.map((r) => r.owner)).toEqual([null, null, null, null]);
  });

  it('refuses to join with another partition count than the deployment’s', async () => {
    const a = makeNode('a', setupFor(8));
    await a.node.start();
    const b = makeNode('b', { ...setupFor(16) });
    await expect(b.node.start()).rejects.toBeInstanceOf(PartitionCountMismatchError);
    expect(b.node.readiness().ready).toBe(false);
  });

  it('splits the partitions disjointly over three members, with one leader', async () => {
    const setup = {
      ...setupFor(16),
      lag: async (parts: readonly number[]) => parts.map((p) => p * 10),
    };
    const nodes = ['a', 'b', 'c'].map((id) => makeNode(id, setup));
    await Promise.all(nodes.map((n) => n.node.start()));
    await waitFor('the partitions to settle', () => converged(nodes, 16));
    await waitFor('a leader', () => nodes.some((n) => n.node.leader));
    expect(setup.serving.overlaps).toEqual([]);
    const leaders = nodes.filter((n) => n.node.leader);
    expect(leaders).toHaveLength(1);
    const leader = leaders[0] as TestNode;
    expect(leader.leadership).toEqual([true]);
    expect(gauge(leader, 'lekha_cluster_leader')).toBe(1);

    const total = nodes.reduce((sum, n) => sum + gauge(n, 'lekha_cluster_partitions_owned'), 0);
    expect(total).toBe(16);
    for (const n of nodes) {
      expect(n.node.readiness()).toEqual({ ready: true });
      expect(gauge(n, 'lekha_cluster_members')).toBe(3);
      expect(counter(n, 'lekha_cluster_rebalances_total')).toBeGreaterThan(0);
    }

    // Who serves a chat, as each member sees it.
    const a = nodes[0] as TestNode;
    const chat = [...Array(1000).keys()].find((c) => !a.node.ownsChat(c)) as number;
    const owner = nodes.find((n) => n.node.ownsChat(chat)) as TestNode;
    expect(owner.node.ownerOf(chat)).toEqual({ kind: 'local' });
    const remote = { kind: 'remote', memberId: owner.id, httpUrl: `http://${owner.id}.test` };
    await waitFor('a reading of the table with the owner', () => isDeepStrictEqual(a.node.ownerOf(chat), remote));
    expect(owner.node.epochOf(partitionOf(chat, 16))).toBe(owner.work.served.get(partitionOf(chat, 16)));
    expect(a.node.epochOf(partitionOf(chat, 16))).toBeNull();

    await waitFor('the leader flag in the member table', async () => (await a.node.status()).leader === leader.id);
    const status = await a.node.status();
    expect(status.memberId).toBe('a');
    expect(status.partitions).toBe(16);
    expect(status.members.map((m) => m.id).sort()).toEqual(['a', 'b', 'c']);
    for (const m of status.members) {
      const n = nodes.find((x) => x.id === m.id) as TestNode;
      expect(m.partitions).toEqual(n.node.ownedPartitions());
      expect(m.leader).toBe(m.id === leader.id);
      expect(m.httpUrl).toBe(`http://${m.id}.test`);
    }
    expect(status.partitionLeases).toHaveLength(16);
    expect(status.partitionLeases[3]).toMatchObject({ partition: 3, lag: 30, epoch: expect.any(Number) });
    expect(status.partitionLeases.every((p) => p.owner !== null && p.expiresAtMs !== null)).toBe(true);
  });

  it('reports lag as unknown when the streams cannot be asked', async () => {
    const setup = {
      ...setupFor(4),
      lag: async () => {
        throw new Error('redis down');
      },
    };
    const a = makeNode('a', setup);
    await a.node.start();
    const status = await a.node.status();
    expect(status.partitionLeases.map((p) => p.lag)).toEqual([null, null, null, null]);
  });

  it('moves about 1/N of the partitions to a member that joins, from the others only', async () => {
    const setup = setupFor(64);
    const [a, b] = ['a', 'b'].map((id) => makeNode(id, setup)) as [TestNode, TestNode];
    await Promise.all([a.node.start(), b.node.start()]);
    await waitFor('two members to settle', () => converged([a, b], 64));
    const before = new Map([a, b].map((n) => [n.id, n.node.ownedPartitions()]));
    const callsBefore = new Map([a, b].map((n) => [n.id, n.work.calls.length]));
    const c = makeNode('c', setup);
    const joined = Date.now();
    await c.node.start();
    await waitFor('three members to settle', () => converged([a, b, c], 64));
    // Released and announced: no waiting for leases to run out.
    expect(Date.now() - joined).toBeLessThan(LEASE_MS + 2 * HEARTBEAT_MS);
    const taken = c.node.ownedPartitions().length;
    expect(taken).toBeGreaterThanOrEqual(10);
    expect(taken).toBeLessThanOrEqual(32);
    for (const n of [a, b]) {
      const now = n.node.ownedPartitions();
      expect(now.every((p) => (before.get(n.id) ?? []).includes(p))).toBe(true);
      const handedOff = n.work.calls
        .slice(callsBefore.get(n.id))
        .flatMap((call) => (call.kind === 'handOff' ? call.partitions : []));
      expect(handedOff.sort((x, y) => x - y)).toEqual((before.get(n.id) ?? []).filter((p) => !now.includes(p)));
      expect(n.work.abandoned()).toEqual([]);
    }
    expect(setup.serving.overlaps).toEqual([]);
  });

  it('hands everything over on a graceful stop, and the others take it at once', async () => {
    const setup = setupFor(16);
    const nodes = ['a', 'b', 'c'].map((id) => makeNode(id, setup));
    await Promise.all(nodes.map((n) => n.node.start()));
    await waitFor('the partitions to settle', () => converged(nodes, 16));
    await waitFor('a leader', () => nodes.some((n) => n.node.leader));
    // Stop the leader, so the ingress lock moves too.
    const leaving = nodes.find((n) => n.node.leader) as TestNode;
    const staying = nodes.filter((n) => n !== leaving);
    const had = leaving.node.ownedPartitions();
    const callsBefore = leaving.work.calls.length;
    const stopAt = Date.now();
    const stopping = leaving.node.stop(Date.now() + 2_000);
    expect(leaving.node.stop(0)).toBe(stopping);
    expect(leaving.node.readiness()).toEqual({ ready: false, reason: expect.stringContaining('stopping') });
    await stopping;
    await waitFor('the others to take everything', () => converged(staying, 16));
    expect(Date.now() - stopAt).toBeLessThan(LEASE_MS);
    const handedOff = leaving.work.calls.slice(callsBefore).flatMap((c) => (c.kind === 'handOff' ? c.partitions : []));
    expect(handedOff.sort((x, y) => x - y)).toEqual(had);
    expect(leaving.work.abandoned()).toEqual([]);
    expect(leaving.node.ownedPartitions()).toEqual([]);
    expect(leaving.leadership[0]).toBe(true);
    expect(leaving.leadership.at(-1)).toBe(false);
    expect(leaving.lock.held).toBe(false);
    await waitFor('another leader', () => staying.some((n) => n.node.leader));
    const members = await new PostgresMembership(db).live(60_000);
    expect(members.map((m) => m.id).sort()).toEqual(staying.map((n) => n.id).sort());
    expect(setup.serving.overlaps).toEqual([]);
  });

  it('takes a stalled member’s partitions after expiry; the member drops them when it runs again', async () => {
    const setup = setupFor(16);
    const [a, b] = ['a', 'b'].map((id) => makeNode(id, setup)) as [TestNode, TestNode];
    await Promise.all([a.node.start(), b.node.start()]);
    await waitFor('the partitions to settle', () => converged([a, b], 16));
    const had = new Map(a.node.ownedPartitions().map((p) => [p, a.node.epochOf(p) as number]));
    expect(had.size).toBeGreaterThan(0);

    a.clock.paused = true;
    await waitFor('b to take everything', () => b.node.ownedPartitions().length === 16, 5 * LEASE_MS);
    // While frozen past its deadline it fences itself: no epoch to write under.
    for (const p of had.keys()) expect(a.node.epochOf(p)).toBeNull();
    for (const [p, epoch] of had) expect(b.node.epochOf(p)).toBeGreaterThan(epoch);

    a.clock.resume();
    await waitFor('a to drop what it had', () => [...had.keys()].every((p) => a.work.abandoned().includes(p)));
    await waitFor('the partitions to settle again', () => converged([a, b], 16));
    for (const p of a.node.ownedPartitions()) expect(a.node.epochOf(p)).toBeGreaterThan(had.get(p) ?? 0);
    expect(a.node.readiness()).toEqual({ ready: true });
  });

  it('gives every partition up when Postgres is unreachable, reports not ready, and comes back', async () => {
    const base = new URL(schema.url);
    const gate = await TcpGate.start({ host: base.hostname, port: Number(base.port || 5432) });
    const gated = new URL(schema.url);
    gated.hostname = '127.0.0.1';
    gated.port = String(gate.port);
    const gatedDb = new PostgresDatabase({ url: gated.toString(), maxConnections: 4, queryTimeoutMs: 2_000 });
    cleanups.push(async () => {
      await gatedDb.close();
      await gate.close();
    });
    const setup = setupFor(16);
    const a = makeNode('a', { ...setup, database: gatedDb, url: gated.toString() });
    const b = makeNode('b', setup);
    await a.node.start();
    await waitFor('a to lead', () => a.node.leader);
    await b.node.start();
    await waitFor('the partitions to settle', () => converged([a, b], 16));
    const had = a.node.ownedPartitions();

    gate.cut();
    await waitFor('a to give everything up', () => had.every((p) => a.work.abandoned().includes(p)), 3 * LEASE_MS);
    expect(a.node.ownedPartitions()).toEqual([]);
    expect(a.node.readiness()).toEqual({ ready: false, reason: expect.stringContaining('Postgres unreachable') });
    expect(counter(a, 'lekha_lease_renew_failures_total')).toBeGreaterThan(0);
    expect(counter(b, 'lekha_lease_renew_failures_total')).toBe(0);
    await waitFor('a to lose the ingress lock', () => !a.node.leader);
    expect(a.leadership[0]).toBe(true);
    expect(a.leadership.at(-1)).toBe(false);
    await waitFor('b to take everything', () => b.node.ownedPartitions().length === 16, 5 * LEASE_MS);
    await waitFor('b to lead', () => b.node.leader);

    gate.restore();
    await waitFor('a to be ready again', () => a.node.readiness().ready, 5 * LEASE_MS);
    await waitFor('the partitions to settle again', () => converged([a, b], 16), 5 * LEASE_MS);
  });

  it('gives back a partition it failed to start serving, and takes it again', async () => {
    const setup = setupFor(4);
    const a = makeNode('a', setup);
    a.work.failServe.add(2);
    await a.node.start();
    await waitFor('a to serve everything', () => converged([a], 4));
    const serves = a.work.calls.filter((c) => c.kind === 'serve' && c.lease.partition === 2);
    expect(serves).toHaveLength(2);
    expect(a.work.abandoned()).toEqual([2]);
    expect(a.node.epochOf(2)).toBe(2);
  });

  it('loses the lead when its lock session dies, and another member takes it', async () => {
    const setup = setupFor(4);
    const nodes = ['a', 'b'].map((id) => makeNode(id, setup));
    await Promise.all(nodes.map((n) => n.node.start()));
    let pid: number | undefined;
    let leader: TestNode | undefined;
    await waitFor('a leader holding the lock', async () => {
      leader = nodes.find((n) => n.node.leader);
      pid = leader === undefined ? undefined : (await lockHolders(leader.lock.key))[0];
      return pid !== undefined;
    });
    const losing = leader as TestNode;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor('the leader to notice', () => losing.leadership.includes(false));
    expect(losing.leadership.slice(0, 2)).toEqual([true, false]);
    await waitFor('one of them to lead again', () => nodes.some((n) => n.node.leader));
    expect(nodes.filter((n) => n.node.leader)).toHaveLength(1);
  });
});
