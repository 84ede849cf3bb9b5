import type { FieldCipher } from '../../ports/index.js';

// A sealed blob (a snapshot) starts with 0xc1 — the one byte msgpack never
// uses, so no plaintext snapshot can start with it — then the key id as a
// 32-bit big-endian integer, then the sealed bytes. Anything else is a
// plaintext snapshot from before a key was configured, read as it is.
const MARK = 0xc1;
const HEADER_BYTES = 5;

/** `plain` sealed with the writing key, or unchanged when no key is configured. */
export function sealEnvelope(cipher: FieldCipher, plain: Uint8Array): Uint8Array {
  if (cipher.writeKeyId === 0) return plain;
  const sealed = cipher.seal(plain);
  const out = Buffer.allocUnsafe(HEADER_BYTES + sealed.bytes.length);
  out[0] = MARK;
  out.writeUInt32BE(sealed.keyId, 1);
  out.set(sealed.bytes, HEADER_BYTES);
  return out;
}

/** The key id an envelope was sealed with; 0 for plaintext. */
export function envelopeKeyId(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES || bytes[0] !== MARK) return 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32BE(1);
}

/** The plaintext of an envelope (sealed or not); throws the cipher's errors for an unknown key or tampered bytes. */
export function openEnvelope(cipher: FieldCipher, bytes: Uint8Array): Uint8Array {
  const keyId = envelopeKeyId(bytes);
  if (keyId === 0 && bytes[0] !== MARK) return bytes;
  return cipher.open(bytes.subarray(HEADER_BYTES), keyId);
}

/** SQL reading the key id of the envelope in the bytea column `column` (0 for plaintext). */
export function envelopeKeyIdSql(column: string): string {
  return `(CASE WHEN length(${column}) >= ${HEADER_BYTES} THEN CASE WHEN get_byte(${column}, 0) = ${MARK}
    THEN (get_byte(${column}, 1)::bigint << 24) + (get_byte(${column}, 2) << 16) + (get_byte(${column}, 3) << 8) + get_byte(${column}, 4)
    ELSE 0 END ELSE 0 END)`;
}
