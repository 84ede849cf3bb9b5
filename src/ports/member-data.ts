/** A member's row in `users`. */
export interface StoredUser {
  username: string | null;
  firstName: string;
  lastName: string | null;
  languageCode: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the durable tables hold about one member, for their data export. Times are ISO 8601. */
export interface StoredMemberData {
  user: StoredUser | null;
  /** `members`: the chats they wrote in, with the counters kept there. */
  memberships: Array<{ chatId: number; status: string; messageCount: number; firstSeenAt: string; lastSeenAt: string }>;
  /** `messages` they wrote (PII-redacted as stored). */
  messages: Array<{ chatId: number; messageId: number; replyToMessageId: number | null; sentAt: string; text: string }>;
  /** Long-term memories of what they said, with the feedback each received. */
  memories: Array<{ chatId: number; id: number; kind: string; text: string; feedback: number; createdAt: string }>;
  /** Reminders they set (the `jobs` table), pending and past. */
  reminders: Array<{ id: number; chatId: number | null; dueAt: string; status: string; text: string }>;
  /** Updates of theirs kept as dead letters of a quarantined chat (the update itself is not repeated). */
  deadLetters: Array<{ chatId: number; updateId: number; reason: string; failedAt: string }>;
}

/** Rows deleted or rewritten per table by one erasure step. */
export type ErasedRows = Record<string, number>;

/** A recorded erasure: its subject while it runs (null once finished) and the steps done. */
export interface ErasureRecord {
  id: number;
  /** The member's id, opened from its sealed column; null once the erasure finished. */
  userId: number | null;
  pseudonym: string;
  /** Steps completed so far (0: none). */
  step: number;
  requestedAtMs: number;
  finishedAtMs: number | null;
}

/**
 * Personal data of one member across the durable tables (GDPR export and
 * erasure), and the records that let an erasure resume after a crash.
 * Storage implements it on Postgres/PGlite. Every erasing call is
 * idempotent: run twice, the second finds nothing left.
 */
export interface MemberDataStore {
  /** Chats whose tables or state may hold something of the member: memberships, messages, memories, reminders, their private chat. */
  chatsOf(userId: number): Promise<number[]>;
  export(userId: number): Promise<StoredMemberData>;
  /** Resolves once every row queued for the append writer before the call is written. */
  flushAppends(): Promise<void>;
  /**
   * Deletes the member's rows: the bot's replies to their messages (and the
   * signals on them) and every reply in their private chat, then messages
   * they wrote and every message of their private chat, `members`, `users`, their private chat's `chats`
   * row, reminders, dead letters holding their updates; rewrites audit
   * targets naming them to `pseudonym`. Memories are left to the memory edge.
   */
  eraseRows(userId: number, pseudonym: string): Promise<ErasedRows>;
  /** Records a new erasure of `userId` (its id sealed) and returns it. */
  openErasure(userId: number, pseudonym: string): Promise<ErasureRecord>;
  erasure(id: number): Promise<ErasureRecord | undefined>;
  /** Erasures not yet finished (to resume after a crash). */
  unfinishedErasures(): Promise<ErasureRecord[]>;
  /** Records that steps up to `step` are done. */
  markStep(id: number, step: number): Promise<void>;
  /** Finishes the erasure: its subject is dropped, the pseudonym stays. */
  finishErasure(id: number): Promise<void>;
  /** Deletes at most `limit` messages sent before `beforeMs`; returns how many. */
  pruneMessages(beforeMs: number, limit: number): Promise<number>;
  /** Deletes at most `limit` bot replies sent before `beforeMs`, with their signals, and signals from before it; returns how many replies. */
  pruneReplies(beforeMs: number, limit: number): Promise<number>;
  /** Deletes at most `limit` audit rows from before `beforeMs`; returns how many. */
  pruneAudit(beforeMs: number, limit: number): Promise<number>;
}

/**
 * The chats' own state (profiles, analytics, recent history) as the privacy
 * engine reaches it: the wiring implements it on the chat actors, which are
 * activated from their snapshot when they are not in memory.
 */
export interface MemberChats {
  /** What the chat's state holds about the member (JSON); null when nothing. */
  exportFrom(chatId: number, userId: number): Promise<Record<string, unknown> | null>;
  /** Erases the member from the chat's state; resolves once the change is durable in every snapshot tier. */
  forget(chatId: number, userId: number): Promise<void>;
}

/** Long-term memories as the privacy engine erases them: store rows and index vectors together. */
export interface MemberMemoryEraser {
  /** The member's memories in every chat; returns how many. */
  forgetUser(userId: number): Promise<number>;
  /** Every memory of one chat, the bot's own included (the member's private chat); returns how many. */
  forgetChat(chatId: number): Promise<number>;
}
