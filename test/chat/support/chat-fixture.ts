import {
  BotAddress,
  type ChatKind,
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
  };
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
