import { z } from 'zod';
import { type IncomingMessage, redactName, redactUsername } from '../chat/index.js';
import type { TelegramMessage, TelegramUser } from '../telegram/index.js';

/*
 * Message fields ingress passes through unchecked (its schema is loose) and
 * the pipeline reads: checked here, and a field that does not fit is treated
 * as absent rather than failing the message.
 */
const extras = z.object({
  sender_chat: z.object({ id: z.number() }).optional().catch(undefined),
  new_chat_members: z
    .array(
      z.object({
        id: z.number(),
        is_bot: z.boolean(),
        first_name: z.string(),
        username: z.string().optional(),
        language_code: z.string().optional(),
      }),
    )
    .optional()
    .catch(undefined),
});
const textMention = z.object({ type: z.literal('text_mention'), user: z.object({ id: z.number() }) });

/** Telegram's stand-in sender for messages an admin posts anonymously "as the group". */
export const GROUP_ANONYMOUS_BOT_ID = 1087968824;

/**
 * The pipeline's view of a Telegram message. Admin status is known only for
 * a message an admin sent anonymously as the group (`sender_chat` is the
 * chat itself, which only admins can do); for anyone else it is left
 * unknown, and `/mode` asks Telegram.
 */
export function toIncomingMessage(message: TelegramMessage, botId: number): IncomingMessage {
  const from = message.from!;
  const extra = extras.safeParse(message);
  const { sender_chat: senderChat, new_chat_members: joined } = extra.success ? extra.data : {};
  const repliedFrom = message.reply_to_message?.from;
  const mentioned = [...(message.entities ?? []), ...(message.caption_entities ?? [])].flatMap((e) => {
    const parsed = textMention.safeParse(e);
    return parsed.success ? [parsed.data.user.id] : [];
  });
  const anonymousAdmin = from.id === GROUP_ANONYMOUS_BOT_ID && senderChat?.id === message.chat.id;
  return {
    messageId: message.message_id,
    chatKind: message.chat.type === 'channel' ? 'supergroup' : message.chat.type,
    // Telegram marks the anonymous-admin stand-in as a bot; its commands are an admin's.
    from: anonymousAdmin ? { ...sender(from), isBot: false } : sender(from),
    text: message.text ?? message.caption ?? '',
    replyTo:
      message.reply_to_message === undefined
        ? undefined
        : { messageId: message.reply_to_message.message_id, fromId: repliedFrom?.id ?? 0 },
    mentionedUserIds: mentioned.length > 0 ? mentioned : undefined,
    newMembers: joined?.filter((u) => u.id !== botId).map(sender),
    senderIsAdmin: anonymousAdmin ? true : undefined,
  };
}

/** Names come in redacted: a phone or e-mail in a display name never reaches the profile, the prompt or the archive. */
function sender(
  user: Pick<TelegramUser, 'id' | 'is_bot' | 'first_name' | 'username' | 'language_code'>,
): IncomingMessage['from'] {
  return {
    id: user.id,
    name: redactName(user.first_name),
    username: user.username === undefined ? undefined : redactUsername(user.username),
    isBot: user.is_bot,
    languageCode: user.language_code,
  };
}
