import { z } from 'zod';

/*
 * The parts of a Bot API update the runtime relies on, checked at the door.
 * Objects are loose: fields we do not read pass through untouched for the
 * modules that will, and a new Bot API field never breaks ingress.
 */

const int = z.number().int();

export const telegramUserSchema = z.looseObject({
  id: int,
  is_bot: z.boolean(),
  first_name: z.string(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

export const telegramChatSchema = z.looseObject({
  id: int,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
  username: z.string().optional(),
});

const entitySchema = z.looseObject({ type: z.string(), offset: int.nonnegative(), length: int.nonnegative() });

const repliedMessageSchema = z.looseObject({
  message_id: int,
  from: telegramUserSchema.optional(),
  text: z.string().optional(),
});

export const telegramMessageSchema = z.looseObject({
  message_id: int,
  date: int,
  chat: telegramChatSchema,
  from: telegramUserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  caption_entities: z.array(entitySchema).optional(),
  reply_to_message: repliedMessageSchema.optional(),
  /** The part of the replied-to message the member chose to quote (Bot API 7.0). */
  quote: z.looseObject({ text: z.string() }).optional(),
});

const chatEventSchema = z.looseObject({ chat: telegramChatSchema });

const reactionTypeSchema = z.looseObject({ type: z.string(), emoji: z.string().optional() });

/** A member changed their reactions to a message (only sent to bots that are chat admins). */
export const telegramReactionSchema = z.looseObject({
  chat: telegramChatSchema,
  message_id: int,
  user: telegramUserSchema.optional(),
  date: int,
  old_reaction: z.array(reactionTypeSchema),
  new_reaction: z.array(reactionTypeSchema),
});

const optionalMessage = telegramMessageSchema.optional();
const optionalChatEvent = chatEventSchema.optional();

export const telegramUpdateSchema = z.looseObject({
  update_id: int.nonnegative(),
  message: optionalMessage,
  edited_message: optionalMessage,
  channel_post: optionalMessage,
  edited_channel_post: optionalMessage,
  business_message: optionalMessage,
  edited_business_message: optionalMessage,
  message_reaction: telegramReactionSchema.optional(),
  message_reaction_count: optionalChatEvent,
  my_chat_member: optionalChatEvent,
  chat_member: optionalChatEvent,
  chat_join_request: optionalChatEvent,
  chat_boost: optionalChatEvent,
  removed_chat_boost: optionalChatEvent,
  callback_query: z
    .looseObject({
      id: z.string(),
      from: telegramUserSchema,
      message: z.looseObject({ chat: telegramChatSchema }).optional(),
    })
    .optional(),
});

export type TelegramUser = z.infer<typeof telegramUserSchema>;
export type TelegramChat = z.infer<typeof telegramChatSchema>;
export type TelegramMessage = z.infer<typeof telegramMessageSchema>;
export type TelegramReaction = z.infer<typeof telegramReactionSchema>;
/** A validated update: what ingress hands to chat actors. Plain JSON data. */
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

/** Update fields that carry a chat, in the order they are looked for. */
const messageFields = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_message',
  'edited_business_message',
] as const;
const chatEventFields = [
  'message_reaction',
  'message_reaction_count',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

/** Where an update goes: a chat, or nowhere (with the update kind, for the counter). */
export type UpdateRoute = { chatId: number } | { ignoredKind: string };

/**
 * Chat-bearing updates go to their chat. Updates that carry no chat (inline
 * queries, polls, payments) have no conversation to join: they are ignored
 * and counted by kind; ingress does not ask Telegram for them anyway.
 */
export function routeOf(update: TelegramUpdate): UpdateRoute {
  for (const field of messageFields) {
    const message = update[field];
    if (message !== undefined) return { chatId: message.chat.id };
  }
  for (const field of chatEventFields) {
    const event = update[field];
    if (event !== undefined) return { chatId: event.chat.id };
  }
  const chat = update.callback_query?.message?.chat;
  if (chat !== undefined) return { chatId: chat.id };
  return { ignoredKind: Object.keys(update).find((k) => k !== 'update_id') ?? 'empty' };
}

/** The update kinds the runtime handles; asked for in getUpdates/setWebhook. */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'message_reaction',
  'my_chat_member',
  'chat_member',
  'callback_query',
] as const;
