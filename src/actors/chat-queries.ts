import {
  allUserAnalytics,
  applyPluginChoices,
  changePluginData,
  type ChatSettings,
  type ChatView,
  type DerivedCache,
  forgetMember,
  memberChatData,
  patchChatSettings,
  type Persona,
  tuningRefusals,
  tuningRefusalText,
  ChatSettingsInvalidError,
  resetStyleWeights,
  styleOverview,
} from '../chat/index.js';
import type {
  ChoosePlugin,
  ForgetMember,
  GetChatReport,
  GetChatState,
  GetChatView,
  GetLastPrompt,
  GetMemberData,
  GetMembers,
  GetPluginChoices,
  GetPluginData,
  GetSettings,
  GetStyle,
  GetUserAnalytics,
  PatchSettings,
  ResetStyle,
  SetMode,
  UpdatePluginData,
} from './chat-messages.js';
import type { ChatState } from './chat-state.js';
import type { PromptView } from './prompt-view.js';

/** Admin and diagnostic asks of one chat: answered from its state in one turn, never starting side effects. */
export type ChatQuery =
  | GetLastPrompt
  | GetChatState
  | GetChatReport
  | GetUserAnalytics
  | GetMembers
  | GetSettings
  | SetMode
  | PatchSettings
  | GetPluginChoices
  | ChoosePlugin
  | GetChatView
  | GetPluginData
  | UpdatePluginData
  | GetMemberData
  | ForgetMember
  | GetStyle
  | ResetStyle;

/** What a query sees of the chat actor. */
export interface QueriedChat {
  state: ChatState;
  cache: DerivedCache;
  lastPrompt: PromptView | null;
  /** Lets go of the last prompt (it may quote a member being forgotten). */
  forgetPrompt(): void;
  nowMs: number;
  /** Stores validated settings; the actor persists them and records a mode change. */
  applySettings(settings: ChatSettings): void;
  /** The persona a `persona` setting stands for. */
  personaOf(chosen: string | undefined): Persona;
  /** Marks the state changed (for the snapshot). */
  markDirty(): void;
  /** A view over a copy of the chat, for readers outside its turns. */
  viewOfCopy(): ChatView;
}

/**
 * Answers a query through its reply. Copies go out, never the state itself:
 * the asker lives outside the actor's turn. An invalid settings change is
 * the asker's error (`CHAT_SETTINGS_INVALID`) and changes nothing.
 */
export function answerChatQuery(query: ChatQuery, chat: QueriedChat): void {
  const { state, cache, nowMs } = chat;
  switch (query.type) {
    case 'GetLastPrompt':
      query.reply.resolve(chat.lastPrompt === null ? null : structuredClone(chat.lastPrompt));
      return;
    case 'GetChatState':
      query.reply.resolve(structuredClone(state));
      return;
    case 'GetChatReport':
      query.reply.resolve({ report: cache.chatReport(state.chat, nowMs), mode: state.chat.settings.mode });
      return;
    case 'GetUserAnalytics':
      query.reply.resolve(cache.userAnalytics(state.chat, query.userId, nowMs));
      return;
    case 'GetMembers':
      query.reply.resolve(allUserAnalytics(state.chat, nowMs));
      return;
    case 'GetSettings':
      query.reply.resolve(structuredClone(state.chat.settings));
      return;
    case 'SetMode':
    case 'PatchSettings': {
      const patch = query.type === 'SetMode' ? { mode: query.mode } : query.patch;
      let settings: ChatSettings;
      try {
        settings = patchChatSettings(state.chat.settings, patch);
        // A new tuning must fit the chat's persona; one kept across a persona switch applies where it still fits.
        if ('personaTuning' in patch && settings.personaTuning !== undefined) {
          const persona = chat.personaOf(settings.persona);
          const refused = tuningRefusals(persona, settings.personaTuning);
          if (refused.length > 0)
            throw new ChatSettingsInvalidError(refused.map((refusal) => tuningRefusalText(persona, refusal)));
        }
      } catch (error) {
        query.reply.reject(error);
        return;
      }
      chat.applySettings(settings);
      query.reply.resolve(structuredClone(settings));
      return;
    }
    case 'GetStyle':
      query.reply.resolve(styleOverview(state.chat, nowMs));
      return;
    case 'ResetStyle':
      if (resetStyleWeights(state.chat)) chat.markDirty();
      query.reply.resolve(styleOverview(state.chat, nowMs));
      return;
    case 'GetPluginChoices':
      query.reply.resolve(structuredClone(state.chat.plugins ?? {}));
      return;
    case 'GetChatView':
      query.reply.resolve({ view: chat.viewOfCopy(), choices: structuredClone(state.chat.plugins ?? {}) });
      return;
    case 'ChoosePlugin':
      if (applyPluginChoices(state.chat, { [query.plugin]: query.choice })) chat.markDirty();
      query.reply.resolve(structuredClone(state.chat.plugins ?? {}));
      return;
    case 'GetPluginData':
      query.reply.resolve(structuredClone(state.chat.pluginData?.[query.plugin]));
      return;
    case 'GetMemberData':
      query.reply.resolve(memberChatData(state.chat, query.userId, nowMs));
      return;
    case 'ForgetMember': {
      let changed = forgetMember(state.chat, query.userId, nowMs);
      // Whatever the chat held of them, the prompt kept for the debug view may quote them.
      chat.forgetPrompt();
      if (state.chat.chatId === query.userId && state.title !== null) {
        state.title = null;
        changed = true;
      }
      if (changed) {
        cache.clear();
        chat.markDirty();
      }
      query.reply.resolve(changed);
      return;
    }
    case 'UpdatePluginData': {
      let stored: unknown;
      try {
        stored = changePluginData(state.chat, query.plugin, query.change);
      } catch (error) {
        // The change is the plugin's code: its failure is the asker's, never the chat's turn's.
        query.reply.reject(error);
        return;
      }
      chat.markDirty();
      query.reply.resolve(stored);
      return;
    }
  }
}
