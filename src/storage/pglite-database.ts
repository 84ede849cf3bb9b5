import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { DataDirLock } from './data-dir-lock.js';
import { type Database, parseInt8, type Queryable, type QueryResult } from './database.js';

interface PgliteResults<R> {
  rows: R[];
  affectedRows?: number;
  command?: string;
}

function normalise<R>(result: PgliteResults<R>): QueryResult<R> {
  return {
    rows: result.rows,
    rowCount: result.command === 'SELECT' ? result.rows.length : (result.affectedRows ?? result.rows.length),
  };
}

/**
 * The `Database` port over an embedded PGlite (Postgres compiled to
 * WebAssembly): the zero-setup default when no `DATABASE_URL` is given.
 * One process owns a data directory at a time.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  /** PGlite runs one statement at a time. */
  readonly parallelism = 1;

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock | null,
  ) {}

  /**
   * Opens (creating if needed) the database in `dataDir`, or an in-memory
   * one when it is omitted. `lockDir` is the directory this process takes
   * for itself first ({@link DataDirLock}); closing the database gives it up.
   * `from` starts a new database as a copy of a {@link dump}, which skips
   * running initdb: several times faster, and the process never loads
   * initdb's WebAssembly (a few hundred MB it keeps once compiled).
   */
  static async open(options: { dataDir?: string; lockDir?: string; from?: Blob } = {}): Promise<PgliteDatabase> {
    const lock = options.lockDir === undefined ? null : await DataDirLock.acquire(options.lockDir);
    try {
      return new PgliteDatabase(await createPglite(options.dataDir, options.from), lock);
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  async query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return normalise(await this.db.query<R>(text, params as unknown[] | undefined));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (inner) =>
      work({
        query: async <R extends object>(text: string, params?: readonly unknown[]) =>
          normalise(await inner.query<R>(text, params as unknown[] | undefined)),
      }),
    );
  }

  /**
   * The whole database as a gzipped tar of its data directory, taken between
   * statements (PGlite runs one at a time), so it is consistent.
   */
  dump(): Promise<Blob> {
    return this.db.dumpDataDir('gzip');
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.lock?.release();
    }
  }
}

async function createPglite(dataDir: string | undefined, from: Blob | undefined): Promise<PGlite> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(from === undefined ? {} : { loadDataDir: from }),
    parsers: {
      [types.INT8]: parseInt8,
      // PGlite's own bytea codecs convert byte by byte in JS, which makes a
      // batch of snapshots several times slower than Node's native hex codec.
      [types.BYTEA]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')),
    },
    serializers: {
      [types.BYTEA]: (value: unknown) => `\\x${Buffer.from(value as Uint8Array).toString('hex')}`,
    },
  });
}
