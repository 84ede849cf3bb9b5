/** Rows of one statement, plus how many rows it returned or changed. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Something that runs one SQL statement with `$1…` parameters. */
export interface Queryable {
  /**
   * Runs one statement. Row types are declared by the caller: every
   * statement is ours and runs against the schema our migrations made.
   * `bigint` columns come back as JS numbers (Telegram ids and snapshot
   * sequences stay below 2^53; a larger value throws), `bytea` as
   * `Uint8Array`, `jsonb` parsed, `timestamptz` as `Date`.
   */
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * The storage port every Postgres-speaking piece of Lekha depends on. Two
 * adapters implement it — a `pg` pool for a Postgres server and an embedded
 * PGlite — so the same SQL runs on both and nothing above this interface
 * knows which one it has.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** How many statements are worth running at once (connections that can work in parallel). */
  readonly parallelism: number;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Parses an `int8` text value, refusing values JS numbers cannot hold exactly. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint value ${text} does not fit in a JS number`);
  return value;
}
