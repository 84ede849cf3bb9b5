import { fnv1a, mix32 } from '../runtime/index.js';

// The partition of a chat is the runtime's `partitionOf`, which Postgres can compute too.
export { partitionOf } from '../runtime/index.js';

/** How much `member` wants `partition`: the highest score among the live members serves it (rendezvous hashing). */
export function rendezvousScore(member: string, partition: number): number {
  return mix32(fnv1a(`${member}#${partition}`));
}

/**
 * Which partitions each member should serve: every partition goes to the
 * member with the highest {@link rendezvousScore}. When a member joins or
 * leaves only the partitions it wins or held move — about 1/N of them —
 * and every member computes the same answer from the same member list.
 */
export function assignPartitions(members: readonly string[], partitions: number): Map<string, number[]> {
  const out = new Map<string, number[]>(members.map((m) => [m, []]));
  if (members.length === 0) return out;
  for (let p = 0; p < partitions; p++) {
    let best = members[0] as string;
    let bestScore = -1;
    for (const member of members) {
      const score = rendezvousScore(member, p);
      // Ties (vanishingly rare) go to the smaller id, so every member agrees.
      if (score > bestScore || (score === bestScore && member < best)) {
        best = member;
        bestScore = score;
      }
    }
    (out.get(best) as number[]).push(p);
  }
  return out;
}
