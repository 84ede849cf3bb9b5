import type { Identity } from '../../ports/index.js';

/** What one erasure removed: counts only, and the member's pseudonym (never their id). */
export interface ErasureSummary {
  erasureId: number;
  pseudonym: string;
  chats: number;
  memories: number;
  rows: Record<string, number>;
}

/**
 * GDPR export and erasure of one member, as the admin API reaches them (the
 * wiring implements it on the privacy engine). Both throw
 * `MEMBER_DATA_NOT_FOUND` when nothing is stored about the user id.
 */
export interface MemberPrivacy {
  /** The keyed pseudonym audit rows use for the member. */
  pseudonym(userId: number): string;
  /** Everything stored about the member, as one JSON document. */
  exportMember(userId: number): Promise<Record<string, unknown>>;
  erase(userId: number, requester: Identity): Promise<ErasureSummary>;
}
