import type { ChatLanguage } from './chat-language.js';
import { LekhaError } from '../runtime/index.js';
import type { ToolCall, ToolCaller, ToolSpec } from '../ports/index.js';
import type { ChatReport } from './chat-report.js';
import {
  type ChatMode,
  type ChatSettings,
  ChatSettingsInvalidError,
  type ChatSettingsPatch,
  patchChatSettings,
} from './chat-settings.js';
import type { ChatKind, ChatState, Language } from './chat-state.js';
import type { ChatSummary } from './chat-summary.js';
import { resetStyleWeights, type StyleOverview } from './style-feedback.js';
import type { UserAnalytics } from './user-analytics.js';

/**
 * A chat's choice about one plugin, kept in the chat's state: its switch
 * (absent: the plugin's default) and its overrides of the plugin's settings.
 */
export interface PluginChoice {
  enabled?: boolean | undefined;
  settings?: Record<string, unknown> | undefined;
}

/** The chat's plugin choices, by plugin name. */
export type PluginChoices = Record<string, PluginChoice>;

/** Where a command goes in a chat: the plugin that has it, and whether that plugin is on there. */
export interface CommandRoute {
  plugin: string;
  command: string;
  enabled: boolean;
  /** The plugin cannot run on this bot until its operator configures it (a missing key). */
  unavailable?: boolean;
}

/** Which plugin has which command; the chat pipeline asks it for every command it parses. */
export interface CommandTable {
  /** Null when no plugin has the command. */
  route(command: string, choices: PluginChoices | undefined): CommandRoute | null;
  /** The command of a plugin on in the chat whose phrase matcher recognises this message to the bot, if any. */
  matchPhrase(text: string, choices: PluginChoices | undefined): CommandRoute | null;
}

/** A member as a plugin sees them. */
export interface ChatMemberView {
  id: number;
  name: string;
  username: string;
  messages: number;
  lastSeenMs: number;
}

/**
 * What a plugin may read of a chat: the live state seen through the same
 * reports the admin API shows. Read-only: a plugin changes a chat only
 * through what its call returns (see {@link PluginEffects}).
 */
export interface ChatView {
  readonly chatId: number;
  readonly kind: ChatKind;
  settings(): Readonly<ChatSettings>;
  /** The language to speak to the whole chat in: its setting, else the one most of its messages are in. */
  language(): ChatLanguage;
  /** The name of the persona the bot is in this chat. */
  persona(): string;
  members(): ChatMemberView[];
  /** What feedback has done to the chat's style: lowered and muted rule keys, lowest first. */
  style(): StyleOverview;
  /** A member by @username (without the @, any case), or undefined. */
  memberByUsername(username: string): ChatMemberView | undefined;
  report(): ChatReport;
  /** A member's analytics, or null for someone the chat has not seen. */
  userStats(userId: number): UserAnalytics | null;
  /** Whether `messageId` is one of the bot's recent model replies (the ones members' signals and `/rate` are about). */
  isBotReply(messageId: number): boolean;
  /**
   * What happened since `previousSeenMs` (or in the last `hours`), for the
   * asker, leaving out the message `beforeMessageId` and what followed.
   */
  summary(query: {
    askerId: number;
    previousSeenMs: number;
    hours: number | null;
    beforeMessageId: number;
  }): ChatSummary;
}

/** A command for a plugin, decided in a turn and run after it. */
export interface CommandCall {
  plugin: string;
  command: string;
  /** What followed the command, trimmed; '' when nothing did. */
  args: string;
  messageId: number;
  from: { id: number; name: string; username?: string | undefined; languageCode?: string | undefined };
  replyTo?: { messageId: number; fromId?: number | undefined } | undefined;
  chatKind: ChatKind;
  language: Language;
  /** When the sender last wrote before this message (0 if never). */
  previousSeenMs: number;
  /** Whether Telegram said the sender is a chat admin, when the update told. */
  senderIsAdmin?: boolean | undefined;
  /** A phrase to the bot that a command's matcher recognised (absent: a typed command). */
  via?: 'phrase' | undefined;
}

/** What a plugin call asks of the chat: texts to send and changes to make in the chat's next turn. */
export interface PluginEffects {
  texts: string[];
  /** A change of the chat's settings, validated like an admin's. */
  settings?: ChatSettingsPatch;
  /** Changes of the chat's plugin choices; null forgets the chat's choice. */
  choices?: Record<string, PluginChoice | null>;
  /** Forget what feedback taught the chat about style (`/style reset`). */
  resetStyle?: true;
  /** Members' explicit ratings (`/rate`) of the bot's replies, recorded as `rate` signals. */
  ratings?: Array<{ messageId: number; value: 1 | -1 }>;
}

/** What applying a plugin call's effects changed. */
export interface AppliedEffects {
  /** The mode before, when the settings changed (null: they did not). */
  settingsChangedFrom: ChatMode | null;
  /** Settings the plugin asked for that do not validate (nothing of them was applied). */
  settingsRefused: ChatSettingsInvalidError | null;
  choicesChanged: boolean;
  /** Style weights were forgotten (there were some). */
  styleReset: boolean;
}

/**
 * Applies what a plugin call asked of the chat — a settings change,
 * validated like an admin's, and plugin switches — in the chat's turn. Its
 * texts are the caller's to send.
 */
export function applyPluginEffects(state: ChatState, effects: PluginEffects): AppliedEffects {
  const applied: AppliedEffects = {
    settingsChangedFrom: null,
    settingsRefused: null,
    choicesChanged: false,
    styleReset: false,
  };
  if (effects.settings !== undefined) {
    const before = state.settings.mode;
    try {
      state.settings = patchChatSettings(state.settings, effects.settings);
      state.revision++;
      applied.settingsChangedFrom = before;
    } catch (err) {
      if (!(err instanceof ChatSettingsInvalidError)) throw err;
      applied.settingsRefused = err;
    }
  }
  if (effects.choices !== undefined) applied.choicesChanged = applyPluginChoices(state, effects.choices);
  if (effects.resetStyle === true) applied.styleReset = resetStyleWeights(state);
  return applied;
}

/** Applies plugin choice changes to a chat's state; true when anything changed. */
export function applyPluginChoices(state: ChatState, changes: Record<string, PluginChoice | null>): boolean {
  let changed = false;
  for (const [name, choice] of Object.entries(changes)) {
    const current = state.plugins?.[name];
    if (choice === null) {
      if (current === undefined) continue;
      const { [name]: _removed, ...rest } = state.plugins!;
      state.plugins = rest;
    } else {
      state.plugins = { ...state.plugins, [name]: { ...current, ...choice } };
    }
    changed = true;
  }
  if (changed) state.revision++;
  return changed;
}

/** A long-term memory of the chat near a text, as a plugin sees it. */
export interface ChatMemoryHit {
  text: string;
  kind: string;
  fromId: number;
  ms: number;
  similarity: number;
}

/** What the chat actor lends a plugin call: the chat's view and the asks only it can make. */
export interface ChatAccess {
  readonly view: ChatView;
  /** Whether a member is an admin of the chat (Telegram's word, cached a while). */
  isAdmin(userId: number): Promise<boolean>;
  recall(text: string, k: number): Promise<ChatMemoryHit[]>;
  /** A plugin's own data in this chat: read as a copy, changed in the chat's turn. */
  pluginData(plugin: string): PluginDataAccess;
}

/** A plugin's data in one chat as a call reaches it. */
export interface PluginDataAccess {
  /** What is stored now (a copy), undefined when nothing is. */
  read(): Promise<unknown>;
  /**
   * Stores what `change` makes of what is stored, in the chat's turn (so
   * concurrent changes never lose each other); resolves to what was stored.
   * Rejects with the change's error, or for a value too big or not JSON.
   */
  update(change: (current: unknown) => unknown): Promise<unknown>;
}

/** The most JSON one plugin may keep in one chat: it travels in every snapshot of the chat. */
export const PLUGIN_DATA_MAX_BYTES = 64 * 1024;

/**
 * Applies a change of a plugin's data to a chat's state and returns a copy
 * of what is stored. The change sees a copy, so one that throws leaves the
 * state as it was; so does a result that is not plain JSON or is bigger than
 * {@link PLUGIN_DATA_MAX_BYTES} (thrown as {@link PluginDataRefusedError}).
 * `undefined` forgets the plugin's data.
 */
export function changePluginData(state: ChatState, plugin: string, change: (current: unknown) => unknown): unknown {
  const current = state.pluginData?.[plugin];
  const next = change(current === undefined ? undefined : structuredClone(current));
  if (next === undefined) {
    if (current !== undefined) {
      const { [plugin]: _removed, ...rest } = state.pluginData!;
      state.pluginData = rest;
      state.revision++;
    }
    return undefined;
  }
  let json: string;
  try {
    json = JSON.stringify(next);
  } catch {
    throw new PluginDataRefusedError(plugin, 'its data is not plain JSON');
  }
  if (json === undefined) throw new PluginDataRefusedError(plugin, 'its data is not plain JSON');
  if (Buffer.byteLength(json) > PLUGIN_DATA_MAX_BYTES)
    throw new PluginDataRefusedError(
      plugin,
      `its data in a chat may not exceed ${PLUGIN_DATA_MAX_BYTES} bytes of JSON`,
    );
  // Stored as JSON reads it back: no class instances, undefined fields or Dates reach the snapshot.
  state.pluginData = { ...state.pluginData, [plugin]: JSON.parse(json) as unknown };
  state.revision++;
  return JSON.parse(json) as unknown;
}

/** A plugin's data change was refused: not JSON, or too big. */
export class PluginDataRefusedError extends LekhaError {
  declare readonly code: 'PLUGIN_DATA_REFUSED';

  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super('PLUGIN_DATA_REFUSED', `plugin ${plugin}: ${reason}`, { retryable: false });
  }
}

export interface MessageEvent {
  readonly type: 'message';
  readonly messageId: number;
  readonly fromId: number;
  /** With personal data (phones, e-mails, cards…) replaced by placeholders. */
  readonly text: string;
}

export interface MemberJoinedEvent {
  readonly type: 'member_joined';
  readonly messageId: number;
  readonly userIds: readonly number[];
}

export interface ReactionEvent {
  readonly type: 'reaction';
  readonly messageId: number;
  readonly userId: number | undefined;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** What plugin listeners may follow in a chat. */
export type PluginEvent = MessageEvent | MemberJoinedEvent | ReactionEvent;

/**
 * The plugins as a chat actor uses them. Every call is a side effect run
 * after the turn that decided it; none rejects: a plugin that throws, times
 * out or is held by its breaker comes back as a short in-persona line.
 */
export interface ChatPlugins extends CommandTable {
  runCommand(
    chatId: number,
    call: CommandCall,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    signal: AbortSignal,
  ): Promise<PluginEffects>;
  /** The commands the model may call as tools in a chat with these choices. */
  toolsIn(choices: PluginChoices | undefined): ToolSpec[];
  /** Runs a tool call for the model; resolves to the text it gets back, never rejects. */
  runTool(
    caller: ToolCaller,
    call: ToolCall,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    signal: AbortSignal,
  ): Promise<string>;
  /** Whether a plugin is on in a chat with these choices. */
  isOn(plugin: string, choices: PluginChoices | undefined): boolean;
  /** Whether any plugin listens to events of this type (so the actor skips the call when none does). */
  listensTo(type: PluginEvent['type']): boolean;
  /** Hands an event to the listeners of the plugins on in the chat. */
  notify(
    chatId: number,
    event: PluginEvent,
    language: Language,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    signal: AbortSignal,
  ): Promise<PluginEffects>;
}
