import { z } from 'zod';
import { LekhaError } from '../runtime/index.js';

/** How talkative the bot is in a chat when nobody addresses it. */
export type ChatMode = 'silent' | 'normal' | 'active';

/** What happens to a message a filter flags. */
export type ViolationAction = 'ignore' | 'warn' | 'delete';

/**
 * What the bot does when it detects a raid or an account takeover, beyond
 * the alert every anomaly raises: keep quiet toward new members for a
 * while (`slow`), tell the chat's admins in the chat (`notify_admins`), or
 * restrict the raid's new members (`restrict`; the bot must be an admin
 * allowed to restrict members, else the action is refused and the alert
 * says so).
 */
export type AnomalyAction = 'alert' | 'slow' | 'notify_admins' | 'restrict';

const modeSchema = z.enum(['silent', 'normal', 'active']);

/** The language the bot answers in: `auto` follows the language it is spoken to. */
const languageSchema = z.enum(['auto', 'ru', 'uk', 'en']);

export type LanguageSetting = z.infer<typeof languageSchema>;

/** A persona's name; which names exist is the bot's configuration, checked where a change comes in. */
const personaNameSchema = z
  .string()
  .trim()
  .min(1, 'a persona name must not be empty')
  .max(40, 'a persona name is at most 40 characters');

/**
 * A chat's own adjustments of its persona (`/persona length short`): each
 * applies only where the persona's `tunable` allows it.
 */
export const personaTuningSchema = z
  .object({
    replyLength: z.enum(['short', 'medium', 'long'], { error: 'replyLength is one of short, medium, long' }).optional(),
    emoji: z.enum(['none', 'rare', 'free'], { error: 'emoji is one of none, rare, free' }).optional(),
    styleLines: z
      .array(
        z
          .string({ error: 'a style line must be text' })
          .trim()
          .min(3, 'a style line has at least 3 characters')
          .max(200, 'a style line is at most 200 characters')
          .regex(/^[^\n\r]*$/, 'a style line is one line'),
      )
      .max(5, 'at most 5 style lines')
      .optional(),
  })
  .strict();

export type PersonaTuning = z.infer<typeof personaTuningSchema>;

const bannedWordSchema = z
  .string()
  .trim()
  .min(2, 'a banned word needs at least 2 letters')
  .max(40, 'a banned word is at most 40 characters')
  .regex(/^[\p{L}\p{N}]+\*?$/u, 'a banned word is letters or digits, optionally ending with * (any ending)');

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(100)
  .regex(
    /^[\p{L}\p{N}.-]+\.[\p{L}]{2,}(\/[\w\-./+]*)?$/u,
    'an allowed link is a domain, optionally with a path (example.org or t.me/mychannel)',
  );

/**
 * Per-chat settings an admin can tune (through `/mode` and the admin API).
 * The schema is the single source of their limits and defaults.
 */
export const chatSettingsSchema = z.object({
  mode: modeSchema,
  /** Snapshots from before the setting read as `auto`, what every chat did then. */
  language: languageSchema.default('auto'),
  /**
   * The persona the bot is in this chat, by name; absent: the bot's default
   * persona (also in snapshots from before personas could be chosen).
   */
  persona: personaNameSchema.optional(),
  /** The chat's adjustments of its persona, within what the persona allows; absent: none. */
  personaTuning: personaTuningSchema.optional(),
  /** Per-member budget of bot interactions: bucket size and refill. */
  rateLimit: z.object({
    capacity: z.number().int().min(1).max(100),
    refillPerMinute: z.number().min(0.1).max(600),
  }),
  /** Messages allowed per window before a flood is flagged. */
  flood: z.object({
    windowMs: z.number().int().min(1000).max(600_000),
    userMax: z.number().int().min(2).max(1000),
    chatMax: z.number().int().min(5).max(10_000),
  }),
  /** The same text this many times within the window is spam. */
  repeat: z.object({
    windowMs: z.number().int().min(10_000).max(86_400_000),
    maxRepeats: z.number().int().min(2).max(50),
  }),
  links: z.object({
    /** Domains (and `domain/path` prefixes) that are never treated as spam. */
    allow: z.array(domainSchema).max(200),
    /** Flag invite links (t.me/+…, t.me/joinchat, discord.gg, …) not on the allow-list. */
    blockInvites: z.boolean(),
    /** A member with fewer messages than this who posts a link is flagged. */
    trustedAfterMessages: z.number().int().min(0).max(1000),
  }),
  bannedWords: z.array(bannedWordSchema).max(500),
  onViolation: z.enum(['ignore', 'warn', 'delete']),
  /** Whether the persona may say it is an AI model; when false, such replies are rewritten. */
  allowAiDisclosure: z.boolean(),
  /** Window of /summary when the asker has no earlier message to start from. */
  summaryHours: z.number().int().min(1).max(72),
  /** Offset of the chat's local time, for activity by hour and day. */
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  /** Raids and account takeovers: what to do beyond the alert, and for how long. */
  anomaly: z.object({
    action: z.enum(['alert', 'slow', 'notify_admins', 'restrict']),
    /** How long the raid's new members stay restricted, or the bot stays quiet toward new members. */
    minutes: z.number().int().min(1).max(10_080),
  }),
  /** Goes up with every change, so compiled filters know when to rebuild. */
  revision: z.number().int().min(0),
});

export type ChatSettings = z.infer<typeof chatSettingsSchema>;

export const DEFAULT_CHAT_SETTINGS: ChatSettings = Object.freeze({
  mode: 'normal',
  language: 'auto',
  rateLimit: { capacity: 5, refillPerMinute: 4 },
  flood: { windowMs: 10_000, userMax: 7, chatMax: 60 },
  repeat: { windowMs: 120_000, maxRepeats: 3 },
  links: {
    allow: ['youtube.com', 'youtu.be', 'github.com', 'wikipedia.org', 'habr.com', 'stackoverflow.com'],
    blockInvites: true,
    trustedAfterMessages: 10,
  },
  bannedWords: [],
  onViolation: 'warn',
  allowAiDisclosure: false,
  summaryHours: 3,
  utcOffsetMinutes: 180,
  anomaly: { action: 'alert', minutes: 60 },
  revision: 0,
}) as ChatSettings;

/** A change of settings, as an admin sends it: every field optional, nested objects partial. */
export const chatSettingsPatchSchema = chatSettingsSchema
  .omit({ revision: true })
  .extend({
    // Without the default: a change that leaves the language out keeps it.
    language: languageSchema,
    // null: back to the bot's default persona.
    persona: personaNameSchema.nullable(),
    // Replaces the whole tuning; null: none.
    personaTuning: personaTuningSchema.nullable(),
    rateLimit: chatSettingsSchema.shape.rateLimit.partial(),
    flood: chatSettingsSchema.shape.flood.partial(),
    repeat: chatSettingsSchema.shape.repeat.partial(),
    links: chatSettingsSchema.shape.links.partial(),
    anomaly: chatSettingsSchema.shape.anomaly.partial(),
  })
  .partial()
  .strict();

export type ChatSettingsPatch = z.infer<typeof chatSettingsPatchSchema>;

/** Settings sent by an admin do not validate; nothing was changed. */
export class ChatSettingsInvalidError extends LekhaError {
  declare readonly code: 'CHAT_SETTINGS_INVALID';

  constructor(readonly issues: string[]) {
    super('CHAT_SETTINGS_INVALID', `invalid chat settings: ${issues.join('; ')}`, { retryable: false });
  }
}

/**
 * Validates an admin's change and returns the new settings (with a bumped
 * revision). Throws {@link ChatSettingsInvalidError} naming every bad field;
 * the current settings are never partly changed.
 */
export function patchChatSettings(current: ChatSettings, patch: unknown): ChatSettings {
  const parsed = chatSettingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    throw new ChatSettingsInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const { persona, personaTuning, ...p } = parsed.data;
  const next: ChatSettings = {
    ...current,
    ...stripUndefined(p),
    ...(typeof persona === 'string' ? { persona } : {}),
    ...(personaTuning === null || personaTuning === undefined ? {} : { personaTuning }),
    rateLimit: { ...current.rateLimit, ...stripUndefined(p.rateLimit ?? {}) },
    flood: { ...current.flood, ...stripUndefined(p.flood ?? {}) },
    repeat: { ...current.repeat, ...stripUndefined(p.repeat ?? {}) },
    links: { ...current.links, ...stripUndefined(p.links ?? {}) },
    anomaly: { ...current.anomaly, ...stripUndefined(p.anomaly ?? {}) },
    revision: current.revision + 1,
  };
  if (persona === null) delete next.persona;
  if (personaTuning === null) delete next.personaTuning;
  if (p.bannedWords !== undefined) next.bannedWords = [...new Set(p.bannedWords.map((w) => w.toLowerCase()))];
  return next;
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };
}
