import {
  type ChatAccess,
  type ChatPlugins,
  DEFAULT_CATALOG,
  DerivedCache,
  forgetOwnNames,
  LiveChatView,
  type Persona,
  PersonaBook,
  type PipelineContext,
  type PluginChoices,
  type Vocabulary,
} from '../chat/index.js';
import type { ChatTools } from '../ports/index.js';
import { Actor } from '../runtime/index.js';
import type { ChatActorDeps } from './chat-actor-deps.js';
import { ChatAnomalies } from './chat-anomalies.js';
import { ChatMemoryWriter } from './chat-memory-writer.js';
import type { ChatMsg } from './chat-messages.js';
import { answerChatQuery } from './chat-queries.js';
import { ChatReplies } from './chat-replies.js';
import { type ChatState, emptyChatState } from './chat-state.js';
import type { ChatTurn } from './chat-turn.js';
import { ChatUpdates } from './chat-updates.js';

/**
 * One chat: runs every message through the chat-intelligence pipeline
 * (filters, PII redaction, rate limiting, profiles, group dynamics, reply
 * decision) inside its turn, asks the LLM gateway for a reply when the
 * pipeline decides to answer (a side effect; the answer comes back as
 * `ReplyReady`), runs the leak guard on it and sends it through the egress.
 * One model reply is in flight at a time; triggers that arrive meanwhile are
 * coalesced by the pipeline into at most one follow-up.
 *
 * Exactly-once handling rests on facts kept in the state: `lastUpdateId`
 * recognises updates Telegram delivers again after a crash, the pipeline
 * remembers answered triggers, and a reply is marked `sending` durably
 * before it is sent, so a crash can never make it go out twice.
 */
export class ChatActor extends Actor<ChatMsg, ChatState> {
  private readonly state: ChatState;
  private readonly cache = new DerivedCache();
  private readonly replies: ChatReplies;
  private readonly updates: ChatUpdates;
  private readonly anomalies: ChatAnomalies;
  /** The name of the persona a `persona` setting stands for, for the views plugins read. */
  private readonly personaName: (chosen: string | undefined) => string;
  /** The persona a `persona` setting stands for, to check a chat's tuning against. */
  private readonly personaOf: (chosen: string | undefined) => Persona;

  /**
   * `state` becomes the actor's own: the Supervisor hands over a state its
   * `load` just decoded (WriteBehind decodes a fresh one for every load), and
   * copying it would undo what restoring gave its tables (see
   * `restoreChatState`) and cost every activation a deep copy.
   */
  constructor(
    private readonly chatId: number,
    state: ChatState | undefined,
    private readonly deps: ChatActorDeps,
  ) {
    super();
    this.state = state ?? emptyChatState(chatId, deps.clock.now());
    // A snapshot upgraded from version 1 does not know its chat id.
    this.state.chat.chatId = chatId;
    const { address, vocabulary, rules, random } = deps.pipeline;
    const personas =
      deps.pipeline.personas ??
      new PersonaBook(DEFAULT_CATALOG, { userId: address.identity.userId, username: address.identity.username });
    // A state recorded before the bot's names were kept out of the chat's words (onStart marks the state dirty).
    if (state !== undefined) forgetOwnNames(this.state.chat, personas);
    this.personaOf = (chosen) => personas.of(chosen);
    this.personaName = (chosen) => personas.of(chosen).name;
    const chat = this.state.chat;
    // Read at every message: a chat that switches persona answers to the new names from its next message on.
    const ctx: PipelineContext = {
      get bot() {
        return personas.address(personas.of(chat.settings.persona));
      },
      get persona() {
        return personas.of(chat.settings.persona);
      },
      vocabulary,
      rules,
      random,
      cache: this.cache,
      commands: deps.plugins,
    };
    const turn: ChatTurn = {
      pipe: (work, toMsg) => this.pipe(work, toMsg),
      after: (ms, msg) => this.after(ms, msg),
      every: (ms, msg) => this.every(ms, msg),
      cancelTimer: (id) => this.cancelTimer(id),
      markDirty: () => this.markDirty(),
    };
    const memory = new ChatMemoryWriter(chatId, deps.memory, turn);
    const access = this.chatAccess(vocabulary);
    const tools = deps.tools ?? pluginTools(deps.plugins, access, () => this.state.chat.plugins);
    this.replies = new ChatReplies(chatId, this.state, this.cache, deps, turn, memory, tools);
    this.anomalies = new ChatAnomalies(chatId, () => this.state.chat, deps, turn);
    this.updates = new ChatUpdates(
      chatId,
      this.state,
      this.cache,
      ctx,
      deps,
      turn,
      memory,
      this.replies,
      access,
      this.anomalies,
    );
  }

  override onStart(): void {
    this.replies.on({ type: 'Restarted' });
  }

  override onStop(): void {
    this.replies.stopped();
    this.deps.prompts.forget(this.chatId);
  }

  receive(msg: ChatMsg): void {
    switch (msg.type) {
      case 'UpdateReceived':
        this.updates.onUpdate(msg);
        return;
      case 'AdminsListed':
        this.updates.onAdminsListed(msg);
        return;
      case 'PluginDone':
        this.updates.onPluginDone(msg);
        return;
      case 'AnomalyActionDone':
        this.anomalies.done(msg);
        return;
      case 'PluginPost':
        this.updates.onPluginPost(msg);
        return;
      case 'ReplyReady':
      case 'ReplySent':
      case 'ReplyRetryDue':
      case 'MemoriesRecalled':
      case 'RecallTimedOut':
      case 'ToolRan':
      case 'ToolsTimedOut':
      case 'TypingDue':
        this.replies.receive(msg);
        return;
      case 'MemoryDone':
        if (!msg.outcome.ok)
          this.deps.logger?.warn({ err: msg.outcome.error, chatId: this.chatId, op: msg.op }, 'memory work failed');
        return;
      case 'FlaggedDeleted':
        if (!msg.outcome.ok) {
          this.deps.counters.flaggedDeletesFailed.inc();
          this.deps.logger?.warn(
            { err: msg.outcome.error, chatId: this.chatId, messageId: msg.messageId },
            'flagged message could not be deleted (the bot needs to be an admin allowed to delete messages)',
          );
        }
        return;
      case 'AnswerSent':
        if (!msg.outcome.ok)
          this.deps.logger?.warn({ err: msg.outcome.error, chatId: this.chatId }, 'answer could not be sent');
        return;
      case 'GetLastPrompt':
      case 'GetChatState':
      case 'GetChatReport':
      case 'GetUserAnalytics':
      case 'GetMembers':
      case 'GetSettings':
      case 'SetMode':
      case 'PatchSettings':
      case 'GetPluginChoices':
      case 'ChoosePlugin':
      case 'GetChatView':
      case 'GetPluginData':
      case 'UpdatePluginData':
      case 'GetMemberData':
      case 'ForgetMember':
      case 'GetStyle':
      case 'ResetStyle':
        answerChatQuery(msg, {
          state: this.state,
          cache: this.cache,
          lastPrompt: this.deps.prompts.get(this.chatId),
          forgetPrompt: () => this.deps.prompts.forget(this.chatId),
          nowMs: this.deps.clock.now(),
          applySettings: (settings) => this.updates.applySettings(settings),
          personaOf: this.personaOf,
          markDirty: () => this.markDirty(),
          viewOfCopy: () =>
            new LiveChatView(
              this.chatId,
              structuredClone(this.state.chat),
              new DerivedCache(),
              this.deps.pipeline.vocabulary,
              () => this.deps.clock.now(),
              this.personaName,
            ),
        });
        return;
    }
  }

  /** What this chat lends plugin calls: its live view, the admin check and recall from its memories. */
  private chatAccess(vocabulary: Vocabulary): ChatAccess {
    const { memory, clock } = this.deps;
    const chatId = this.chatId;
    return {
      view: new LiveChatView(chatId, this.state.chat, this.cache, vocabulary, () => clock.now(), this.personaName),
      isAdmin: (userId) => this.updates.isAdmin(userId),
      recall: async (text, k) =>
        (await memory.recall({ chatId, text, k })).map((hit) => ({
          text: hit.text,
          kind: hit.kind,
          fromId: hit.fromId,
          ms: hit.ms,
          similarity: hit.similarity,
        })),
      pluginData: (plugin) => ({
        read: async () => structuredClone(this.state.chat.pluginData?.[plugin]),
        // Delivered to this chat's mailbox, so the change runs in a turn of its own.
        update: (change) =>
          new Promise((resolve, reject) =>
            this.pipe(Promise.resolve(), () => ({
              type: 'UpdatePluginData',
              plugin,
              change,
              reply: { resolve, reject },
            })),
          ),
      }),
    };
  }

  snapshot(): ChatState {
    return structuredClone(this.state);
  }

  /** The state itself: the write-behind encodes it before any turn runs (see `Actor.lend`). */
  override lend(): ChatState {
    return this.state;
  }
}

/** The plugins' tool commands as the reply flow calls them, run with this chat's access and current choices. */
function pluginTools(
  plugins: ChatPlugins | undefined,
  access: ChatAccess,
  choices: () => PluginChoices | undefined,
): ChatTools | undefined {
  if (plugins === undefined) return undefined;
  return {
    available: (_chatId, current) => plugins.toolsIn(current),
    run: (caller, call, signal) => plugins.runTool(caller, call, choices(), access, signal),
  };
}
