import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { FieldCipher, SealedField } from '../../ports/index.js';
import { InvalidOptionError } from '../../runtime/index.js';
import { FieldTamperedError, TextKeyUnknownError } from '../errors.js';
import { PlainCipher } from '../plain-cipher.js';
import { rawWords, searchWords } from './search-words.js';

/** A master key as configured: the id stored beside what it seals, and its 32 bytes. */
export interface MasterKey {
  readonly id: number;
  readonly key: Uint8Array;
}

export interface KeyringOptions {
  /** Reduces a lower-case word to its stem, so the blind index matches word forms as Postgres' search does. */
  stem: (word: string) => string;
}

/** The subkeys of one master key; the master key itself is used for nothing but deriving them. */
interface Subkeys {
  readonly id: number;
  readonly data: Buffer;
  readonly blindIndex: Buffer;
  readonly pseudonym: Buffer;
  readonly fingerprint: string;
}

const SALT = Buffer.from('lekha encryption at rest v1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed value: the layout below (nonce, ciphertext, tag). */
const FORMAT_V1 = 1;
/** Hex characters of a blind-index digest: 96 bits, plain lexemes for a tsvector. */
const DIGEST_HEX = 24;
/**
 * Digests of recently written words, by word: an HMAC costs microseconds
 * and chat vocabulary repeats, so most words of a message are found here.
 * Kept in this process only, beside the key they derive from.
 */
const DIGESTS_KEPT = 50_000;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function derive(master: Uint8Array, purpose: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, SALT, `lekha:${purpose}`, bytes));
}

/**
 * The field cipher with `ENCRYPTION_KEY`/`ENCRYPTION_KEYS`: AES-256-GCM with
 * a random 12-byte nonce per value, the key id bound in as associated data.
 * Each master key yields, through HKDF-SHA256, separate subkeys for data,
 * the blind index and pseudonyms, and a fingerprint that recognises the key
 * without revealing it. The highest id writes; every configured id reads,
 * and key id 0 (plain bytes from before a key was configured) still opens.
 */
export class Keyring implements FieldCipher {
  readonly writeKeyId: number;
  private readonly keys = new Map<number, Subkeys>();
  private readonly writer: Subkeys;
  private readonly stem: (word: string) => string;
  private readonly plain = new PlainCipher();
  /** The writing key's digest of each recently seen (lower-cased, unstemmed) word. */
  private readonly wordDigests = new Map<string, string>();

  constructor(masterKeys: readonly MasterKey[], options: KeyringOptions) {
    if (masterKeys.length === 0) throw new InvalidOptionError('masterKeys', 'a keyring needs at least one key');
    for (const { id, key } of masterKeys) {
      if (!Number.isInteger(id) || id < 1 || id > 0x7fff_ffff)
        throw new InvalidOptionError('masterKeys', `key id ${id} is not an integer from 1 to 2147483647`);
      if (key.length !== 32) throw new InvalidOptionError('masterKeys', `key ${id} is not 32 bytes`);
      if (this.keys.has(id)) throw new InvalidOptionError('masterKeys', `key id ${id} is given twice`);
      this.keys.set(id, {
        id,
        data: derive(key, 'data key'),
        blindIndex: derive(key, 'blind index key'),
        pseudonym: derive(key, 'pseudonym key'),
        fingerprint: derive(key, 'fingerprint', 16).toString('hex'),
      });
    }
    this.writeKeyId = Math.max(...this.keys.keys());
    this.writer = this.keys.get(this.writeKeyId) as Subkeys;
    this.stem = options.stem;
  }

  get keyIds(): readonly number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  fingerprint(id: number): string | undefined {
    return this.keys.get(id)?.fingerprint;
  }

  seal(plain: Uint8Array): SealedField {
    return { bytes: this.sealWith(this.writer, plain), keyId: this.writeKeyId };
  }

  sealText(text: string): SealedField {
    return this.seal(utf8.encode(text));
  }

  open(bytes: Uint8Array, keyId: number): Uint8Array {
    if (keyId === 0) return this.plain.open(bytes, 0);
    const key = this.keys.get(keyId);
    if (key === undefined) throw new TextKeyUnknownError(keyId);
    if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) throw new FieldTamperedError(keyId);
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.data, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadOf(keyId));
    decipher.setAuthTag(tag);
    try {
      const head = decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES));
      const tail = decipher.final();
      return tail.length === 0 ? head : Buffer.concat([head, tail]);
    } catch (error) {
      throw new FieldTamperedError(keyId, error);
    }
  }

  openText(bytes: Uint8Array, keyId: number): string {
    const plain = this.open(bytes, keyId);
    try {
      return utf8Strict.decode(plain);
    } catch (error) {
      throw new FieldTamperedError(keyId, error);
    }
  }

  searchDigests(text: string): string[] {
    const digests = new Set<string>();
    for (const word of rawWords(text)) {
      let digest = this.wordDigests.get(word);
      if (digest === undefined) {
        digest = this.digest(this.writer, this.stem(word));
        if (this.wordDigests.size >= DIGESTS_KEPT) this.wordDigests.clear();
        this.wordDigests.set(word, digest);
      }
      digests.add(digest);
    }
    return [...digests];
  }

  queryDigests(text: string): string[][] {
    const words = searchWords(text, this.stem);
    return words.map((word) => [...this.keys.values()].map((key) => this.digest(key, word)));
  }

  // The `=` keeps a whole identifier's digest apart from any word's.
  exactDigest(value: string): string {
    return this.digest(this.writer, `=${value}`);
  }

  exactDigests(value: string): string[] {
    return [...this.keys.values()].map((key) => this.digest(key, `=${value}`));
  }

  pseudonym(value: string): string {
    return createHmac('sha256', this.writer.pseudonym).update(value).digest('base64url').slice(0, 16);
  }

  pseudonyms(value: string): string[] {
    const others = [...this.keys.values()].filter((k) => k !== this.writer);
    return [this.writer, ...others].map((key) =>
      createHmac('sha256', key.pseudonym).update(value).digest('base64url').slice(0, 16),
    );
  }

  private sealWith(key: Subkeys, plain: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.data, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadOf(key.id));
    const out = Buffer.allocUnsafe(1 + NONCE_BYTES + plain.length + TAG_BYTES);
    out[0] = FORMAT_V1;
    nonce.copy(out, 1);
    let offset = 1 + NONCE_BYTES;
    offset += cipher.update(plain).copy(out, offset);
    offset += cipher.final().copy(out, offset);
    cipher.getAuthTag().copy(out, offset);
    return out;
  }

  private digest(key: Subkeys, word: string): string {
    return createHmac('sha256', key.blindIndex).update(word).digest('hex').slice(0, DIGEST_HEX);
  }
}

/** The key id as associated data: a value cannot be passed off as sealed by another key. */
function aadOf(keyId: number): Buffer {
  const aad = Buffer.allocUnsafe(4);
  aad.writeUInt32BE(keyId);
  return aad;
}
