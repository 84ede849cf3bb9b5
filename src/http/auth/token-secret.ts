import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Token secrets: 256 random bits, so a plain SHA-256 is enough to store them
 * (no salt or slow hash is needed against guessing a 2^256 space, and
 * lookups stay one hash per request).
 */
export const TokenSecret = {
  /** A new bearer token, e.g. `lk_3q2…` (46 characters). */
  generate(): string {
    return `lk_${randomBytes(32).toString('base64url')}`;
  },

  /** Lower-case hex SHA-256 of a token: what the store keeps and looks up. */
  hash(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  },

  /** A short public id for a token record (not derived from the secret). */
  newId(): string {
    return randomBytes(6).toString('hex');
  },

  /** Compares two hex hashes in time independent of where they differ. */
  sameHash(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
  },
};
