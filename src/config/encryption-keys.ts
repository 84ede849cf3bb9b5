/** One configured master key: its id (stored beside every value it seals) and its 32 bytes. */
export interface ConfiguredKey {
  readonly id: number;
  readonly key: Buffer;
}

const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;
const MAX_KEY_ID = 0x7fff_ffff;

/** Why `ENCRYPTION_KEY`/`ENCRYPTION_KEYS` cannot be used; `variable` names the one to fix. */
export class EncryptionKeysInvalid {
  constructor(
    readonly variable: 'ENCRYPTION_KEY' | 'ENCRYPTION_KEYS',
    readonly message: string,
  ) {}
}

/**
 * The master keys of `ENCRYPTION_KEY` and `ENCRYPTION_KEYS`, by id.
 *
 * `ENCRYPTION_KEY` alone is key id 1. `ENCRYPTION_KEYS=2:<base64>,3:<base64>`
 * lists keys by id (rotation: add a new id, keep the old ones until
 * `lekha keys rotate` has moved every row). Both set: `ENCRYPTION_KEY` is
 * id 1 beside the listed ones, and a listed id 1 must be the same key. The
 * highest id writes; every listed id reads. Empty: no encryption.
 */
export function encryptionKeysOf(env: {
  ENCRYPTION_KEY?: string | undefined;
  ENCRYPTION_KEYS?: string | undefined;
}): ConfiguredKey[] | EncryptionKeysInvalid {
  const byId = new Map<number, string>();
  if (env.ENCRYPTION_KEY !== undefined) byId.set(1, env.ENCRYPTION_KEY);
  const listed = new Set<number>();
  for (const item of (env.ENCRYPTION_KEYS ?? '').split(',')) {
    const entry = item.trim();
    if (entry.length === 0) continue;
    const colon = entry.indexOf(':');
    const idText = colon < 0 ? '' : entry.slice(0, colon).trim();
    const key = colon < 0 ? '' : entry.slice(colon + 1).trim();
    const id = /^\d{1,10}$/.test(idText) ? Number(idText) : Number.NaN;
    // Neither the key nor the entry is quoted: both are secrets.
    if (!Number.isInteger(id) || id < 1 || id > MAX_KEY_ID)
      return new EncryptionKeysInvalid('ENCRYPTION_KEYS', 'expected id:key pairs, ids from 1 to 2147483647');
    if (!BASE64_KEY.test(key))
      return new EncryptionKeysInvalid(
        'ENCRYPTION_KEYS',
        `key ${id} is not 32 bytes in base64 (44 characters), e.g. from \`openssl rand -base64 32\``,
      );
    if (listed.has(id)) return new EncryptionKeysInvalid('ENCRYPTION_KEYS', `key id ${id} is listed twice`);
    listed.add(id);
    const existing = byId.get(id);
    if (existing !== undefined && existing !== key)
      return new EncryptionKeysInvalid(
        'ENCRYPTION_KEYS',
        `key id 1 differs from ENCRYPTION_KEY, which is key id 1: drop one of them`,
      );
    byId.set(id, key);
  }
  return [...byId].sort(([a], [b]) => a - b).map(([id, key]) => ({ id, key: Buffer.from(key, 'base64') }));
}
