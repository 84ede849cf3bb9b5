import type { FieldCipher } from '../ports/index.js';
import { Codec, InvalidOptionError, LekhaError } from '../runtime/index.js';
import { openEnvelope, sealEnvelope } from './encryption/sealed-envelope.js';
import { SnapshotCorruptError, SnapshotUpgradeError, SnapshotVersionUnknownError } from './errors.js';

/** Turns the state of an older schema version into the next version's. */
export type SnapshotUpgrade = (state: unknown) => unknown;

export interface SnapshotFormatOptions<S> {
  /** The schema version of the state this build writes. Bump it whenever the state's shape changes. */
  version: number;
  /**
   * `upgrades[v]` turns a version-`v` state into a version-`v + 1` state.
   * A snapshot of version `v` is upgraded step by step to `version`.
   */
  upgrades?: Readonly<Record<number, SnapshotUpgrade>>;
  /**
   * Narrows a decoded (and upgraded) value to the state type, throwing when
   * it does not fit — a zod schema's `parse` is the usual choice. Decoded
   * bytes are untrusted input.
   */
  parse(value: unknown): S;
  /**
   * What is encoded for a state, where its stored shape differs from the
   * live one (`parse` reads it back). Absent: the state itself.
   */
  stored?: (state: S) => unknown;
  /**
   * Seals the encoded bytes at rest (key id in a small envelope, see
   * `encryption/sealed-envelope.ts`); reading accepts every configured key
   * and plaintext snapshots. Absent: stored as plain msgpack.
   */
  cipher?: FieldCipher;
}

/**
 * How one kind of actor state is stored: msgpack bytes tagged with a schema
 * version. Reading refuses what it cannot understand with non-retryable
 * errors, so the supervisor quarantines the key instead of starting it from
 * an empty state over data that still exists.
 */
export class SnapshotFormat<S> {
  readonly version: number;
  private readonly upgrades: Readonly<Record<number, SnapshotUpgrade>>;
  private readonly parse: (value: unknown) => S;
  // Snapshot bytes live until the next flush has written them: cut from shared slabs (see MsgpackWriterOptions).
  private readonly codec = new Codec({ pooled: true });
  private readonly cipher: FieldCipher | undefined;

  constructor(private readonly options: SnapshotFormatOptions<S>) {
    if (!Number.isInteger(options.version) || options.version < 1) {
      throw new InvalidOptionError('version', `snapshot version must be a positive integer, got ${options.version}`);
    }
    this.version = options.version;
    this.upgrades = options.upgrades ?? {};
    for (const from of Object.keys(this.upgrades).map(Number)) {
      if (!Number.isInteger(from) || from < 1 || from >= this.version) {
        throw new InvalidOptionError(
          'upgrades',
          `snapshot upgrade from version ${from} is outside 1…${this.version - 1}`,
        );
      }
    }
    this.parse = options.parse;
    this.cipher = options.cipher;
  }

  /** The same format, sealing what it encodes with `cipher`: Postgres and Redis then hold only sealed bytes. */
  sealedWith(cipher: FieldCipher): SnapshotFormat<S> {
    return new SnapshotFormat({ ...this.options, cipher });
  }

  encode(state: S): Uint8Array {
    const bytes = this.codec.encode(this.options.stored === undefined ? state : this.options.stored(state));
    return this.cipher === undefined ? bytes : sealEnvelope(this.cipher, bytes);
  }

  /** Decodes the snapshot of `key`, upgrading it when it is older. */
  decode(key: string, version: number, bytes: Uint8Array): S {
    if (version > this.version) throw new SnapshotVersionUnknownError(key, version, this.version);
    if (!Number.isInteger(version) || version < 1)
      throw new SnapshotCorruptError(key, `schema version ${version} is invalid`);
    let plain = bytes;
    if (this.cipher !== undefined) {
      try {
        plain = openEnvelope(this.cipher, bytes);
      } catch (error) {
        // An unknown key or bytes that do not authenticate: never replaced by an empty state.
        if (error instanceof LekhaError) throw new SnapshotCorruptError(key, error.message, error);
        throw error;
      }
    }
    let value: unknown;
    try {
      value = this.codec.decode(plain);
    } catch (error) {
      throw new SnapshotCorruptError(key, `${bytes.length} bytes are not valid msgpack`, error);
    }
    for (let v = version; v < this.version; v++) {
      const upgrade = this.upgrades[v];
      if (upgrade === undefined)
        throw new SnapshotUpgradeError(key, version, `no upgrade registered from version ${v} to ${v + 1}`);
      try {
        value = upgrade(value);
      } catch (error) {
        throw new SnapshotUpgradeError(key, version, `upgrade from version ${v} threw`, error);
      }
    }
    try {
      return this.parse(value);
    } catch (error) {
      throw new SnapshotCorruptError(key, 'decoded value does not have the shape of the state', error);
    }
  }
}
