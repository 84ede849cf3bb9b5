import { type Static, Type } from 'typebox';
import type {
  ChatMode as PortChatMode,
  ChatSummary as PortChatSummary,
  ChatType as PortChatType,
} from '../../ports/index.js';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';
import type { PortType } from './port-type.js';
import { Text } from './text.js';

/** How talkative the bot is in a chat: `silent` only answers when addressed. */
export const ChatMode = Type.Enum(['silent', 'normal', 'active'], {
  description: 'silent: only when addressed; normal: sometimes joins in; active: joins in often',
});
export type ChatMode = PortType<PortChatMode, typeof ChatMode>;

export const ChatType = Type.Enum(['private', 'group', 'supergroup', 'channel']);
export type ChatType = PortType<PortChatType, typeof ChatType>;

/** A chat as listed in the chats table. */
export const ChatSummary = Type.Object({
  id: Type.Integer({ description: 'Telegram chat id (negative for groups)' }),
  title: Type.String(),
  type: ChatType,
  mode: ChatMode,
  members: Type.Integer({ minimum: 0 }),
  messagesToday: Type.Integer({ minimum: 0, description: 'messages since 00:00 UTC' }),
  lastActivityAt: Nullable(DateTime),
});
export type ChatSummary = PortType<PortChatSummary, typeof ChatSummary>;

const word = Text({ minLength: 1, maxLength: 64 });
const domain = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$',
  description: 'host name, optionally with a leading *. for subdomains',
});
const personaName = Type.String({
  minLength: 1,
  maxLength: 40,
  description: "a persona's name (GET /api/personas); null: the bot's default persona",
});
const personaTuning = Type.Object(
  {
    replyLength: Type.Optional(Type.Enum(['short', 'medium', 'long'])),
    emoji: Type.Optional(Type.Enum(['none', 'rare', 'free'])),
    styleLines: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 200, pattern: '^[^\\n\\r]*$' }), { maxItems: 5 }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "the chat's adjustments of its persona, each applied only where the persona's `tunable` allows it (GET /api/personas); null: none",
  },
);
const settingsFields = {
  language: Type.Enum(['auto', 'ru', 'uk', 'en'], {
    description: 'reply language; auto answers in the language spoken to the bot',
  }),
  rateLimitPerUserPerMin: Type.Integer({
    minimum: 0,
    maximum: 600,
    description: 'bot interactions per user per minute; 0 = no limit',
  }),
  bannedWords: Type.Array(word, { maxItems: 500, uniqueItems: true }),
  onViolation: Type.Enum(['ignore', 'warn', 'delete'], {
    description:
      'what happens to a message a filter flags: ignore (counted only), warn (the member is told why, at most every 10 minutes), delete (deleted, and warned; the bot must be an admin allowed to delete messages)',
  }),
  allowedLinkDomains: Type.Array(domain, { maxItems: 200, uniqueItems: true }),
  filters: Type.Object(
    { flood: Type.Boolean(), links: Type.Boolean(), pii: Type.Boolean() },
    { additionalProperties: false },
  ),
  anomaly: Type.Object(
    {
      action: Type.Enum(['alert', 'slow', 'notify_admins', 'restrict'], {
        description:
          'on a raid or account takeover, beyond the alert: alert only; slow (the bot keeps quiet toward new members); notify_admins (a notice in the chat); restrict (mutes the raid’s new members; needs the bot to be an admin with can_restrict_members)',
      }),
      minutes: Type.Integer({
        minimum: 1,
        maximum: 10_080,
        description: 'how long new members stay restricted, or the bot stays quiet toward them',
      }),
    },
    { additionalProperties: false },
  ),
};

/** A chat's bot settings as its actor holds them. */
export const ChatSettings = Type.Object({
  mode: ChatMode,
  persona: Nullable(personaName),
  personaTuning: Nullable(personaTuning),
  ...settingsFields,
});
export type ChatSettings = Static<typeof ChatSettings>;

/** A partial change to a chat's settings; the mode has its own route. */
export const ChatSettingsPatch = Type.Object(
  {
    language: Type.Optional(settingsFields.language),
    persona: Type.Optional(Nullable(personaName)),
    personaTuning: Type.Optional(Nullable(personaTuning)),
    rateLimitPerUserPerMin: Type.Optional(settingsFields.rateLimitPerUserPerMin),
    bannedWords: Type.Optional(settingsFields.bannedWords),
    onViolation: Type.Optional(settingsFields.onViolation),
    allowedLinkDomains: Type.Optional(settingsFields.allowedLinkDomains),
    filters: Type.Optional(
      Type.Object(
        {
          flood: Type.Optional(Type.Boolean()),
          links: Type.Optional(Type.Boolean()),
          pii: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
    anomaly: Type.Optional(
      Type.Object(
        {
          action: Type.Optional(settingsFields.anomaly.properties.action),
          minutes: Type.Optional(settingsFields.anomaly.properties.minutes),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ChatSettingsPatch = Static<typeof ChatSettingsPatch>;
