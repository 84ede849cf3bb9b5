import type { Database, Queryable, QueryResult } from '../../src/storage/index.js';

/** Wraps a `Database` and records the text of every statement it runs, to count round trips. */
export class RecordingDatabase implements Database {
  readonly statements: string[] = [];

  constructor(private readonly inner: Database) {}

  get kind(): Database['kind'] {
    return this.inner.kind;
  }

  get parallelism(): number {
    return this.inner.parallelism;
  }

  query<R extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.statements.push(text);
    return this.inner.query<R>(text, params);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) =>
      work({
        query: <R extends object>(text: string, params?: readonly unknown[]) => {
          this.statements.push(text);
          return tx.query<R>(text, params);
        },
      }),
    );
  }

  /** Statements recorded so far that start with `prefix` (case-insensitive, after whitespace). */
  count(prefix: string): number {
    return this.statements.filter((s) => s.trimStart().toUpperCase().startsWith(prefix.toUpperCase())).length;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
