export type { BotIdentity } from './bot-identity.js';
export type { ChatEgress, SentReply } from './chat-egress.js';
export { DeadLetterOffice, type DeadLetterOfficeOptions } from './dead-letter-office.js';
export { type Durability, immediateDurability } from './durability.js';
export {
  EgressClosedError,
  EgressOverflowError,
  TelegramApiError,
  type TelegramFailure,
  TelegramSendFailedError,
} from './errors.js';
export { telegramApi } from './telegram-api.js';
export { LongPolling, type LongPollingOptions, type PollingApi } from './long-polling.js';
export { OffsetTracker } from './offset-tracker.js';
export { SlidingWindow } from './sliding-window.js';
export { splitMessage, TELEGRAM_MAX_MESSAGE_LENGTH } from './split-message.js';
export { type TelegramEdgeOptions, TelegramEdge, type TelegramStatus } from './telegram-edge.js';
export {
  type OutgoingDocument,
  type SenderApi,
  type SenderStats,
  type SendLimits,
  TELEGRAM_LIMITS,
  TelegramSender,
  type TelegramSenderOptions,
} from './telegram-sender.js';
export type { UpdateAcks } from './update-acks.js';
export {
  type DeliverUpdate,
  type DispatchOutcome,
  ReplayInProgressError,
  UpdateRouter,
  type UpdateRouterOptions,
} from './update-router.js';
export {
  ALLOWED_UPDATES,
  routeOf,
  type TelegramChat,
  type TelegramMessage,
  type TelegramReaction,
  telegramMessageSchema,
  type TelegramUpdate,
  telegramUpdateSchema,
  type TelegramUser,
  type UpdateRoute,
} from './update-schema.js';
export { registerTelegramWebhook, type TelegramWebhookOptions } from './webhook-route.js';
export { TelegramChatAdmins } from './telegram-chat-admins.js';
export { TelegramChatModeration } from './telegram-chat-moderation.js';
