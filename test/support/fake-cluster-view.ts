import type { ChatOwner, ClusterStatus, ClusterView } from '../../src/ports/index.js';

/**
 * A `ClusterView` the test sets by hand: who owns which chat (local unless
 * said otherwise), whether this member is ready, and the status it reports.
 */
export class FakeClusterView implements ClusterView {
  readonly owners = new Map<number, ChatOwner>();
  ready: { ready: true } | { ready: false; reason: string } = { ready: true };
  /** What `status()` answers; an Error is thrown instead. */
  current: ClusterStatus | Error;
  /** Chats `ownerOf` was asked about, in order. */
  readonly asked: number[] = [];

  constructor(
    readonly memberId: string,
    status?: ClusterStatus,
  ) {
    this.current = status ?? {
      memberId,
      partitions: 1,
      leader: memberId,
      members: [
        {
          id: memberId,
          httpUrl: null,
          startedAtMs: 0,
          heartbeatAtMs: 0,
          stopping: false,
          partitions: [0],
          leader: true,
        },
      ],
      partitionLeases: [{ partition: 0, owner: memberId, epoch: 1, expiresAtMs: 5000, lag: 0 }],
    };
  }

  async status(): Promise<ClusterStatus> {
    if (this.current instanceof Error) throw this.current;
    return this.current;
  }

  readiness(): { ready: true } | { ready: false; reason: string } {
    return this.ready;
  }

  ownerOf(chatId: number): ChatOwner {
    this.asked.push(chatId);
    return this.owners.get(chatId) ?? { kind: 'local' };
  }
}

/** A three-member picture: `a` leads, `c` is stopping, partition 3 is between owners. */
export function threeMemberStatus(nowMs: number): ClusterStatus {
  const member = (
    id: string,
    partitions: number[],
    extra: { leader?: boolean; stopping?: boolean; ageMs?: number },
  ) => ({
    id,
    httpUrl: `http://${id}.internal:8080`,
    startedAtMs: nowMs - 3_600_000,
    heartbeatAtMs: nowMs - (extra.ageMs ?? 200),
    stopping: extra.stopping ?? false,
    partitions,
    leader: extra.leader ?? false,
  });
  return {
    memberId: 'member-a',
    partitions: 4,
    leader: 'member-a',
    members: [
      member('member-a', [0, 1], { leader: true }),
      member('member-b', [2], { ageMs: 1500 }),
      member('member-c', [], { stopping: true, ageMs: 4200 }),
    ],
    partitionLeases: [
      { partition: 0, owner: 'member-a', epoch: 3, expiresAtMs: nowMs + 4000, lag: 0 },
      { partition: 1, owner: 'member-a', epoch: 1, expiresAtMs: nowMs + 4000, lag: 12 },
      { partition: 2, owner: 'member-b', epoch: 7, expiresAtMs: nowMs + 3000, lag: 5 },
      { partition: 3, owner: null, epoch: 2, expiresAtMs: null, lag: null },
    ],
  };
}
