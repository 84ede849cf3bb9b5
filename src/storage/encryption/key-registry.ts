import type { FieldCipher } from '../../ports/index.js';
import type { Queryable } from '../database.js';
import { EncryptionKeyError } from '../errors.js';

interface KeyRow {
  id: number;
  fingerprint: string;
  retired: boolean;
}

/**
 * The start check of encryption at rest, against `encryption_keys` (every
 * key that has sealed data, by fingerprint): refuses to start when stored
 * data is sealed and no key is configured, when a configured id is another
 * key than the one that sealed data under it, or when a key still in use
 * is no longer configured. Then records the writing key as in use — before
 * anything is sealed with it. Costs one small query at start.
 */
export async function checkEncryptionKeys(db: Queryable, cipher: FieldCipher): Promise<void> {
  const { rows } = await db.query<KeyRow>(
    'SELECT id, fingerprint, retired_at IS NOT NULL AS retired FROM encryption_keys ORDER BY id',
  );
  const inUse = rows.filter((row) => !row.retired).map((row) => row.id);
  if (cipher.keyIds.length === 0) {
    if (inUse.length > 0)
      throw new EncryptionKeyError(
        'ENCRYPTION_KEY_MISSING',
        `the database holds data encrypted with key ${list(inUse)} and neither ENCRYPTION_KEY nor ENCRYPTION_KEYS is set: ` +
          `configure the key${inUse.length === 1 ? '' : 's'} that encrypted it (ENCRYPTION_KEY is key id 1; ENCRYPTION_KEYS=id:key,…)`,
        inUse,
      );
    return;
  }
  const mismatched = rows.filter((row) => {
    const fingerprint = cipher.fingerprint(row.id);
    return fingerprint !== undefined && fingerprint !== row.fingerprint;
  });
  if (mismatched.length > 0) {
    const ids = mismatched.map((row) => row.id);
    throw new EncryptionKeyError(
      'ENCRYPTION_KEY_MISMATCH',
      `key id ${list(ids)} of ENCRYPTION_KEY/ENCRYPTION_KEYS is not the key that encrypted the stored data under that id ` +
        `(its fingerprint differs): configure the original key under id ${list(ids)}; a new key needs an id never used before`,
      ids,
    );
  }
  const removed = inUse.filter((id) => cipher.fingerprint(id) === undefined);
  if (removed.length > 0)
    throw new EncryptionKeyError(
      'ENCRYPTION_KEY_REMOVED',
      `stored data still uses key id ${list(removed)}, which ENCRYPTION_KEY/ENCRYPTION_KEYS no longer configures: ` +
        `add it back to ENCRYPTION_KEYS (as ${removed[0]}:<key>) and run \`lekha keys rotate\` before removing it`,
      removed,
    );
  await registerKey(db, cipher, cipher.writeKeyId);
}

/** Records key `id` as having sealed data (again, if it was retired). */
export async function registerKey(db: Queryable, cipher: FieldCipher, id: number): Promise<void> {
  await db.query(
    `INSERT INTO encryption_keys (id, fingerprint) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET last_used_at = now(), retired_at = NULL`,
    [id, cipher.fingerprint(id)],
  );
}

/** Marks key `id` as no longer used by any stored value; it may then be removed from the configuration. */
export async function retireKey(db: Queryable, id: number): Promise<boolean> {
  const result = await db.query('UPDATE encryption_keys SET retired_at = now() WHERE id = $1 AND retired_at IS NULL', [
    id,
  ]);
  return result.rowCount > 0;
}

function list(ids: readonly number[]): string {
  return ids.join(', ');
}
