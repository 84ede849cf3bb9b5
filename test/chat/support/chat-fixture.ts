import { builtinPlugins } from '../../support/builtin-plugins.js';
import { pluginDataIn } from '../../support/plugin-kit.js';
import {
  applyPluginEffects,
  BotAddress,
  DerivedCache,
  LiveChatView,
  type ChatKind,
  type CommandCall,
  type PluginEffects,
  type ChatState,
  createChatState,
  type IncomingMessage,
  type PipelineContext,
  processMessage,
  type ProcessResult,
  RuleBook,
  Vocabulary,
} from '../../../src/chat/index.js';

export const BOT_ID = 555_000_111;
export const BOT_USERNAME = 'lekha_bot';
export const T0 = 1_750_000_000_000;

/** Shared, pure parts of the pipeline context; built once per test file. */
export const vocabulary = new Vocabulary();
export const rules = new RuleBook();

export function pipelineContext(random: () => number = () => 0.99, names?: readonly string[]): PipelineContext {
  return {
    bot: new BotAddress({ userId: BOT_ID, username: BOT_USERNAME, ...(names === undefined ? {} : { names }) }),
    vocabulary,
    rules,
    random,
    commands: builtinPlugins,
  };
}

/**
 * Runs a command the pipeline handed to a plugin through the built-in
 * plugins, over a view of `state`, and applies what it asks of the chat, as
 * the actor does after the turn.
 */
export async function runBuiltinCommand(
  state: ChatState,
  call: CommandCall,
  nowMs: number,
  senderIsAdmin: boolean,
): Promise<PluginEffects> {
  const access = {
    view: new LiveChatView(state.chatId, state, new DerivedCache(), vocabulary, () => nowMs),
    isAdmin: async () => senderIsAdmin,
    recall: async () => [],
    pluginData: pluginDataIn(state),
  };
  const effects = await builtinPlugins.runCommand(
    state.chatId,
    call,
    state.plugins,
    access,
    new AbortController().signal,
  );
  applyPluginEffects(state, effects);
  return effects;
}

export interface Person {
  id: number;
  name: string;
  username?: string;
}

/**
 * Drives one chat through the real pipeline with increasing message ids and
 * a hand-moved clock, the way the actor would.
 */
export class ChatDriver {
  readonly state: ChatState;
  nowMs = T0;
  private nextId = 1;

  constructor(
    readonly ctx: PipelineContext = pipelineContext(),
    kind: ChatKind = 'supergroup',
  ) {
    this.state = createChatState(-1001, kind, T0);
  }

  /** Sends `text` from `who` `afterMs` after the previous message; returns the message id and the result. */
  say(
    who: Person,
    text: string,
    options: { afterMs?: number; replyTo?: number; admin?: boolean; mentioned?: number[] } = {},
  ): { id: number; result: ProcessResult } {
    this.nowMs += options.afterMs ?? 30_000;
    const id = this.nextId++;
    const replyTo =
      options.replyTo === undefined
        ? undefined
        : { messageId: options.replyTo, fromId: this.authorOf(options.replyTo) };
    const msg: IncomingMessage = {
      messageId: id,
      chatKind: this.state.chat.kind,
      from: { id: who.id, name: who.name, username: who.username, isBot: false },
      text,
      replyTo,
      mentionedUserIds: options.mentioned,
      senderIsAdmin: options.admin,
    };
    this.authors.set(id, who.id);
    return { id, result: processMessage(this.state, msg, this.nowMs, this.ctx) };
  }

  /**
   * Like {@link say}, and for a plugin decision runs the command through the
   * built-in plugins and applies what it asks, as the actor does after the
   * turn: returns the texts it answers (a text answer of the pipeline too).
   */
  async ask(
    who: Person,
    text: string,
    options: Parameters<ChatDriver['say']>[2] = {},
  ): Promise<{ id: number; result: ProcessResult; texts: string[] }> {
    const said = this.say(who, text, options);
    const decision = said.result.decision;
    if (decision.kind === 'answer') return { ...said, texts: [decision.text] };
    if (decision.kind !== 'plugin') return { ...said, texts: [] };
    const effects = await runBuiltinCommand(this.state, decision.call, this.nowMs, options.admin === true);
    return { ...said, texts: effects.texts };
  }

  /** Reserves a message id for a message the bot sends. */
  botMessageId(): number {
    const id = this.nextId++;
    this.authors.set(id, BOT_ID);
    return id;
  }

  private readonly authors = new Map<number, number>();

  private authorOf(id: number): number {
    const author = this.authors.get(id);
    if (author === undefined) throw new Error(`no message #${id} in this script`);
    return author;
  }
}
