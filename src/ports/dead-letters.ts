/**
 * An update the runtime could not hand to its chat: the chat is quarantined
 * (its state cannot be loaded, or its turns kept failing). It is kept here,
 * durably, so its offset can be confirmed and every other chat goes on; an
 * admin replays it once the chat is healthy again, or discards it.
 */
export interface DeadLetter {
  readonly id: number;
  readonly chatId: number;
  readonly updateId: number;
  /** Why the chat refused it (the quarantine's reason, with its error code). */
  readonly reason: string;
  /** The Telegram update as it arrived (it holds personal data: never log it). */
  readonly update: unknown;
  readonly failedAtMs: number;
}

export type NewDeadLetter = Omit<DeadLetter, 'id'>;

/** Where dead letters are kept: storage's `dead_letters` table, or memory without storage. */
export interface DeadLetterStore {
  /**
   * Durable once it resolves. A second letter for the same chat and update
   * (it failed again after a replay) replaces the first.
   */
  add(letter: NewDeadLetter): Promise<void>;
  /** Oldest first, after the id `afterId`, optionally of one chat. */
  list(query: { chatId?: number; afterId?: number; limit: number }): Promise<DeadLetter[]>;
  get(id: number): Promise<DeadLetter | undefined>;
  /** False when there was no such letter. */
  remove(id: number): Promise<boolean>;
  count(): Promise<number>;
}

/** A dead letter as admins see it: where it was going and why it was kept, never the message itself. */
export interface DeadLetterSummary {
  id: number;
  chatId: number;
  updateId: number;
  /** The update's kind (`message`, `edited_message`, `message_reaction`, …). */
  kind: string;
  /** The Telegram message it carries, when it carries one. */
  messageId: number | null;
  reason: string;
  failedAt: string;
}

/** `pending`: handed over, but its turn had not finished within the wait (the letter is removed once it has). */
export type ReplayOutcome = 'replayed' | 'pending' | 'not-found';

/**
 * What admins do with dead letters. Replaying hands one to its chat again
 * (refused with `ACTOR_QUARANTINED` while the chat is quarantined);
 * discarding forgets it.
 */
export interface DeadLetterAdmin {
  list(query: {
    chatId?: number | undefined;
    afterId?: number | undefined;
    limit: number;
  }): Promise<DeadLetterSummary[]>;
  count(): Promise<number>;
  replay(id: number, waitMs: number): Promise<ReplayOutcome>;
  discard(id: number): Promise<boolean>;
}
