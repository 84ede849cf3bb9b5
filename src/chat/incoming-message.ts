import type { ChatKind } from './chat-state.js';
import type { Sender } from './member-profiles.js';

/**
 * One message as the chat pipeline sees it: the parts of a Telegram message
 * that matter, independent of the Bot API library. The chat actor builds it
 * from the update.
 */
export interface IncomingMessage {
  /** Telegram's message_id; increases within a chat. */
  messageId: number;
  chatKind: ChatKind;
  from: Sender;
  /** Text or caption; '' for service messages. */
  text: string;
  /** The message this one replies to. */
  replyTo?: { messageId: number; fromId: number } | undefined;
  /** Users mentioned through text_mention entities (users without a username). */
  mentionedUserIds?: readonly number[] | undefined;
  /** Members who joined with this service message. */
  newMembers?: readonly Sender[] | undefined;
  /** Whether the sender is a chat admin, when known. `/mode` needs it. */
  senderIsAdmin?: boolean | undefined;
  /**
   * An admin replays it from the dead letters: it was never handled, though
   * the chat may have seen later messages since, so it is not a duplicate.
   */
  replayed?: true | undefined;
}
