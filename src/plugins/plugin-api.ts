import type { z } from 'zod';
import type {
  ChatKind,
  ChatSettingsPatch,
  ChatView,
  HelpLine,
  Language,
  MemberJoinedEvent,
  MessageEvent,
  PluginEvent,
  ReactionEvent,
  ChatMemoryHit as RecalledMemory,
} from '../chat/index.js';
import type { AdminRole, PluginKind, PluginRouteMethod, PluginRouteRequest } from '../ports/index.js';
import { LekhaError, type Logger } from '../runtime/index.js';
import type { PluginHttpClient, PluginHttpOptions } from './plugin-http.js';

/** A plugin's settings schema: a zod object whose every field has a default (or is optional). */
export type SettingsSchema = z.ZodObject;

/** A text in each language the bot speaks; English is the fallback. */
export type Localized = string | { en: string; ru?: string; uk?: string };

/** What a handler may answer: a text to send, or nothing (it may have called `reply`). */
export type HandlerResult = string | void | undefined;

/** What every handler is handed: its plugin's scope for the chat it runs in. */
export interface ChatContext<S> {
  readonly plugin: string;
  readonly chatId: number;
  readonly chatKind: ChatKind;
  /** The language to answer in (the asker's, or the chat's usual one). */
  readonly language: Language;
  /** The plugin's settings in effect in this chat (global, with the chat's overrides). */
  readonly settings: S;
  /** A read-only view of the chat: members, reports, summary. */
  readonly chat: ChatView;
  /** Aborted when the call times out or the chat stops: pass it to every request you make. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Sends a text to the chat (after the handler returns; through the leak guard and egress). */
  reply(text: string): void;
  /** Memories of the chat near `text`, for answers that draw on what the chat said before. */
  recall(text: string, k?: number): Promise<RecalledMemory[]>;
  /** The plugin's own data in this chat, read through `schema` (see {@link ChatData}). */
  data<T>(schema: z.ZodType<T>): ChatData<T>;
}

/**
 * A plugin's own data in one chat (a game's scores, a feed list), kept in
 * the chat's state: snapshotted and restored with it, at most 64 KiB of
 * JSON. The schema reads what is stored; it must accept `undefined` (give it
 * a default), which is what a chat that never stored anything has, and a
 * stored value it refuses reads as that default too (with a warning logged).
 */
export interface ChatData<T> {
  /** What is stored now. */
  get(): Promise<T>;
  /**
   * Stores what `change` makes of what is stored now and resolves to it. The
   * change runs in the chat's turn, after every change asked before it, so
   * two calls never lose each other's changes: keep it pure and quick (no
   * I/O, no awaiting), and decide there what depends on the current value
   * (the first right answer wins). Rejects with `PLUGIN_DATA_REFUSED` for a
   * value that is not JSON or is too big, and with the change's own error;
   * nothing is stored then.
   */
  update(change: (current: T) => T): Promise<T>;
}

/** A command call: who asked, with what. */
export interface CommandContext<S> extends ChatContext<S> {
  readonly command: string;
  /** What followed the command, trimmed ('' when nothing did); for a tool call, what `tool.args` made of the model's arguments. */
  readonly args: string;
  /** `args` split at white space. */
  readonly argv: readonly string[];
  readonly messageId: number;
  readonly from: { readonly id: number; readonly name: string; readonly username?: string | undefined };
  /** The message the command replied to, if any. */
  readonly replyTo: { readonly messageId: number; readonly fromId?: number | undefined } | undefined;
  /** When the asker last wrote before this command (0 if never). */
  readonly previousSeenMs: number;
  /**
   * How it was asked for: a typed command, a tool call of the model (the
   * answer goes back to the model, not to the chat), or a phrase to the bot
   * the command's `phrase` matcher recognised (`args` is then the whole
   * message).
   */
  readonly via: 'command' | 'tool' | 'phrase';
  /** Whether the asker is an admin of the chat (asked of Telegram, cached a while). */
  isAdmin(): Promise<boolean>;
  /** Changes the chat's settings in its next turn, validated like an admin's change. Check `isAdmin()` first. */
  changeSettings(patch: ChatSettingsPatch): void;
  /**
   * Switches a plugin on or off in this chat (null: back to the default) in
   * its next turn. Check `isAdmin()` first. Throws for an unknown plugin and
   * for switching off one every chat needs (`help`, `plugins`).
   */
  choosePlugin(name: string, enabled: boolean | null): void;
  /**
   * Sets one of a plugin's settings for this chat (null: back to the bot's
   * value) in its next turn. `value` is the text a member typed, read as the
   * setting's type (`imperial`, `30`, `true`). Check `isAdmin()` first.
   * Throws `PLUGIN_REFUSED` for a setting the plugin does not let chats
   * change (see `chatSettings`) and `PLUGIN_SETTINGS_INVALID` for a value
   * its schema refuses.
   */
  setChatSetting(name: string, key: string, value: string | null): void;
  /** The plugins loaded, each with whether it is on in this chat and its commands, in the asker's language. */
  plugins(): PluginSummary[];
  /**
   * Forgets what feedback taught the chat about style (every rule weighs 1
   * again) in its next turn. Check `isAdmin()` first.
   */
  resetStyle(): void;
  /**
   * Records the asker's rating of one of the bot's replies (see
   * `chat.isBotReply`) in the chat's next turn, as a `rate` signal on it.
   * Throws `PLUGIN_REFUSED` in a tool call.
   */
  rateReply(messageId: number, value: 1 | -1): void;
}

/** A plugin as a command sees the list of them. */
export interface PluginSummary {
  name: string;
  description: string;
  enabled: boolean;
  commands: HelpLine[];
  /** The settings a chat may change, with their values in this chat. */
  chatSettings: Record<string, unknown>;
}

export type CommandHandler<S> = (ctx: CommandContext<S>) => HandlerResult | Promise<HandlerResult>;

export interface ToolOptions<P extends z.ZodObject = z.ZodObject> {
  /** What the tool does, for the model (English works best). */
  description: string;
  /** Its arguments; turned into a JSON Schema for the model and checked on every call. */
  parameters: P;
  /** The command's argument text for a call (`{ place: "Питер" }` → `"Питер"`). */
  args(parameters: z.output<P>): string;
}

export interface CommandOptions<P extends z.ZodObject = z.ZodObject> {
  description: Localized;
  /** How its arguments are written, for /help (`<place>`); omit when it takes none. */
  args?: Localized;
  /** Only the chat's admins may run it (checked before the handler). */
  adminOnly?: boolean;
  /** Lets the model call it as a tool. */
  tool?: ToolOptions<P>;
  /**
   * Recognises a message to the bot in words that means this command
   * ("Лёха, напомни через 10 минут…"). Runs inside the chat's turn for every
   * message addressed to the bot: it must be pure and fast (a regular
   * expression or a parser, no I/O). The handler then gets the whole message
   * as `args` and `via: 'phrase'`.
   */
  phrase?: (text: string) => boolean;
}

/** Events a listener may follow. */
export type ListenerEvent = 'message' | 'member_joined' | 'reaction';

export type { MemberJoinedEvent, MessageEvent, PluginEvent, ReactionEvent, RecalledMemory };

export type EventOf<E extends ListenerEvent> = Extract<PluginEvent, { type: E }>;

export interface ListenerContext<S, E extends ListenerEvent = ListenerEvent> extends ChatContext<S> {
  readonly event: EventOf<E>;
}

export type Listener<S, E extends ListenerEvent = ListenerEvent> = (
  ctx: ListenerContext<S, E>,
) => HandlerResult | Promise<HandlerResult>;

/** What a recurring job is handed. */
export interface JobContext<S> {
  readonly plugin: string;
  readonly job: string;
  /** The plugin's global settings. */
  readonly settings: S;
  /** When this run was due. */
  readonly scheduledAtMs: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** The chats where the plugin is on. */
  chats(): Promise<number[]>;
  /** Sends a text to a chat where the plugin is on (through the leak guard and egress); false when it is off there. */
  post(chatId: number, text: string): Promise<boolean>;
  /** A chat as it is now (a read-only copy), the plugin's settings in effect there and its data there. */
  chat(chatId: number): Promise<{ view: ChatView; settings: S; data<T>(schema: z.ZodType<T>): ChatData<T> }>;
}

export type JobHandler<S> = (ctx: JobContext<S>) => void | Promise<void>;

export interface JobOptions {
  /** The job's name, unique in the plugin (default: `default`). */
  name?: string;
  /** What happens to runs missed while the bot was down (default `run-once`). */
  missedRuns?: 'run-once' | 'skip';
  /** For `cron`: the IANA time zone of the pattern (default UTC). */
  timeZone?: string;
}

export interface RouteOptions {
  method: PluginRouteMethod;
  /** Under `/api/plugins/<name>`, starting with `/`. */
  url: string;
  /** The least role that may call it (default `operator`; GET routes may say `viewer`). */
  role?: AdminRole;
  handler(request: PluginRouteRequest): Promise<unknown>;
}

/** What `setup` is given to register what the plugin does. */
export interface PluginSetup<S> {
  readonly name: string;
  /** The plugin's global settings (defaults, config file, environment, operators' changes). */
  readonly settings: S;
  readonly log: Logger;
  command<P extends z.ZodObject = z.ZodObject>(
    name: string,
    handler: CommandHandler<S>,
    options: CommandOptions<P>,
  ): void;
  on<E extends ListenerEvent>(event: E, listener: Listener<S, E>): void;
  /** Runs `job` every `interval` (`30s`, `10m`, `1h`, `1d`). */
  every(interval: string, job: JobHandler<S>, options?: JobOptions): void;
  /** Runs `job` on a cron pattern (`0 9 * * *`). */
  cron(pattern: string, job: JobHandler<S>, options?: JobOptions): void;
  route(route: RouteOptions): void;
  /** An HTTP client for an upstream API: base URL, timeout, retries and a response cache. */
  http(options: PluginHttpOptions): PluginHttpClient;
}

/** A plugin as `definePlugin` declares it. */
export interface PluginDefinition<Schema extends SettingsSchema = SettingsSchema> {
  /** Lower case letters, digits and dashes, starting with a letter (`weather`, `rss-feed`). */
  name: string;
  /** Semantic version (`1.2.0`). */
  version: string;
  description: Localized;
  kind: PluginKind;
  /** Plugins it needs, by name, with a semver range each (`{ weather: '^1.0.0' }`). */
  requires?: Record<string, string>;
  settings?: Schema;
  /**
   * Environment variables for settings, by setting name (`{ baseUrl: 'WEATHER_BASE_URL' }`);
   * every setting is also read from `PLUGIN_<NAME>_<SETTING>` (`PLUGIN_WEATHER_BASE_URL`).
   */
  env?: Partial<Record<keyof z.output<Schema> & string, string>>;
  /** Whether chats that never chose have it on (default true). */
  enabledByDefault?: boolean;
  /**
   * The settings a chat's admins may change from Telegram (`/plugin set
   * weather units imperial`); none by default. Never credentials, addresses
   * or limits: anything a chat sets, it sets for itself only, but an address
   * would let a chat point the bot's keys at a server of its choosing.
   */
  chatSettings?: ReadonlyArray<keyof z.output<Schema> & string>;
  /** A reason the plugin cannot run with these settings (a missing key), or null. */
  unavailable?(settings: z.output<Schema>): string | null;
  setup(p: PluginSetup<z.output<Schema>>): void | Promise<void>;
}

/** A plugin ready to register: its definition, frozen, with its settings schema filled in. */
export interface Plugin<Schema extends SettingsSchema = SettingsSchema> extends Readonly<PluginDefinition<Schema>> {
  readonly settings: Schema;
}

/**
 * Thrown by a handler that cannot do what was asked (its upstream is down,
 * answered 429 or nonsense): the call counts as failed — against the
 * plugin's breaker — and `answer`, a short text in the asker's language, is
 * what the chat (or, for a tool call, the model) gets instead of the generic
 * "doesn't work right now". The cause is logged by its code and class only.
 */
export class PluginFailure extends LekhaError {
  declare readonly code: 'PLUGIN_FAILED';

  /** Whether it counts against the plugin's breaker (not when the bot's own rate limit held the request back). */
  readonly upstreamFault: boolean;

  constructor(
    readonly answer: string,
    options?: { cause?: unknown; upstreamFault?: boolean },
  ) {
    super('PLUGIN_FAILED', 'the plugin could not answer', {
      retryable: true,
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.upstreamFault = options?.upstreamFault ?? true;
  }
}
