// Strings up to this many UTF-16 units are encoded by a loop in JS; longer
// ones by Buffer#write (native). Both give the bytes @msgpack/msgpack gives:
// its JS encoder for these lengths keeps a lone surrogate as three bytes, its
// TextEncoder path above them replaces it with U+FFFD like Buffer#write.
const JS_STRING_MAX = 50;
const MAX_DEPTH = 100;
const INITIAL_BYTES = 16 * 1024;
// Pooled results are cut from slabs this big: one ArrayBuffer per ~36 chat
// snapshots instead of one each, which took ~20% of encoding a shutdown's
// 100k snapshots in a heap that size (allocation and its GC).
const SLAB_BYTES = 64 * 1024;
// Map keys are mostly the same few hundred field names in every state: the
// bytes of the first KEY_CACHE_MAX field-like keys (a letter or `_` first, at
// most KEY_CACHE_UNITS long) are kept for the process and copied, which made
// encoding a busy chat's state ~20% faster and the storage bench's ~40%.
// Keys that are ids or words of a chat's tables mostly start otherwise; the
// first come keep their place, so the cache stays as small as it starts.
const KEY_CACHE_MAX = 2048;
const KEY_CACHE_UNITS = 32;
const keyBytes = new Map<string, Uint8Array>();

/** Thrown inside the writer for a value it leaves to the general encoder. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('not handled by the fast msgpack writer');

export interface MsgpackWriterOptions {
  /**
   * Results are views into shared 64 KB slabs instead of one ArrayBuffer
   * each: cheaper for many small values that are short-lived, such as
   * snapshots waiting to be written. A result's `buffer` then holds other
   * results too, so it must never be transferred or detached, and one kept
   * for long keeps its whole slab alive.
   */
  pooled?: boolean;
}

/**
 * A msgpack encoder for plain data — `null`/`undefined`, booleans, numbers,
 * strings, arrays and objects (undefined properties left out) — that writes
 * exactly the bytes of `@msgpack/msgpack`'s `Encoder({ ignoreUndefined: true })`
 * in about half the time: each string is counted and written in one pass
 * (the header is fixed up afterwards) and long ones go through Buffer's
 * native UTF-8 writer. Anything else (dates, binary, bigint, cycles, very
 * deep nesting) makes `encode` return `null`, and the caller uses the
 * general encoder, so every value still gets the library's bytes or error.
 */
export class MsgpackWriter {
  private bytes = new Uint8Array(INITIAL_BYTES);
  private view = new DataView(this.bytes.buffer);
  private buffer = Buffer.from(this.bytes.buffer);
  private pos = 0;
  private busy = false;
  private readonly pooled: boolean;
  private slab = new Uint8Array(0);
  private slabPos = 0;

  constructor(options: MsgpackWriterOptions = {}) {
    this.pooled = options.pooled ?? false;
  }

  /** How many map keys' bytes this thread keeps (at most 2048). */
  static get cachedKeys(): number {
    return keyBytes.size;
  }

  /** The msgpack bytes of `value` (a copy), or `null` when it holds something only the general encoder handles. */
  encode(value: unknown): Uint8Array | null {
    if (this.busy) return null; // re-entered from a getter: the general encoder copes
    // Maps are walked with for…in, which would also see inherited enumerable properties: none may exist.
    if (hasEnumerable(Object.prototype)) return null;
    this.busy = true;
    this.pos = 0;
    try {
      this.value(value, 1);
      return this.pooled ? this.fromSlab() : this.bytes.slice(0, this.pos);
    } catch (error) {
      if (error === UNSUPPORTED) return null;
      throw error;
    } finally {
      this.busy = false;
      if (this.bytes.length > 1024 * 1024) this.reset(INITIAL_BYTES); // do not keep one huge value's buffer
    }
  }

  private value(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw UNSUPPORTED; // the general encoder throws its own error for this
    if (value === null || value === undefined) this.u8(0xc0);
    else if (typeof value === 'string') this.string(value);
    else if (typeof value === 'number') this.number(value);
    else if (typeof value === 'boolean') this.u8(value ? 0xc3 : 0xc2);
    else if (typeof value === 'object') {
      if (Array.isArray(value)) this.array(value, depth);
      else {
        const proto: unknown = Object.getPrototypeOf(value);
        // Class instances may be dates or carry extensions: the general encoder decides.
        if (proto !== Object.prototype && proto !== null) throw UNSUPPORTED;
        this.map(value as Record<string, unknown>, depth);
      }
    } else throw UNSUPPORTED;
  }

  private array(items: readonly unknown[], depth: number): void {
    const size = items.length;
    this.ensure(5);
    if (size < 16) this.bytes[this.pos++] = 0x90 + size;
    else if (size < 0x10000) {
      this.bytes[this.pos] = 0xdc;
      this.view.setUint16(this.pos + 1, size);
      this.pos += 3;
    } else {
      this.bytes[this.pos] = 0xdd;
      this.view.setUint32(this.pos + 1, size);
      this.pos += 5;
    }
    for (let i = 0; i < size; i++) this.value(items[i], depth + 1);
  }

  // One pass with for…in, which allocates no key array (Object.keys did, per
  // object): own enumerable string keys in Object.keys order, as the library
  // writes them. The header is reserved for a fixmap and widened afterwards
  // in the rare case of 16 or more entries.
  private map(object: Record<string, unknown>, depth: number): void {
    this.ensure(1);
    const header = this.pos++;
    let written = 0;
    for (const key in object) {
      const v = object[key];
      if (v === undefined) continue;
      this.key(key);
      this.value(v, depth + 1);
      written++;
    }
    if (written < 16) {
      this.bytes[header] = 0x80 + written;
      return;
    }
    const extra = written < 0x10000 ? 2 : 4;
    this.ensure(extra);
    this.bytes.copyWithin(header + 1 + extra, header + 1, this.pos);
    this.pos += extra;
    if (extra === 2) {
      this.bytes[header] = 0xde;
      this.view.setUint16(header + 1, written);
    } else {
      this.bytes[header] = 0xdf;
      this.view.setUint32(header + 1, written);
    }
  }

  /** A map key: copied from the cache of key bytes when it is there, written (and maybe cached) when not. */
  private key(key: string): void {
    const cached = keyBytes.get(key);
    if (cached === undefined) {
      const start = this.pos;
      this.string(key);
      if (keyBytes.size < KEY_CACHE_MAX && isFieldLike(key)) keyBytes.set(key, this.bytes.slice(start, this.pos));
      return;
    }
    const size = cached.length;
    this.ensure(size);
    const out = this.bytes;
    let p = this.pos;
    for (let i = 0; i < size; i++) out[p++] = cached[i] as number;
    this.pos = p;
  }

  private number(value: number): void {
    this.ensure(9);
    const bytes = this.bytes;
    const p = this.pos;
    if (Number.isSafeInteger(value)) {
      if (value >= 0) {
        if (value < 0x80) {
          bytes[p] = value;
          this.pos = p + 1;
        } else if (value < 0x100) {
          bytes[p] = 0xcc;
          bytes[p + 1] = value;
          this.pos = p + 2;
        } else if (value < 0x10000) {
          bytes[p] = 0xcd;
          this.view.setUint16(p + 1, value);
          this.pos = p + 3;
        } else if (value < 0x100000000) {
          bytes[p] = 0xce;
          this.view.setUint32(p + 1, value);
          this.pos = p + 5;
        } else {
          bytes[p] = 0xcf;
          this.view.setUint32(p + 1, value / 0x100000000);
          this.view.setUint32(p + 5, value);
          this.pos = p + 9;
        }
      } else if (value >= -0x20) {
        bytes[p] = 0xe0 | (value + 0x20);
        this.pos = p + 1;
      } else if (value >= -0x80) {
        bytes[p] = 0xd0;
        this.view.setInt8(p + 1, value);
        this.pos = p + 2;
      } else if (value >= -0x8000) {
        bytes[p] = 0xd1;
        this.view.setInt16(p + 1, value);
        this.pos = p + 3;
      } else if (value >= -0x80000000) {
        bytes[p] = 0xd2;
        this.view.setInt32(p + 1, value);
        this.pos = p + 5;
      } else {
        bytes[p] = 0xd3;
        this.view.setUint32(p + 1, Math.floor(value / 0x100000000));
        this.view.setUint32(p + 5, value);
        this.pos = p + 9;
      }
    } else {
      bytes[p] = 0xcb;
      this.view.setFloat64(p + 1, value);
      this.pos = p + 9;
    }
  }

  private string(value: string): void {
    const units = value.length;
    // At most 3 bytes per UTF-16 unit: room for that, behind the header that size would need.
    const most = units * 3;
    this.ensure(most + 5);
    const reserved = most < 32 ? 1 : most < 0x100 ? 2 : most < 0x10000 ? 3 : 5;
    const start = this.pos + reserved;
    const length =
      units <= JS_STRING_MAX ? this.utf8(value, start) - start : this.buffer.write(value, start, most, 'utf8');
    if (length >= 0x100000000) throw new Error(`Too long string: ${length} bytes in UTF-8`);
    const header = length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
    if (header !== reserved) this.bytes.copyWithin(this.pos + header, start, start + length);
    const p = this.pos;
    if (header === 1) this.bytes[p] = 0xa0 + length;
    else if (header === 2) {
      this.bytes[p] = 0xd9;
      this.bytes[p + 1] = length;
    } else if (header === 3) {
      this.bytes[p] = 0xda;
      this.view.setUint16(p + 1, length);
    } else {
      this.bytes[p] = 0xdb;
      this.view.setUint32(p + 1, length);
    }
    this.pos = p + header + length;
  }

  /** UTF-8 of `value` at `offset` (lone surrogates as three bytes, as @msgpack/msgpack does); returns the end. */
  private utf8(value: string, offset: number): number {
    const out = this.bytes;
    const units = value.length;
    let o = offset;
    let i = 0;
    while (i < units) {
      let c = value.charCodeAt(i++);
      if ((c & 0xffffff80) === 0) {
        out[o++] = c;
        continue;
      }
      if ((c & 0xfffff800) === 0) {
        out[o++] = ((c >> 6) & 0x1f) | 0xc0;
      } else {
        if (c >= 0xd800 && c <= 0xdbff && i < units) {
          const next = value.charCodeAt(i);
          if ((next & 0xfc00) === 0xdc00) {
            i++;
            c = ((c & 0x3ff) << 10) + (next & 0x3ff) + 0x10000;
          }
        }
        if ((c & 0xffff0000) === 0) {
          out[o++] = ((c >> 12) & 0x0f) | 0xe0;
          out[o++] = ((c >> 6) & 0x3f) | 0x80;
        } else {
          out[o++] = ((c >> 18) & 0x07) | 0xf0;
          out[o++] = ((c >> 12) & 0x3f) | 0x80;
          out[o++] = ((c >> 6) & 0x3f) | 0x80;
        }
      }
      out[o++] = (c & 0x3f) | 0x80;
    }
    return o;
  }

  /** A copy of the encoded bytes cut from the current slab (a new slab when it is full). */
  private fromSlab(): Uint8Array {
    const size = this.pos;
    if (this.slabPos + size > this.slab.length) {
      this.slab = new Uint8Array(Math.max(SLAB_BYTES, size));
      this.slabPos = 0;
    }
    const out = this.slab.subarray(this.slabPos, this.slabPos + size);
    out.set(this.bytes.subarray(0, size));
    this.slabPos += size;
    return out;
  }

  private u8(byte: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = byte;
  }

  private ensure(size: number): void {
    const needed = this.pos + size;
    if (needed <= this.bytes.length) return;
    const old = this.bytes.subarray(0, this.pos);
    this.reset(needed * 2);
    this.bytes.set(old);
  }

  private reset(size: number): void {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.buffer = Buffer.from(this.bytes.buffer);
  }
}

/** Looks like a field name: short, a Latin letter or `_` first. */
function isFieldLike(key: string): boolean {
  if (key.length > KEY_CACHE_UNITS) return false;
  const first = key.charCodeAt(0);
  return (first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a) || first === 0x5f;
}

function hasEnumerable(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
