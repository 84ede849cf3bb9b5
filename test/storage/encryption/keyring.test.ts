import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stemWord } from '../../../src/chat/index.js';
import { encryptionKeysOf, EncryptionKeysInvalid } from '../../../src/config/index.js';
import {
  FieldTamperedError,
  Keyring,
  openEnvelope,
  PlainCipher,
  sealEnvelope,
  envelopeKeyId,
  SnapshotCorruptError,
  SnapshotFormat,
  TextKeyUnknownError,
} from '../../../src/storage/index.js';

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const ring = (...keys: Array<[number, Buffer]>): Keyring =>
  new Keyring(
    keys.map(([id, key]) => ({ id, key })),
    { stem: stemWord },
  );

describe('Keyring', () => {
  it('opens what it sealed, text and bytes, under the key id it reports', () => {
    const keyring = ring([1, key1]);
    const sealed = keyring.sealText('Привет, мир 👋');
    expect(sealed.keyId).toBe(1);
    expect(Buffer.from(sealed.bytes).includes(Buffer.from('Привет'))).toBe(false);
    expect(keyring.openText(sealed.bytes, sealed.keyId)).toBe('Привет, мир 👋');
    const bytes = keyring.seal(new Uint8Array([0, 1, 2, 255]));
    expect([...keyring.open(bytes.bytes, bytes.keyId)]).toEqual([0, 1, 2, 255]);
    expect(keyring.openText(keyring.sealText('').bytes, 1)).toBe('');
  });

  it('uses a fresh nonce for every value: the same text never seals to the same bytes', () => {
    const keyring = ring([1, key1]);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(Buffer.from(keyring.sealText('same').bytes).toString('hex'));
    expect(seen.size).toBe(100);
  });

  it('refuses bytes that were changed, truncated, or moved to another key id with FIELD_TAMPERED', () => {
    const keyring = ring([1, key1], [2, key2]);
    const sealed = keyring.sealText('secret text');
    for (let i = 0; i < sealed.bytes.length; i++) {
      const changed = Buffer.from(sealed.bytes);
      changed[i] = (changed[i] as number) ^ 1;
      expect(() => keyring.openText(changed, sealed.keyId)).toThrow(FieldTamperedError);
    }
    expect(() => keyring.open(sealed.bytes.subarray(0, 20), 2)).toThrow(FieldTamperedError);
    // The key id is authenticated: the same bytes under key 1 do not open.
    expect(() => keyring.open(sealed.bytes, 1)).toThrow(FieldTamperedError);
    const error = (() => {
      try {
        keyring.open(Buffer.from(sealed.bytes).fill(7, 20, 21), 2);
      } catch (e) {
        return e as FieldTamperedError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('FIELD_TAMPERED');
    expect(error?.message).not.toContain('secret');
  });

  it('refuses a key id it does not hold with TEXT_KEY_UNKNOWN, and reads key id 0 as plain UTF-8', () => {
    const keyring = ring([1, key1]);
    expect(() => keyring.open(new Uint8Array(40), 7)).toThrow(TextKeyUnknownError);
    expect(keyring.openText(Buffer.from('старый текст'), 0)).toBe('старый текст');
    expect(() => new PlainCipher().open(keyring.sealText('x').bytes, 1)).toThrow(TextKeyUnknownError);
  });

  it('writes with the highest id and still reads every configured key (rotation)', () => {
    const before = ring([1, key1]);
    const old = before.sealText('written before the rotation');
    const after = ring([1, key1], [2, key2]);
    expect(after.writeKeyId).toBe(2);
    expect(after.sealText('new').keyId).toBe(2);
    expect(after.openText(old.bytes, old.keyId)).toBe('written before the rotation');
    // A keyring holding only the new key cannot read the old value.
    expect(() => ring([2, key2]).open(old.bytes, 1)).toThrow(TextKeyUnknownError);
  });

  it('recognises a key by a fingerprint that differs per key and reveals nothing of it', () => {
    const a = ring([1, key1]);
    expect(a.fingerprint(1)).toBe(ring([1, key1]).fingerprint(1));
    expect(a.fingerprint(1)).not.toBe(ring([1, key2]).fingerprint(1));
    expect(a.fingerprint(1)).not.toContain(key1.toString('hex').slice(0, 8));
    expect(a.fingerprint(2)).toBeUndefined();
  });

  it('gives equal search words equal digests, word forms included, and other keys other digests', () => {
    const keyring = ring([1, key1]);
    const cats = keyring.searchDigests('Кошки бегали');
    expect(cats).toHaveLength(2);
    expect(keyring.searchDigests('кошка')[0]).toBe(keyring.searchDigests('КОШКИ')[0]);
    expect(keyring.searchDigests('ёжик')).toEqual(keyring.searchDigests('ежик'));
    expect(cats.every((d) => /^[0-9a-f]{24}$/.test(d))).toBe(true);
    expect(ring([1, key2]).searchDigests('кошки')[0]).not.toBe(keyring.searchDigests('кошки')[0]);
    const both = ring([1, key1], [2, key2]);
    expect(both.queryDigests('кошки')).toEqual([
      [keyring.searchDigests('кошки')[0], ring([2, key2]).searchDigests('кошки')[0]],
    ]);
    expect(both.queryDigests('!!!')).toEqual([]);
  });

  it('derives separate subkeys: digests, pseudonyms and exact digests of one value all differ', () => {
    const keyring = ring([1, key1]);
    const word = keyring.searchDigests('ann')[0];
    expect(keyring.exactDigest('ann')).not.toBe(word);
    expect(keyring.pseudonym('ann')).not.toBe(word);
    expect(keyring.pseudonym('42')).toBe(ring([1, key1]).pseudonym('42'));
    expect(ring([1, key1], [2, key2]).pseudonyms('42')).toEqual([
      ring([2, key2]).pseudonym('42'),
      keyring.pseudonym('42'),
    ]);
  });

  it('refuses to be built from keys that are not 32 bytes, repeated ids or no keys', () => {
    expect(() => ring()).toThrow(/at least one key/);
    expect(() => ring([1, randomBytes(16)])).toThrow(/32 bytes/);
    expect(() => ring([1, key1], [1, key2])).toThrow(/twice/);
    expect(() => ring([0, key1])).toThrow(/key id 0/);
  });
});

describe('sealed envelopes (snapshots)', () => {
  it('seal with the key id in front, open under any configured key, and pass plaintext through', () => {
    const keyring = ring([3, key1]);
    const plain = new Uint8Array([0x82, 0xa1, 0x61, 0x01]);
    const sealed = sealEnvelope(keyring, plain);
    expect(envelopeKeyId(sealed)).toBe(3);
    expect([...openEnvelope(keyring, sealed)]).toEqual([...plain]);
    expect(envelopeKeyId(plain)).toBe(0);
    expect(openEnvelope(keyring, plain)).toBe(plain);
    expect(sealEnvelope(new PlainCipher(), plain)).toBe(plain);
    expect(() => openEnvelope(new PlainCipher(), sealed)).toThrow(TextKeyUnknownError);
  });
});

describe('a sealed snapshot format', () => {
  const plainFormat = new SnapshotFormat<{ n: number }>({ version: 1, parse: (v) => v as { n: number } });

  it('reads plaintext snapshots from before the key, and refuses changed bytes or an unknown key as corrupt', () => {
    const sealed = plainFormat.sealedWith(ring([1, key1]));
    expect(sealed.decode('k', 1, plainFormat.encode({ n: 1 }))).toEqual({ n: 1 });
    const bytes = sealed.encode({ n: 2 });
    expect(envelopeKeyId(bytes)).toBe(1);
    expect(sealed.decode('k', 1, bytes)).toEqual({ n: 2 });
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] = (changed[changed.length - 1] as number) ^ 1;
    expect(() => sealed.decode('k', 1, changed)).toThrow(SnapshotCorruptError);
    expect(() => plainFormat.sealedWith(ring([2, key2])).decode('k', 1, bytes)).toThrow(
      /snapshot of k is corrupt: stored text is encrypted with key 1/,
    );
  });
});

describe('encryptionKeysOf', () => {
  const b64 = (key: Buffer): string => key.toString('base64');

  it('reads ENCRYPTION_KEY as key id 1 and ENCRYPTION_KEYS as id:key pairs, lowest id first', () => {
    expect(encryptionKeysOf({})).toEqual([]);
    expect(encryptionKeysOf({ ENCRYPTION_KEY: b64(key1) })).toEqual([{ id: 1, key: key1 }]);
    expect(encryptionKeysOf({ ENCRYPTION_KEYS: ` 5:${b64(key2)} , 2:${b64(key1)}` })).toEqual([
      { id: 2, key: key1 },
      { id: 5, key: key2 },
    ]);
    expect(encryptionKeysOf({ ENCRYPTION_KEY: b64(key1), ENCRYPTION_KEYS: `2:${b64(key2)},1:${b64(key1)}` })).toEqual([
      { id: 1, key: key1 },
      { id: 2, key: key2 },
    ]);
  });

  it('names ENCRYPTION_KEYS and never quotes a key when an entry is malformed or clashes', () => {
    const cases = [
      `1:${b64(key1).slice(1)}`,
      `x:${b64(key1)}`,
      `0:${b64(key1)}`,
      b64(key1),
      `2:${b64(key1)},2:${b64(key2)}`,
    ];
    for (const ENCRYPTION_KEYS of cases) {
      const result = encryptionKeysOf({ ENCRYPTION_KEYS });
      expect(result).toBeInstanceOf(EncryptionKeysInvalid);
      expect((result as EncryptionKeysInvalid).variable).toBe('ENCRYPTION_KEYS');
      expect((result as EncryptionKeysInvalid).message).not.toContain(b64(key1).slice(4, 20));
    }
    const clash = encryptionKeysOf({ ENCRYPTION_KEY: b64(key1), ENCRYPTION_KEYS: `1:${b64(key2)}` });
    expect((clash as EncryptionKeysInvalid).message).toMatch(/differs from ENCRYPTION_KEY/);
  });
});
