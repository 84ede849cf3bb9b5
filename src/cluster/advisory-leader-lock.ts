import { createHash } from 'node:crypto';
import pg from 'pg';
import { InvalidOptionError, type Logger } from '../runtime/index.js';
import type { LeaderLock } from './cluster-ports.js';

export interface AdvisoryLeaderLockOptions {
  /** `postgres://…` of the deployment's database. */
  url: string;
  /**
   * What the lock is called; its 64-bit key is a hash of it. One deployment's
   * members must agree on it and two deployments sharing a database must not
   * (e.g. `lekha-ingress:` plus the Redis key prefix).
   */
  name: string;
  /**
   * How long Postgres lets the lock's session sit idle before ending it (and
   * so releasing the lock): the lease time. The holder checks its connection
   * every heartbeat, so only a holder that stopped running (frozen, cut off)
   * stays idle that long.
   */
  idleTimeoutMs: number;
  /** A connect or check taking longer than this counts as a lost connection. Default: half of `idleTimeoutMs`, at most 5 s. */
  queryTimeoutMs?: number;
  logger?: Logger;
}

/**
 * The ingress lock as a Postgres session-level advisory lock on a connection
 * of its own. Postgres releases it when that session ends — the holder died,
 * its connection dropped, or it sat idle past `idle_session_timeout` because
 * the process was frozen — and the next `tryAcquire` of another member takes it.
 */
export class AdvisoryLeaderLock implements LeaderLock {
  /** The advisory lock key: the first 8 bytes of SHA-256 of the name, as a signed 64-bit integer. */
  readonly key: string;
  private client: pg.Client | null = null;
  private holding = false;
  private closed = false;
  private readonly listeners: Array<() => void> = [];
  private readonly queryTimeoutMs: number;

  constructor(private readonly options: AdvisoryLeaderLockOptions) {
    if (!Number.isInteger(options.idleTimeoutMs) || options.idleTimeoutMs < 1)
      throw new InvalidOptionError(
        'idleTimeoutMs',
        `idleTimeoutMs must be a positive integer, got ${options.idleTimeoutMs}`,
      );
    this.key = lockKey(options.name);
    this.queryTimeoutMs = options.queryTimeoutMs ?? Math.min(5000, Math.max(1, Math.floor(options.idleTimeoutMs / 2)));
  }

  get held(): boolean {
    return this.holding;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Takes the lock if it is free. While held, checks the connection instead
   * (which also keeps the session from timing out); a failed check counts
   * as losing the lock. After a lost connection it opens a new one.
   */
  async tryAcquire(): Promise<boolean> {
    if (this.closed) return false;
    let client: pg.Client | null = null;
    try {
      client = await this.connection();
      if (this.holding) {
        await client.query('SELECT 1');
        return this.holding;
      }
      const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key]);
      if (result.rows[0]?.ok === true && this.client === client && !this.closed) this.holding = true;
      return this.holding;
    } catch (error) {
      this.options.logger?.warn({ err: error, lock: this.options.name }, 'ingress lock connection failed');
      if (client !== null) this.drop(client);
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.holding = false;
    if (client === null) return;
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key]);
    } catch {
      // Ending the session below releases it anyway.
    }
    try {
      await client.end();
    } catch {
      destroy(client);
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== null) return this.client;
    const client = new pg.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.queryTimeoutMs,
      query_timeout: this.queryTimeoutMs,
      keepAlive: true,
    });
    client.on('error', (error) => {
      this.options.logger?.warn({ err: error, lock: this.options.name }, 'ingress lock connection failed');
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      await client.query("SELECT set_config('idle_session_timeout', $1, false)", [`${this.options.idleTimeoutMs}ms`]);
    } catch (error) {
      destroy(client);
      throw error;
    }
    if (this.closed) {
      destroy(client);
      throw new Error('the ingress lock is closed');
    }
    this.client = client;
    return client;
  }

  /** Forgets a failed connection; if it held the lock, the lock is lost (Postgres frees it as the session ends). */
  private drop(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    destroy(client);
    if (!this.holding) return;
    this.holding = false;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger?.error({ err: error }, 'ingress lock listener failed');
      }
    }
  }
}

/** The 64-bit advisory lock key of a lock name, as the decimal text of a signed bigint. */
export function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/** Closes a connection at once, without the goodbye a dead peer would never answer. */
function destroy(client: pg.Client): void {
  const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  socket?.destroy();
  client.end().catch(() => undefined);
}
