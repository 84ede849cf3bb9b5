/** A value as stored: the bytes and the id of the key that sealed them (`0`: plain UTF-8, no key). */
export interface SealedField {
  readonly bytes: Uint8Array;
  readonly keyId: number;
}

/**
 * Encryption at rest of personal fields (message text, names, titles,
 * memories, reminders, snapshots). Every value is sealed on its own, with the
 * key currently writing; `open` accepts every configured key and key id 0
 * (plain bytes from before encryption was switched on). Stores call it at
 * their edge, so nothing above them sees ciphertext and nothing below sees
 * plaintext.
 */
export interface FieldCipher {
  /** The id new values are sealed with (`0` when no key is configured). */
  readonly writeKeyId: number;
  seal(plain: Uint8Array): SealedField;
  sealText(text: string): SealedField;
  /** Throws a clear error for a key id that is not configured or bytes that do not authenticate. */
  open(bytes: Uint8Array, keyId: number): Uint8Array;
  openText(bytes: Uint8Array, keyId: number): string;
  /**
   * Keyed digests of the search words of `text` (a blind index: equal words
   * give equal digests, nothing else is revealed without the key); empty when
   * no key is configured — plaintext rows are indexed by Postgres itself.
   */
  searchDigests(text: string): string[];
  /**
   * A stable pseudonym of a personal identifier (a user id in an audit row
   * or a job key), keyed so it cannot be reversed by trying every id.
   */
  pseudonym(value: string): string;
  /**
   * The pseudonyms `value` may carry in stored rows: under the writing key
   * first, then under each other configured key (rows written before a
   * rotation). One element without a key.
   */
  pseudonyms(value: string): string[];
  /**
   * What a search for `text` must match on encrypted rows: per search word,
   * its digests under every configured key (rows not yet rotated carry an
   * older key's digests). Empty when no key is configured.
   */
  queryDigests(text: string): string[][];
  /** A keyed digest of a whole identifier (a lower-cased @username) for exact lookups; `null` without a key. */
  exactDigest(value: string): string | null;
  /** `exactDigest` under every configured key, for the lookup itself; empty without a key. */
  exactDigests(value: string): string[];
  /** Ids of the configured keys, lowest first (empty: no key). */
  readonly keyIds: readonly number[];
  /** A public fingerprint of configured key `keyId` (it recognises the key, it does not reveal it). */
  fingerprint(keyId: number): string | undefined;
}
