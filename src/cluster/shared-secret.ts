import { randomBytes } from 'node:crypto';
import type { Queryable } from '../storage/index.js';

/**
 * A secret every member of the deployment holds the same of, made by the
 * first member that asks (32 random bytes) and kept in `cluster_secrets`:
 * e.g. the key of the dashboard's CSRF tokens, which one member issues and
 * another, serving the chat, checks. No operator has to set or rotate it.
 */
export async function sharedSecret(db: Queryable, name: string): Promise<Buffer> {
  await db.query('INSERT INTO cluster_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32),
  ]);
  const result = await db.query<{ value: Uint8Array }>('SELECT value FROM cluster_secrets WHERE name = $1', [name]);
  const row = result.rows[0];
  if (row === undefined) throw new Error(`cluster secret ${name} vanished while it was read`);
  return Buffer.from(row.value);
}
