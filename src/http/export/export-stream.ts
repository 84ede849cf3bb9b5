import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';

export type Cell = string | number | boolean | null;

/** One CSV column: its header and how a row fills it. */
export interface Column<T> {
  header: string;
  value(row: T): Cell;
}

/**
 * Streams `rows` as CSV (RFC 4180 quoting by csv-stringify) with a header
 * line. Cells that a spreadsheet would run as a formula — text starting with
 * `=`, `+`, `-`, `@`, tab or CR — are prefixed with `'` (OWASP "CSV
 * injection"); numbers, negative chat ids included, are left as numbers.
 * Rows are pulled as the client reads, so nothing is buffered whole.
 */
export function csvStream<T>(rows: AsyncIterable<T>, columns: ReadonlyArray<Column<T>>): Readable {
  const csv = stringify({
    header: true,
    columns: columns.map((c) => c.header),
    escape_formulas: true,
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  });
  const records = Readable.from(mapRows(rows, columns));
  // On a failure pipeline destroys both streams with the error; Fastify then
  // aborts the response and logs it, so the client sees a cut download, not
  // a silently short file.
  pipeline(records, csv, () => undefined);
  return csv;
}

/** Streams `rows` as one JSON array, one element per line. */
export function jsonArrayStream<T>(rows: AsyncIterable<T>): Readable {
  return Readable.from(jsonChunks(rows));
}

async function* mapRows<T>(rows: AsyncIterable<T>, columns: ReadonlyArray<Column<T>>): AsyncGenerator<Cell[]> {
  for await (const row of rows) yield columns.map((c) => c.value(row));
}

async function* jsonChunks<T>(rows: AsyncIterable<T>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const row of rows) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
