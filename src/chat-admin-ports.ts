import type { ChatMsg, ChatState, PromptView } from './actors/index.js';
import { allUserAnalytics, chatReport, styleOverview, userAnalytics } from './chat/index.js';
import {
  ActorChatControl,
  type ChatStyles,
  type DebugPrompt,
  LiveFirstChatInsights,
  toApiReport,
  toApiSettings,
  toApiUser,
  toDomainPatch,
} from './http/index.js';
import type { Clock } from './runtime/index.js';
import type { Supervisor } from './supervisor/index.js';

/**
 * The admin API's chat ports over the chat actors: reads ask a live actor and
 * compute from the stored snapshot otherwise (never activating an actor);
 * changes are messages the actor applies before confirming.
 */
export function chatAdminPorts(
  supervisor: Supervisor<number, ChatMsg, ChatState>,
  // The write-behind's load reads the stored snapshot (or one still pending) without activating the chat's actor.
  loadSnapshot: (chatId: number) => Promise<ChatState | undefined>,
  clock: Clock,
): {
  insights: LiveFirstChatInsights<ChatMsg, ChatState>;
  control: ActorChatControl<ChatMsg>;
  styles: ChatStyles;
} {
  const insights = new LiveFirstChatInsights<ChatMsg, ChatState>({
    actors: supervisor,
    requests: {
      report: (reply) => ({
        type: 'GetChatReport',
        reply: {
          resolve: (r) => reply.resolve(toApiReport(r.report, r.mode, clock.now())),
          reject: (e) => reply.reject(e),
        },
      }),
      userAnalytics: (userId, reply) => ({
        type: 'GetUserAnalytics',
        userId,
        reply: { resolve: (u) => reply.resolve(u === null ? undefined : toApiUser(u)), reject: (e) => reply.reject(e) },
      }),
      allUserAnalytics: (reply) => ({
        type: 'GetMembers',
        reply: { resolve: (all) => reply.resolve(all.map(toApiUser)), reject: (e) => reply.reject(e) },
      }),
      settings: (reply) => ({
        type: 'GetSettings',
        reply: { resolve: (s) => reply.resolve(toApiSettings(s)), reject: (e) => reply.reject(e) },
      }),
      lastPrompt: (reply) => ({
        type: 'GetLastPrompt',
        reply: { resolve: (p) => reply.resolve(p === null ? null : toApiPrompt(p)), reject: (e) => reply.reject(e) },
      }),
    },
    loadSnapshot,
    readers: {
      // The key is the chat id: a snapshot upgraded from version 1 does not carry it.
      report: (chatId, state) =>
        toApiReport({ ...chatReport(state.chat, clock.now()), chatId }, state.chat.settings.mode, clock.now()),
      userAnalytics: (state, userId) => {
        const user = userAnalytics(state.chat, userId, clock.now());
        return user === null ? undefined : toApiUser(user);
      },
      allUserAnalytics: (state) => allUserAnalytics(state.chat, clock.now()).map(toApiUser),
      settings: (state) => toApiSettings(state.chat.settings),
    },
  });
  const control = new ActorChatControl<ChatMsg>(supervisor, {
    setMode: (mode, reply) => ({
      type: 'SetMode',
      mode,
      reply: { resolve: (s) => reply.resolve(toApiSettings(s)), reject: (e) => reply.reject(e) },
    }),
    // A refused field throws here, before anything is sent: the ask rejects with CHAT_SETTINGS_INVALID.
    updateSettings: (patch, reply) => ({
      type: 'PatchSettings',
      patch: toDomainPatch(patch),
      reply: { resolve: (s) => reply.resolve(toApiSettings(s)), reject: (e) => reply.reject(e) },
    }),
  });
  // The style overview's shape is the API's: it goes out as it is.
  const styles: ChatStyles = {
    style: (chatId) =>
      insights.read(
        chatId,
        (reply) => ({ type: 'GetStyle', reply }),
        (state) => styleOverview(state.chat, clock.now()),
      ),
    reset: (chatId) => supervisor.ask(chatId, (reply) => ({ type: 'ResetStyle', reply }), STYLE_RESET_TIMEOUT_MS),
  };
  return { insights, control, styles };
}

/** As long as a settings change may take (`ActorChatControl`'s default). */
const STYLE_RESET_TIMEOUT_MS = 5000;

function toApiPrompt(view: PromptView): DebugPrompt {
  return {
    triggerId: view.triggerId,
    builtAt: new Date(view.builtAtMs).toISOString(),
    version: view.version,
    persona: view.persona,
    experiment: view.experiment,
    description: view.description,
    messages: view.messages,
    memories: view.memories.map(({ ms, ...m }) => ({ ...m, at: new Date(ms).toISOString() })),
    recall: view.recall,
  };
}
