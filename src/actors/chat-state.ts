import { z } from 'zod';

/** One message of the chat's recent history. Users are identified by id; the name is only a label. */
export interface HistoryEntry {
  messageId: number;
  userId: number;
  name: string;
  text: string;
  /** Unix seconds, as Telegram gives it. */
  date: number;
  fromBot: boolean;
}

/** The message a reply answers. */
export interface ReplyTrigger {
  updateId: number;
  messageId: number;
  userId: number;
}

/**
 * The reply being worked on. `thinking`: the model is asked (safe to ask
 * again after a crash). `sending`: recorded durably before the send starts;
 * after a crash nobody knows whether Telegram got it, so it is not sent again
 * (a duplicate would be worse than a missing reply) and is counted.
 */
export interface PendingReply extends ReplyTrigger {
  phase: 'thinking' | 'sending';
  text: string | null;
}

/** Everything a chat actor persists: plain data, msgpack-friendly. */
export interface ChatState {
  version: 1;
  /**
   * The newest update this chat has processed. Telegram ids only grow, and
   * one chat's updates are processed in order, so an update at or below it is
   * a redelivery (after a crash, before its offset was confirmed).
   */
  lastUpdateId: number;
  history: HistoryEntry[];
  pending: PendingReply | null;
  /** A trigger that came while a reply was pending: answered next (later ones replace it). */
  next: ReplyTrigger | null;
  /** Messages recorded into this chat's state, each exactly once. */
  processedMessages: number;
  repliesSent: number;
  /** Replies given up after a crash because they may or may not have been sent. */
  repliesInDoubt: number;
}

export function emptyChatState(): ChatState {
  return { version: 1, lastUpdateId: -1, history: [], pending: null, next: null, processedMessages: 0, repliesSent: 0, repliesInDoubt: 0 };
}

/** The schema version of {@link ChatState} snapshots written by this build. */
export const CHAT_STATE_VERSION = 1;

const triggerSchema = z.object({ updateId: z.number(), messageId: z.number(), userId: z.number() });
const chatStateSchema = z.object({
  version: z.literal(1),
  lastUpdateId: z.number(),
  history: z.array(
    z.object({
      messageId: z.number(),
      userId: z.number(),
      name: z.string(),
      text: z.string(),
      date: z.number(),
      fromBot: z.boolean(),
    }),
  ),
  pending: triggerSchema.extend({ phase: z.enum(['thinking', 'sending']), text: z.string().nullable() }).nullable(),
  next: triggerSchema.nullable(),
  processedMessages: z.number(),
  repliesSent: z.number(),
  repliesInDoubt: z.number(),
});

/**
 * Checks a decoded snapshot against the state's shape. A snapshot that fails
 * is corrupt: the storage layer reports it and the chat is quarantined, never
 * reset.
 */
export function parseChatState(value: unknown): ChatState {
  return chatStateSchema.parse(value);
}
