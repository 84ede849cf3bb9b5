import os from 'node:os';
import pg from 'pg';

/** The Postgres benches use: `DATABASE_URL`, or the local server's `test` database as this user. */
export function benchPostgresUrl(): string {
  const user = process.env.PGUSER ?? os.userInfo().username;
  return process.env.DATABASE_URL ?? `postgres://${encodeURIComponent(user)}@127.0.0.1:5432/test`;
}

/** `url` with a startup option that makes every session use `schema` (how benches and tests keep apart). */
export function withSearchPath(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** Runs one statement on a connection of its own (creating and dropping schemas). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
