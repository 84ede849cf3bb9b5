import {
  type Clock,
  type Gauge,
  InvalidOptionError,
  type Logger,
  MetricsRegistry,
  SystemClock,
  type TimerHandle,
} from '../runtime/index.js';
import type { ChatOwner, ClusterStatus, ClusterView, PartitionStatus } from '../ports/index.js';
import type {
  ClusterSignal,
  LeaderLock,
  Lease,
  LeaseRow,
  LeaseTable,
  MemberRow,
  MembershipTable,
  PartitionFences,
  PartitionWork,
} from './cluster-ports.js';
import { assignPartitions, partitionOf } from './partitions.js';

export interface ClusterNodeOptions {
  /** This process's id in the cluster (unique among the live members). */
  memberId: string;
  /** Where other members reach this one's admin HTTP; may be set later with {@link ClusterNode.setHttpUrl}. */
  httpUrl?: string | null;
  /** The deployment's partition count (`PARTITIONS`). */
  partitions: number;
  /** How long a lease and a heartbeat stay valid without renewal. */
  leaseMs: number;
  /** How often the node renews, heartbeats and rebalances; well below `leaseMs`. */
  heartbeatMs: number;
  leases: LeaseTable;
  members: MembershipTable;
  leader: LeaderLock;
  work: PartitionWork;
  /** Told when this member becomes the ingress leader (true) and when it stops being it (false). */
  onLeadership?: (leader: boolean) => void;
  /** Wakes the members at once when one joins, stops or releases partitions; without it they wait for their heartbeat. */
  signal?: ClusterSignal;
  /** Each partition's stream backlog, for {@link ClusterNode.status} (the stream log's `lag`). */
  lag?: (partitions: readonly number[]) => Promise<number[]>;
  /** How long a hand-off while rebalancing may take before it gives up. Default: `leaseMs`. */
  handOffMs?: number;
  clock?: Clock;
  metrics?: MetricsRegistry;
  logger?: Logger;
}

/** A partition this member holds a lease on. */
interface Held {
  readonly lease: Lease;
  /** `serving`: the work runs it; `handing-off`: the work is giving it up, the lease is kept until it has. */
  phase: 'serving' | 'handing-off';
  /** Settles when `work.serve` did; a hand-off waits for it. */
  serving: Promise<void>;
}

/** A stop under way: its deadline and its end. */
interface Stopping {
  readonly deadlineMs: number;
  readonly done: Promise<void>;
}

/**
 * One member of a cluster: keeps its heartbeat and its leases alive, takes
 * the partitions rendezvous hashing gives it over the live members, hands
 * over those it should no longer serve, and drops at once those it lost.
 * It holds the ingress lock when it can get it.
 *
 * Each tick (every `heartbeatMs`, or at once on a signal; ticks never
 * overlap) it heartbeats, renews, rebalances and reads the tables. If it
 * cannot renew until the leases may have run out — measured from the start
 * of its last successful renewal, by its own clock, a heartbeat early — it
 * abandons every partition (so two members never serve one) and reports
 * itself not ready until Postgres answers again.
 */
export class ClusterNode implements ClusterView, PartitionFences {
  readonly memberId: string;
  private httpUrl: string | null;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly handOffMs: number;
  private readonly held = new Map<number, Held>();
  private readonly handOffs = new Set<Promise<void>>();
  private started = false;
  private stopped = false;
  private stopping: Stopping | null = null;
  private isLeader = false;
  private leaderClosed = false;
  private timer: TimerHandle | null = null;
  private fenceTimer: TimerHandle | null = null;
  private ticking: Promise<void> | null = null;
  private tickAgain = false;
  /** The running tick changed the set of partitions held. */
  private changed = false;
  private unsubscribe: (() => void) | null = null;
  /** When the last successful renewal started; the leases are safe until this plus `leaseMs`. */
  private renewedAtMs: number | null = null;
  /** Renewals failed past the local deadline: every partition abandoned. */
  private fenced = false;
  private lastRows: readonly LeaseRow[] = [];
  private lastMembers: readonly MemberRow[] = [];
  private readonly renewFailures;
  private readonly rebalances;
  private readonly membersGauge: Gauge;

  constructor(private readonly options: ClusterNodeOptions) {
    const { partitions, leaseMs, heartbeatMs } = options;
    if (!Number.isInteger(partitions) || partitions < 1)
      throw new InvalidOptionError('partitions', `partitions must be a positive integer, got ${partitions}`);
    if (!(heartbeatMs > 0) || !(leaseMs > heartbeatMs))
      throw new InvalidOptionError(
        'heartbeatMs',
        `heartbeatMs (${heartbeatMs}) must be positive and below leaseMs (${leaseMs})`,
      );
    this.memberId = options.memberId;
    this.httpUrl = options.httpUrl ?? null;
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger;
    this.handOffMs = options.handOffMs ?? leaseMs;
    const metrics = options.metrics ?? new MetricsRegistry();
    metrics.gauge('lekha_cluster_partitions_owned', 'Partitions this member serves', () => this.servedCount());
    metrics.gauge('lekha_cluster_leader', 'Whether this member holds the ingress lock (1) or not (0)', () =>
      this.isLeader ? 1 : 0,
    );
    this.membersGauge = metrics.gauge(
      'lekha_cluster_members',
      'Live members of the cluster as this member last read them',
    );
    this.rebalances = metrics.counter(
      'lekha_cluster_rebalances_total',
      'Heartbeats at which the set of partitions this member holds changed',
    );
    this.renewFailures = metrics.counter(
      'lekha_lease_renew_failures_total',
      'Lease renewals that failed (Postgres unreachable or erroring)',
    );
    options.leader.onLost(() => this.leadershipLost());
  }

  /** Sets the address other members forward chat requests to (known once HTTP listens). */
  setHttpUrl(url: string | null): void {
    this.httpUrl = url;
  }

  /**
   * Joins: creates the partition rows on a first start (refusing a
   * different `PARTITIONS`), runs the first tick and keeps ticking.
   */
  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    await this.options.leases.init(this.options.partitions);
    if (this.stopping !== null) return;
    this.started = true;
    this.unsubscribe = this.options.signal?.subscribe(() => this.wake()) ?? null;
    await this.runTick();
    await this.announce();
  }

  /** Ticks at once (a signal arrived); if a tick is running, another follows it. */
  wake(): void {
    if (!this.started || this.stopped) return;
    void this.runTick();
  }

  /**
   * Leaves gracefully: says it is stopping, gives up the ingress lock, hands
   * every partition over (giving up at `deadlineMs`, a clock time), releases
   * the leases so the others take them at once, and removes its member row.
   * Idempotent: a second call returns the first one's promise.
   */
  stop(deadlineMs: number): Promise<void> {
    if (this.stopping !== null) return this.stopping.done;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    this.stopping = { deadlineMs, done };
    void this.finishStop(deadlineMs).finally(resolveDone);
    return done;
  }

  readiness(): { ready: true } | { ready: false; reason: string } {
    if (!this.started) return { ready: false, reason: 'the cluster node has not joined yet' };
    if (this.stopping !== null) return { ready: false, reason: 'the cluster node is stopping' };
    if (this.fenced) {
      const since = this.renewedAtMs === null ? 'start' : new Date(this.renewedAtMs).toISOString();
      return {
        ready: false,
        reason: `Postgres unreachable: leases not renewed since ${since}, every partition given up`,
      };
    }
    return { ready: true };
  }

  /**
   * The epoch this member holds `partition` at, while its lease is safe: from
   * the lease being taken until it is released after a hand-off (the hand-off's
   * last writes carry it), and never past the local deadline. Else null.
   */
  epochOf(partition: number): number | null {
    const held = this.held.get(partition);
    if (held === undefined || !this.leaseSafe()) return null;
    return held.lease.epoch;
  }

  /** Whether this member serves `chatId` now (its partition is held and not being handed off). */
  ownsChat(chatId: number): boolean {
    return this.serves(partitionOf(chatId, this.options.partitions));
  }

  /** Partitions this member serves now (held, not being handed off), ascending. */
  ownedPartitions(): number[] {
    return [...this.held.keys()].filter((p) => this.serves(p)).sort((a, b) => a - b);
  }

  get leader(): boolean {
    return this.isLeader;
  }

  ownerOf(chatId: number): ChatOwner {
    const partition = partitionOf(chatId, this.options.partitions);
    if (this.serves(partition)) return { kind: 'local' };
    const row = this.lastRows.find((r) => r.partition === partition);
    if (row === undefined || row.owner === null || row.owner === this.memberId) return { kind: 'none' };
    const member = this.lastMembers.find((m) => m.id === row.owner);
    return { kind: 'remote', memberId: row.owner, httpUrl: member?.httpUrl ?? null };
  }

  async status(): Promise<ClusterStatus> {
    let rows = this.lastRows;
    let members = this.lastMembers;
    try {
      [rows, members] = await Promise.all([
        this.options.leases.list(),
        this.options.members.live(this.options.leaseMs),
      ]);
    } catch (error) {
      this.logger?.warn({ err: error }, 'cluster status: tables unreadable, showing the last reading');
    }
    const all = Array.from({ length: this.options.partitions }, (_, p) => p);
    let lag: Array<number | null> = all.map(() => null);
    if (this.options.lag !== undefined) {
      try {
        const read = await this.options.lag(all);
        lag = all.map((p) => read[p] ?? null);
      } catch (error) {
        this.logger?.warn({ err: error }, 'cluster status: stream lag unreadable');
      }
    }
    const byOwner = new Map<string, number[]>();
    for (const row of rows) {
      if (row.owner === null) continue;
      const list = byOwner.get(row.owner) ?? [];
      list.push(row.partition);
      byOwner.set(row.owner, list);
    }
    const leader = this.isLeader
      ? this.memberId
      : (members.find((m) => m.leader && m.id !== this.memberId)?.id ?? null);
    const partitionLeases: PartitionStatus[] = rows.map((row) => ({
      partition: row.partition,
      owner: row.owner,
      epoch: row.epoch,
      expiresAtMs: row.expiresAtMs,
      lag: lag[row.partition] ?? null,
    }));
    return {
      memberId: this.memberId,
      partitions: this.options.partitions,
      leader,
      members: members.map((m) => ({
        id: m.id,
        httpUrl: m.httpUrl,
        startedAtMs: m.startedAtMs,
        heartbeatAtMs: m.heartbeatAtMs,
        stopping: m.stopping,
        partitions: byOwner.get(m.id) ?? [],
        leader: m.id === leader,
      })),
      partitionLeases,
    };
  }

  private serves(partition: number): boolean {
    return this.held.get(partition)?.phase === 'serving' && this.leaseSafe();
  }

  private servedCount(): number {
    return this.ownedPartitions().length;
  }

  /** The leases may still be ours: the last renewal started less than a lease (minus a heartbeat of margin) ago. */
  private leaseSafe(): boolean {
    return this.renewedAtMs !== null && this.clock.now() < this.localDeadline();
  }

  private localDeadline(): number {
    return (this.renewedAtMs ?? -Infinity) + this.options.leaseMs - this.options.heartbeatMs;
  }

  /** Runs a tick now, or right after the running one. */
  private runTick(): Promise<void> {
    if (this.ticking !== null) {
      this.tickAgain = true;
      return this.ticking;
    }
    if (this.timer !== null) {
      this.clock.clearTimer(this.timer);
      this.timer = null;
    }
    const run = async (): Promise<void> => {
      do {
        this.tickAgain = false;
        try {
          await this.tick();
        } catch (error) {
          this.logger?.error({ err: error }, 'cluster tick failed');
        }
      } while (this.tickAgain && !this.stopped);
    };
    this.ticking = run().finally(() => {
      this.ticking = null;
      if (!this.stopped) this.timer = this.clock.setTimer(() => this.wake(), this.options.heartbeatMs);
    });
    return this.ticking;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.changed = false;
    try {
      await this.rebalance();
    } finally {
      if (this.changed) this.rebalances.inc();
      await this.leadershipTick();
    }
  }

  /** Renews, heartbeats, drops what was lost, hands over what is no longer ours and takes what is. */
  private async rebalance(): Promise<void> {
    const { leases, members, memberId, leaseMs } = this.options;
    const startedAtMs = this.clock.now();

    // Past the local deadline (frozen, or Postgres slow or gone): the leases
    // may be someone else's already, so stop serving before anything else.
    if (this.held.size > 0 && !this.leaseSafe()) this.changed = this.selfFence() || this.changed;

    let renewed: Lease[];
    try {
      renewed = await leases.renew(memberId, leaseMs);
    } catch (error) {
      this.renewFailures.inc();
      this.logger?.warn({ err: error }, 'lease renewal failed');
      return;
    }
    this.renewed(startedAtMs);

    // Leases missing from the renewal were taken over (or ran out): drop them at once.
    const renewedEpochs = new Map(renewed.map((l) => [l.partition, l.epoch]));
    const lost = [...this.held].filter(([p, h]) => renewedEpochs.get(p) !== h.lease.epoch).map(([p]) => p);
    if (lost.length > 0) {
      this.logger?.warn({ partitions: lost }, 'partition leases lost');
      for (const p of lost) this.held.delete(p);
      this.options.work.abandon(lost);
      this.changed = true;
    }
    // Leases held without serving (an acquisition whose answer was lost): give them back.
    const strays = renewed.filter((l) => !this.held.has(l.partition));
    if (strays.length > 0) await this.release(strays);

    let live: MemberRow[];
    try {
      await members.heartbeat(memberId, {
        httpUrl: this.httpUrl,
        stopping: this.stopping !== null,
        leader: this.isLeader,
      });
      live = await members.live(leaseMs);
    } catch (error) {
      this.logger?.warn({ err: error }, 'cluster heartbeat failed');
      return;
    }
    this.lastMembers = live;
    this.membersGauge.set(live.length);
    const eligible = live.filter((m) => !m.stopping).map((m) => m.id);
    if (this.stopping === null && !eligible.includes(memberId)) eligible.push(memberId);
    const desired = new Set(
      this.stopping === null ? (assignPartitions(eligible, this.options.partitions).get(memberId) ?? []) : [],
    );

    const toHandOff = [...this.held].filter(([p, h]) => h.phase === 'serving' && !desired.has(p)).map(([p]) => p);
    if (toHandOff.length > 0) {
      this.startHandOff(toHandOff);
      this.changed = true;
    }

    const wanted = [...desired].filter((p) => !this.held.has(p));
    if (wanted.length > 0) {
      try {
        const taken = await leases.acquire(memberId, wanted, leaseMs);
        for (const lease of taken) this.serve(lease);
        if (taken.length > 0) this.changed = true;
      } catch (error) {
        this.logger?.warn({ err: error }, 'lease acquisition failed');
      }
    }

    try {
      this.lastRows = await leases.list();
    } catch (error) {
      this.logger?.warn({ err: error }, 'lease table unreadable');
    }
  }

  /** A renewal that started at `atMs` succeeded: the leases are safe until a lease after it. */
  private renewed(atMs: number): void {
    this.renewedAtMs = atMs;
    if (this.fenced) {
      this.fenced = false;
      this.logger?.info({}, 'Postgres answers again: taking partitions again');
    }
    if (this.fenceTimer !== null) this.clock.clearTimer(this.fenceTimer);
    // Fires even while a tick hangs on an unanswered statement.
    this.fenceTimer = this.clock.setTimer(
      () => {
        this.fenceTimer = null;
        if (!this.leaseSafe()) this.selfFence();
      },
      Math.max(0, this.localDeadline() - this.clock.now()),
    );
  }

  /** Gives every partition up at once: the leases may have run out. Returns whether any was held. */
  private selfFence(): boolean {
    if (this.stopped) return false;
    this.fenced = true;
    const all = [...this.held.keys()];
    if (all.length === 0) return false;
    this.logger?.error({ partitions: all }, 'leases not renewed in time: giving up every partition');
    this.held.clear();
    this.options.work.abandon(all);
    return true;
  }

  private serve(lease: Lease): void {
    const held: Held = { lease, phase: 'serving', serving: Promise.resolve() };
    this.held.set(lease.partition, held);
    held.serving = this.options.work.serve(lease).catch(async (error: unknown) => {
      this.logger?.error({ err: error, partition: lease.partition }, 'partition failed to start; giving it back');
      if (this.held.get(lease.partition) !== held) return;
      this.held.delete(lease.partition);
      this.options.work.abandon([lease.partition]);
      await this.release([lease]);
    });
  }

  /** Hands partitions over in the background (renewals go on meanwhile), then releases them and tells the others. */
  private startHandOff(partitions: readonly number[]): void {
    const entries = partitions.map((p) => [p, this.held.get(p) as Held] as const);
    for (const [, held] of entries) held.phase = 'handing-off';
    const deadlineMs = this.stopping?.deadlineMs ?? this.clock.now() + this.handOffMs;
    const task = (async () => {
      await Promise.all(entries.map(([, h]) => h.serving));
      try {
        await this.options.work.handOff(partitions, deadlineMs);
      } catch (error) {
        this.logger?.error({ err: error, partitions }, 'partition hand-off failed');
      }
      // One lost meanwhile was abandoned already and is someone else's.
      const still = entries.filter(([p, h]) => this.held.get(p) === h);
      for (const [p] of still) this.held.delete(p);
      if (still.length === 0) return;
      await this.release(still.map(([, h]) => h.lease));
      await this.announce();
    })();
    this.handOffs.add(task);
    void task.finally(() => this.handOffs.delete(task));
  }

  private async release(leases: readonly Lease[]): Promise<void> {
    try {
      await this.options.leases.release(this.memberId, leases);
    } catch (error) {
      // They run out on their own within a lease.
      this.logger?.warn({ err: error }, 'lease release failed');
    }
  }

  private async announce(): Promise<void> {
    try {
      await this.options.signal?.announce();
    } catch (error) {
      this.logger?.warn({ err: error }, 'cluster announcement failed');
    }
  }

  private async leadershipTick(): Promise<void> {
    if (this.leaderClosed || this.stopping !== null) return;
    let held: boolean;
    try {
      held = await this.options.leader.tryAcquire();
    } catch (error) {
      this.logger?.warn({ err: error }, 'ingress lock check failed');
      held = false;
    }
    if (held && !this.isLeader && !this.leaderClosed && this.stopping === null) {
      this.isLeader = true;
      this.logger?.info({ member: this.memberId }, 'this member is the ingress leader');
      this.options.onLeadership?.(true);
    } else if (!held && this.isLeader) {
      this.leadershipLost();
    }
  }

  private leadershipLost(): void {
    if (!this.isLeader) return;
    this.isLeader = false;
    this.logger?.warn({ member: this.memberId }, 'ingress lock lost');
    this.options.onLeadership?.(false);
  }

  private async finishStop(deadlineMs: number): Promise<void> {
    if (!this.started) {
      this.stopped = true;
      this.leaderClosed = true;
      await this.options.leader.close().catch(() => undefined);
      return;
    }
    // Ingress first, so another member polls while this one hands over.
    this.leaderClosed = true;
    if (this.isLeader) {
      this.isLeader = false;
      this.options.onLeadership?.(false);
    }
    try {
      await this.options.leader.close();
    } catch (error) {
      this.logger?.warn({ err: error }, 'closing the ingress lock failed');
    }
    // A tick with `stopping` set heartbeats it and hands everything over.
    await this.runTick();
    await this.announce();
    const graceMs = Math.max(0, deadlineMs - this.clock.now()) + this.options.heartbeatMs;
    let graceTimer: TimerHandle | null = null;
    const grace = new Promise<void>((resolve) => (graceTimer = this.clock.setTimer(resolve, graceMs)));
    while (this.handOffs.size > 0) {
      const outcome = await Promise.race([
        Promise.all([...this.handOffs]).then(() => 'done' as const),
        grace.then(() => 'late' as const),
      ]);
      if (outcome === 'late') break;
    }
    if (graceTimer !== null) this.clock.clearTimer(graceTimer);
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.fenceTimer !== null) this.clock.clearTimer(this.fenceTimer);
    this.fenceTimer = null;
    // Hand-offs past the deadline: their leases run out by themselves.
    const left = [...this.held.values()].map((h) => h.lease);
    if (left.length > 0) {
      this.logger?.warn({ partitions: left.map((l) => l.partition) }, 'hand-off unfinished at the deadline');
      this.held.clear();
      this.options.work.abandon(left.map((l) => l.partition));
      await this.release(left);
    }
    this.unsubscribe?.();
    this.unsubscribe = null;
    try {
      await this.options.members.leave(this.memberId);
    } catch (error) {
      this.logger?.warn({ err: error }, 'leaving the member table failed');
    }
    await this.announce();
  }
}
