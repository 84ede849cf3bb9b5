import type { PersonaOverrides, ReplySignalKind } from './experiments.js';

/** Which bot replies a fine-tune export reads: those sent in [`sinceMs`, `untilMs`). */
export interface FinetuneQuery {
  sinceMs: number;
  untilMs: number;
  /** How many messages of the chat before each reply's trigger come with it. */
  historySize: number;
}

/** One message of a chat as a training example shows it, decrypted. */
export interface FinetuneTurn {
  /** A member's message (by user id), or an earlier reply of the bot (`null`). */
  userId: number | null;
  messageId: number;
  text: string;
}

/** A member of the chat with the names they are known by (first, last, full, @username), decrypted. */
export interface FinetuneMember {
  userId: number;
  names: string[];
}

/** One bot reply with what it needs to become a training example: its signals, its trigger and the history before it. */
export interface FinetuneReply {
  chatId: number;
  messageId: number;
  /** Unix milliseconds. */
  sentAtMs: number;
  /** `name@version` of the persona that built the prompt. */
  persona: string;
  template: string;
  experimentId: number | null;
  variant: string | null;
  /** The variant's persona overrides, when the reply belongs to an experiment that has that variant. */
  overrides: PersonaOverrides | undefined;
  /** How long after the reply its signals count: the experiment's window, else the default. */
  scoreWindowMs: number;
  /** The reply as sent (already PII-redacted when it was recorded). */
  text: string;
  /** Every signal recorded on the reply, in time order; the domain keeps those within the window. */
  signals: { kind: ReplySignalKind; value: number; atMs: number }[];
  /** The member message it answered; `null` when it no longer exists (erased, or past retention). */
  trigger: FinetuneTurn | null;
  /** Up to `historySize` messages of the chat before the trigger, oldest first. */
  history: FinetuneTurn[];
  /** The chat's members and their known names, for pseudonymising names inside texts. */
  members: readonly FinetuneMember[];
}

/**
 * Bot replies with their context for a fine-tune export, streamed in send
 * order so an export of any size holds one page at a time.
 */
export interface FinetuneSource {
  replies(query: FinetuneQuery): AsyncIterable<FinetuneReply>;
}
