import { createHash } from 'node:crypto';
import type { FieldCipher, SealedField } from '../ports/index.js';
import { TextKeyUnknownError } from './errors.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/**
 * The field cipher without `ENCRYPTION_KEY`: values are stored as plain
 * bytes under key id 0, and any other key id is refused with
 * `TEXT_KEY_UNKNOWN` — data sealed by a key this process does not hold.
 */
export class PlainCipher implements FieldCipher {
  readonly writeKeyId = 0;
  readonly keyIds: readonly number[] = [];

  seal(plain: Uint8Array): SealedField {
    return { bytes: plain, keyId: 0 };
  }

  sealText(value: string): SealedField {
    return { bytes: utf8.encode(value), keyId: 0 };
  }

  open(bytes: Uint8Array, keyId: number): Uint8Array {
    if (keyId !== 0) throw new TextKeyUnknownError(keyId);
    return bytes;
  }

  openText(bytes: Uint8Array, keyId: number): string {
    return text.decode(this.open(bytes, keyId));
  }

  searchDigests(): string[] {
    return [];
  }

  /** Unkeyed without a key: a hash that still keeps the raw identifier out of the row. */
  pseudonym(value: string): string {
    return createHash('sha256').update(`lekha-pseudonym:${value}`).digest('base64url').slice(0, 16);
  }

  pseudonyms(value: string): string[] {
    return [this.pseudonym(value)];
  }

  queryDigests(): string[][] {
    return [];
  }

  exactDigest(): null {
    return null;
  }

  exactDigests(): string[] {
    return [];
  }

  fingerprint(): undefined {
    return undefined;
  }
}
