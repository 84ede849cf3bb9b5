import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChatMsg, ChatState } from './actors/index.js';
import {
  AdvisoryLeaderLock,
  ClusterNode,
  type EntrySink,
  type Lease,
  PartitionConsumer,
  type PartitionWork,
  PostgresLeaseTable,
  PostgresMembership,
  RedisClusterSignal,
  RedisStreamLog,
  sharedSecret,
  StreamIngress,
} from './cluster/index.js';
import type { Config } from './config/index.js';
import type { MemoryService } from './memory/index.js';
import type { ClusterView, DeadLetterStore, JobClaimScope } from './ports/index.js';
import {
  type Clock,
  InvalidOptionError,
  MailboxFullError,
  MetricsRegistry,
  NotOwnedError,
  partitionOf,
  ShuttingDownError,
} from './runtime/index.js';
import { type RuntimePersistence, wakeUnfinishedChats } from './runtime-persistence.js';
import type { SnapshotFence, Storage } from './storage/index.js';
import type { Supervisor } from './supervisor/index.js';
import { type DeliverUpdate, OffsetTracker, type TelegramEdge, UpdateRouter } from './telegram/index.js';

/** What the chats of a cluster member are wired to once the supervisor exists. */
export interface ClusterBinding {
  supervisor: Supervisor<number, ChatMsg, ChatState>;
  telegram: TelegramEdge;
  /** The memory service this process built, whose indexes of departing chats it unloads. */
  memory: MemoryService | null;
}

/** Where the stream consumer hands updates: the chats' supervisor (reached lazily: it is built after). */
export interface ChatIngressWiring {
  persistence: RuntimePersistence;
  deadLetters: DeadLetterStore;
  tell(chatId: number, msg: ChatMsg): void;
}

/**
 * This process's cluster member when `CLUSTER_MODE=on`, else null. Cluster
 * mode needs the storage the configuration describes (a Postgres server).
 */
export async function openClusterMember(
  config: Config,
  storage: Storage | null,
  clock: Clock,
  metrics: MetricsRegistry,
  logger: Logger,
): Promise<ClusterMember | null> {
  if (config.CLUSTER_MODE !== 'on') return null;
  if (storage === null || storage.db.kind !== 'postgres')
    throw new InvalidOptionError(
      'persistence',
      'cluster mode needs the Postgres server of DATABASE_URL as its storage',
    );
  return ClusterMember.open(config, storage, clock, metrics, logger);
}

/**
 * One process's part in a cluster (docs/cluster.md): its connections, the
 * control plane (membership, leases, the ingress lock) and the stream
 * consumer, opened before the chats are built; {@link ClusterMember.bind}
 * connects the chats, {@link ClusterMember.start} joins.
 *
 * The member decides, for the rest of the runtime: which chats it may
 * activate (`admit`), under which lease epoch their snapshots are written
 * (`fence`), which chats' jobs it claims (`jobScope`), and where updates from
 * Telegram go (`deliver`: appended to their partition's stream; only the
 * member holding the ingress lock polls).
 */
export class ClusterMember implements PartitionWork {
  readonly node: ClusterNode;
  readonly memberId: string;
  private readonly partitions: number;
  private readonly log: RedisStreamLog;
  private readonly signal: RedisClusterSignal;
  private readonly ingress: StreamIngress;
  private readonly leader: AdvisoryLeaderLock;
  private readonly redis: readonly Redis[];
  private consumer: PartitionConsumer | null = null;
  private router: UpdateRouter | null = null;
  private chats: ClusterBinding | null = null;
  private persistence: RuntimePersistence | null = null;

  private constructor(
    private readonly config: Config,
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly metrics: MetricsRegistry,
    private readonly logger: Logger,
  ) {
    this.partitions = config.PARTITIONS;
    this.memberId = config.CLUSTER_MEMBER_ID ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
    const redisUrl = config.REDIS_URL as string;
    const prefix = config.REDIS_KEY_PREFIX;
    // A command unanswered this long fails (and is retried by its caller): a dropped connection
    // must not hang an append; longer than a WAIT for replicas.
    const redis = new Redis(redisUrl, { commandTimeout: config.REDIS_WAIT_TIMEOUT_MS + 4000 });
    // ioredis reconnects by itself; readiness reports the outage (the consumer's health).
    const blocking = redis.duplicate();
    for (const client of [redis, blocking])
      client.on('error', (error: Error) => logger.debug({ err: error }, 'cluster stream connection error'));
    this.redis = [redis, blocking];
    this.log = new RedisStreamLog({
      redis,
      blocking,
      prefix,
      waitReplicas: config.REDIS_WAIT_REPLICAS,
      waitTimeoutMs: config.REDIS_WAIT_TIMEOUT_MS,
      metrics,
    });
    this.signal = new RedisClusterSignal({ url: redisUrl, channel: `${prefix}cluster`, logger });
    this.ingress = new StreamIngress({ log: this.log, metrics, logger, clock });
    this.leader = new AdvisoryLeaderLock({
      url: config.DATABASE_URL as string,
      name: `lekha-ingress:${prefix}`,
      idleTimeoutMs: config.CLUSTER_LEASE_MS,
      logger,
    });
    this.node = new ClusterNode({
      memberId: this.memberId,
      partitions: this.partitions,
      leaseMs: config.CLUSTER_LEASE_MS,
      heartbeatMs: config.CLUSTER_HEARTBEAT_MS,
      leases: new PostgresLeaseTable(storage.db),
      members: new PostgresMembership(storage.db),
      leader: this.leader,
      work: this,
      onLeadership: (leader) => this.leadership(leader),
      signal: this.signal,
      lag: (partitions) => this.log.lag(partitions),
      clock,
      metrics,
      logger,
    });
  }

  /**
   * Connects to Redis and checks the deployment's partition count (a member
   * started with another `PARTITIONS` is refused here, before it takes anything).
   */
  static async open(
    config: Config,
    storage: Storage,
    clock: Clock,
    metrics: MetricsRegistry,
    logger: Logger,
  ): Promise<ClusterMember> {
    const member = new ClusterMember(config, storage, clock, metrics, logger);
    try {
      await new PostgresLeaseTable(storage.db).init(config.PARTITIONS);
      await member.signal.open();
    } catch (error) {
      await member.close();
      throw error;
    }
    return member;
  }

  /** Whether this member serves the chat now: anything else is refused with `CHAT_NOT_OWNED`. */
  readonly admit = (chatId: number): boolean => this.node.ownsChat(chatId);

  /** The lease epoch a chat's snapshot is written under; null when this member must not write it. */
  readonly fence = (chatId: number): SnapshotFence | null => {
    const partition = partitionOf(chatId, this.partitions);
    const epoch = this.node.epochOf(partition);
    return epoch === null ? null : { partition, epoch };
  };

  /** The chats whose jobs this member claims. */
  readonly jobScope = (): JobClaimScope => ({ partitions: this.partitions, owned: this.node.ownedPartitions() });

  /**
   * The ingress's delivery: the update goes to its partition's stream, and
   * Telegram may forget it once Redis has it. An append that never lands
   * (the member is stopping) leaves the update unconfirmed: Telegram keeps it.
   */
  deliverTo(telegram: TelegramEdge): DeliverUpdate {
    return (chatId, updateId, update) => {
      this.ingress.add({ partition: partitionOf(chatId, this.partitions), chatId, updateId, update }).then(
        () => telegram.processed(chatId, updateId),
        (error: unknown) =>
          this.logger.warn({ err: error, chatId, updateId }, 'update not appended to its stream; Telegram keeps it'),
      );
    };
  }

  /**
   * The door of the chats: stream entries of the partitions this member
   * serves go to their chat actors through a router of their own
   * (validation, dead letters of quarantined chats, "finished once
   * durable"), and the chats report to it.
   */
  chatIngress(wiring: ChatIngressWiring): UpdateRouter {
    const tracker = new OffsetTracker(() => this.clock.now());
    const router = new UpdateRouter({
      tracker,
      durability: wiring.persistence,
      deliver: (chatId, updateId, update, replayed) =>
        wiring.tell(chatId, { type: 'UpdateReceived', updateId, update, ...(replayed === true ? { replayed } : {}) }),
      deadLetters: wiring.deadLetters,
      clock: this.clock,
      // The updates this member processes: its dashboards and /metrics show its share of the traffic.
      metrics: this.metrics,
      logger: this.logger,
    });
    this.router = router;
    this.persistence = wiring.persistence;
    this.consumer = new PartitionConsumer({
      log: this.log,
      sink: this.sink(router, tracker),
      consumer: this.memberId,
      metrics: this.metrics,
      logger: this.logger,
      clock: this.clock,
    });
    return router;
  }

  /** Connects the chats, once their supervisor exists. */
  bind(binding: ClusterBinding): void {
    this.chats = binding;
  }

  /** What the admin surface shows and asks of the cluster, with the CSRF key every member shares. */
  async adminView(): Promise<{ view: ClusterView; pollsHere: () => boolean; csrfKey: Buffer }> {
    const node = this.node;
    return {
      view: {
        memberId: node.memberId,
        status: () => node.status(),
        ownerOf: (chatId) => node.ownerOf(chatId),
        readiness: () => this.readiness(),
      },
      pollsHere: () => node.leader,
      csrfKey: await sharedSecret(this.storage.db, 'dashboard-csrf'),
    };
  }

  /**
   * Whether this member takes part: its leases are safe (Postgres answers)
   * and its streams can be read (Redis answers).
   */
  readiness(): { ready: true } | { ready: false; reason: string } {
    const node = this.node.readiness();
    if (!node.ready) return node;
    if (this.consumer !== null && !this.consumer.healthy)
      return { ready: false, reason: 'Redis unreachable: the partition streams cannot be read or acknowledged' };
    return { ready: true };
  }

  /** Joins: heartbeats, takes partitions, and polls Telegram while it holds the ingress lock. */
  async start(httpUrl: string | null): Promise<void> {
    this.node.setHttpUrl(this.config.CLUSTER_ADVERTISE_URL ?? httpUrl);
    await this.node.start();
  }

  /** Hands every partition over and leaves within `withinMs`; the others take over at once. */
  stop(withinMs: number): Promise<void> {
    return this.node.stop(this.clock.now() + withinMs);
  }

  /** Closes the connections (after `stop`). */
  async close(): Promise<void> {
    await this.consumer?.close();
    await this.ingress.close();
    await Promise.allSettled([this.log.close(), this.signal.close(), this.leader.close()]);
    await Promise.allSettled(this.redis.map((client) => client.quit()));
  }

  // ---- PartitionWork: the consumer, then the chats ----

  async serve(lease: Lease): Promise<void> {
    const { consumer, chats, persistence } = this.bound();
    await consumer.serve(lease);
    // Replies in flight when the partition's last owner stopped or lost it go on here. A failure gives
    // the partition back (see ClusterNode), and whoever takes it next tries again.
    const woken = await wakeUnfinishedChats(persistence, chats.supervisor, this.inPartitions([lease.partition]));
    if (woken > 0)
      this.logger.info({ partition: lease.partition, chats: woken }, 'chats with a reply in flight started here');
  }

  async handOff(partitions: readonly number[], deadlineMs: number): Promise<void> {
    const { consumer, chats, persistence } = this.bound();
    const leaving = this.inPartitions(partitions);
    // Entries handed over finish once their effects are durable: flush now rather than at the next period.
    await Promise.all([consumer.handOff(partitions, deadlineMs), persistence.flush()]);
    await chats.supervisor.handOff(leaving, { deadlineMs: Math.max(0, deadlineMs - this.clock.now()) });
    await persistence.flush();
    await chats.memory?.release(leaving);
  }

  abandon(partitions: readonly number[]): void {
    const { consumer, chats, persistence } = this.bound();
    const lost = this.inPartitions(partitions);
    consumer.abandon(partitions);
    const dropped = chats.supervisor.drop(lost);
    const discarded = persistence.discard(lost);
    this.logger.warn(
      { partitions, dropped, discarded },
      'partition leases lost: their chats were dropped here without writing; another member serves them',
    );
    void chats.memory?.release(lost);
  }

  private leadership(leader: boolean): void {
    const telegram = this.chats?.telegram;
    if (telegram === undefined) return;
    this.logger.info(
      { member: this.memberId, leader },
      leader ? 'took the ingress: polling Telegram' : 'gave up the ingress',
    );
    if (leader) telegram.startPolling();
    else void telegram.stopPolling();
  }

  private sink(router: UpdateRouter, tracker: OffsetTracker): EntrySink {
    return {
      deliver: (_partition, entry) => {
        let outcome;
        try {
          outcome = router.dispatch(entry.update);
        } catch (error) {
          if (error instanceof MailboxFullError || error instanceof NotOwnedError || error instanceof ShuttingDownError)
            return 'busy';
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        return outcome === 'malformed' || outcome === 'ignored'
          ? Promise.resolve()
          : tracker.whenComplete(entry.updateId);
      },
      forget: (_partition, entries) => {
        for (const entry of entries) tracker.abandon(entry.updateId);
      },
    };
  }

  private inPartitions(partitions: readonly number[]): (chatId: number) => boolean {
    const set = new Set(partitions);
    return (chatId) => set.has(partitionOf(chatId, this.partitions));
  }

  private bound(): { consumer: PartitionConsumer; chats: ClusterBinding; persistence: RuntimePersistence } {
    if (this.consumer === null || this.chats === null || this.persistence === null)
      throw new Error('the cluster member is not bound to its chats');
    return { consumer: this.consumer, chats: this.chats, persistence: this.persistence };
  }
}
