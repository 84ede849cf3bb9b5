import { describe, expect, it } from 'vitest';
import { assignPartitions } from '../../src/cluster/index.js';

function ownerMap(assignment: Map<string, number[]>): Map<number, string> {
  const owners = new Map<number, string>();
  for (const [member, partitions] of assignment) for (const p of partitions) owners.set(p, member);
  return owners;
}

describe('rendezvous assignment of partitions', () => {
  it('gives every partition to exactly one member, the same answer whatever the order of the list', () => {
    const a = assignPartitions(['m-a', 'm-b', 'm-c'], 64);
    const b = assignPartitions(['m-c', 'm-a', 'm-b'], 64);
    expect([...a.values()].flat().sort((x, y) => x - y)).toEqual([...Array(64).keys()]);
    expect(ownerMap(a)).toEqual(ownerMap(b));
    for (const partitions of a.values()) expect(partitions.length).toBeGreaterThan(8);
  });

  it('moves only the partitions a newcomer wins when a member joins, and only the leaver’s when one leaves', () => {
    const before = ownerMap(assignPartitions(['m-a', 'm-b', 'm-c'], 256));
    const joined = ownerMap(assignPartitions(['m-a', 'm-b', 'm-c', 'm-d'], 256));
    const moved = [...before].filter(([p, owner]) => joined.get(p) !== owner);
    expect(moved.every(([p]) => joined.get(p) === 'm-d')).toBe(true);
    // About a quarter of them: 1/N.
    expect(moved.length).toBeGreaterThan(256 / 4 / 2);
    expect(moved.length).toBeLessThan((256 / 4) * 1.6);

    const left = ownerMap(assignPartitions(['m-a', 'm-c'], 256));
    for (const [p, owner] of before) if (owner !== 'm-b') expect(left.get(p)).toBe(owner);
  });

  it('gives nothing to nobody', () => {
    expect(assignPartitions([], 8).size).toBe(0);
  });
});
