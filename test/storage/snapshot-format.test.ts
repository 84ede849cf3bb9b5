import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Codec } from '../../src/runtime/index.js';
import { PlainCipher, SnapshotFormat } from '../../src/storage/index.js';

const stateV3 = z.object({ members: z.array(z.object({ id: z.number(), name: z.string() })), mood: z.string() });
type StateV3 = z.infer<typeof stateV3>;

const codec = new Codec();

function formatV3(): SnapshotFormat<StateV3> {
  return new SnapshotFormat<StateV3>({
    version: 3,
    upgrades: {
      // v1 kept a list of ids; v2 named members; v3 added the mood.
      1: (state) => ({ members: (state as { ids: number[] }).ids.map((id) => ({ id, name: `user ${id}` })) }),
      2: (state) => ({ ...(state as object), mood: 'calm' }),
    },
    parse: (value) => stateV3.parse(value),
  });
}

describe('SnapshotFormat', () => {
  it('decodes what it encoded, for any state the schema accepts', () => {
    const format = formatV3();
    const member = fc.record({ id: fc.integer(), name: fc.string() });
    fc.assert(
      fc.property(fc.record({ members: fc.array(member, { maxLength: 20 }), mood: fc.string() }), (state) => {
        expect(format.decode('k', 3, format.encode(state))).toEqual(state);
      }),
    );
  });

  it('encodes the stored shape `stored` gives (sealed too) and and reads it back through `parse`', () => {
    // Live: names by id; stored: the list the schema reads.
    type Live = { byId: Map<number, string>; mood: string };
    const format = new SnapshotFormat<Live>({
      version: 3,
      parse: (value) => {
        const { members, mood } = stateV3.parse(value);
        return { byId: new Map(members.map((m) => [m.id, m.name])), mood };
      },
      stored: (live) => ({ members: [...live.byId].map(([id, name]) => ({ id, name })), mood: live.mood }),
    });
    const live: Live = { byId: new Map([[7, 'Оля']]), mood: 'calm' };
    const bytes = format.encode(live);
    expect(codec.decode(bytes)).toEqual({ members: [{ id: 7, name: 'Оля' }], mood: 'calm' });
    expect(format.decode('k', 3, bytes)).toEqual(live);
    const sealed = format.sealedWith(new PlainCipher());
    expect(sealed.decode('k', 3, sealed.encode(live))).toEqual(live);
  });

  it('upgrades an older snapshot step by step to the current version', () => {
    const format = formatV3();
    expect(format.decode('k', 1, codec.encode({ ids: [7, 9] }))).toEqual({
      members: [
        { id: 7, name: 'user 7' },
        { id: 9, name: 'user 9' },
      ],
      mood: 'calm',
    });
    expect(format.decode('k', 2, codec.encode({ members: [{ id: 1, name: 'Оля' }] }))).toEqual({
      members: [{ id: 1, name: 'Оля' }],
      mood: 'calm',
    });
  });

  it('refuses a snapshot from a newer build with a non-retryable SNAPSHOT_VERSION_UNKNOWN', () => {
    const format = formatV3();
    expect(() => format.decode('chat:1', 4, format.encode({ members: [], mood: 'x' }))).toThrow(
      expect.objectContaining({
        code: 'SNAPSHOT_VERSION_UNKNOWN',
        retryable: false,
        message: expect.stringContaining('chat:1'),
      }),
    );
  });

  it.each([
    ['a byte msgpack never uses', Uint8Array.of(0xc1)],
    ['a truncated map', codec.encode({ members: [], mood: 'calm' }).subarray(0, 5)],
    ['valid msgpack followed by garbage', Uint8Array.of(...codec.encode({ members: [], mood: 'calm' }), 0x01)],
    ['valid msgpack of the wrong shape', codec.encode({ members: 'nobody' })],
    ['an empty buffer', new Uint8Array(0)],
  ])('refuses %s with a non-retryable SNAPSHOT_CORRUPT', (_name, bytes) => {
    expect(() => formatV3().decode('chat:2', 3, bytes)).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_CORRUPT', retryable: false }),
    );
  });

  it('refuses an older snapshot it has no upgrade for, and one whose upgrade throws', () => {
    const gap = new SnapshotFormat<unknown>({ version: 3, upgrades: { 2: (s) => s }, parse: (v) => v });
    expect(() => gap.decode('k', 1, codec.encode({}))).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_UPGRADE_FAILED', retryable: false }),
    );
    const broken = new SnapshotFormat<unknown>({
      version: 2,
      upgrades: {
        1: () => {
          throw new Error('boom');
        },
      },
      parse: (v) => v,
    });
    expect(() => broken.decode('k', 1, codec.encode({}))).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_UPGRADE_FAILED' }),
    );
  });

  it('rejects invalid versions and upgrades when it is built', () => {
    expect(() => new SnapshotFormat({ version: 0, parse: (v) => v })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'version' }),
    );
    expect(() => new SnapshotFormat({ version: 2, upgrades: { 2: (s) => s }, parse: (v) => v })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'upgrades' }),
    );
  });
});
