import pg from 'pg';
import { InvalidOptionError, type Logger } from '../runtime/index.js';
import { type Database, parseInt8, type Queryable, type QueryResult } from './database.js';

export interface PostgresDatabaseOptions {
  /** `postgres://…`; `?options=-c search_path=…` selects a schema. */
  url: string;
  /** Pool size; flushes use up to half of it at once so reads always find a free connection. */
  maxConnections?: number;
  /** A statement running longer than this fails instead of holding a connection forever. */
  queryTimeoutMs?: number;
  logger?: Logger;
}

const INT8_OID = 20;

// int8 arrives as text by default; every bigint we store fits a JS number.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** The `Database` port over a `pg` connection pool, for a Postgres server (`DATABASE_URL`). */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  readonly parallelism: number;
  private readonly pool: pg.Pool;

  constructor(options: PostgresDatabaseOptions) {
    const max = options.maxConnections ?? 10;
    if (!Number.isInteger(max) || max < 1)
      throw new InvalidOptionError('maxConnections', `maxConnections must be a positive integer, got ${max}`);
    this.parallelism = Math.max(1, Math.floor(max / 2));
    this.pool = new pg.Pool({
      connectionString: options.url,
      max,
      types,
      connectionTimeoutMillis: 5000,
      query_timeout: options.queryTimeoutMs ?? 60_000,
      keepAlive: true,
    });
    // An idle connection that dies (server restart, network cut) is reported
    // here; without a listener it would crash the process. The pool replaces it.
    this.pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle Postgres connection failed'));
  }

  async query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const result = await this.pool.query<R>(text, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: async <R extends object>(text: string, params?: readonly unknown[]) => {
          const result = await client.query<R>(text, params as unknown[] | undefined);
          return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
        },
      };
      const value = await work(tx);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable (that is usually why the transaction
        // failed); it is destroyed below instead of going back to the pool.
        broken = rollbackError;
      }
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
