import {
  type ArchivedChat,
  type ArchivedMessage,
  type ArchivedUser,
  ChatActor,
  ChatActorCounters,
  LastPrompts,
  type ChatArchive,
  type ChatMsg,
  chatOverflowPolicy,
  type ChatState,
} from '../../src/actors/index.js';
import {
  type ChatPlugins,
  DEFAULT_CATALOG,
  PersonaBook,
  type PersonaCatalog,
  RuleBook,
  Vocabulary,
} from '../../src/chat/index.js';
import { LlmChatBusyError, type LlmPort, type LlmReply, type LlmRequest } from '../../src/llm/index.js';
import { type Logger, ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import type { BotIdentity, ChatEgress, Durability, SentReply, TelegramUpdate } from '../../src/telegram/index.js';
import type { ChatTools, ExperimentSource, ReplyLedger } from '../../src/ports/index.js';
import { builtinPlugins } from './builtin-plugins.js';
import { waitFor } from './edge-harness.js';
import { RecordingMemory } from './recording-memory.js';

export const bot: BotIdentity = { id: 999, username: 'lekha_bot', firstName: 'Лёха', canReadAllGroupMessages: true };

/** An LLM whose answers the test releases by hand; like the gateway, one request per chat at a time. */
export class HeldLlm implements LlmPort {
  requests: Array<{ request: LlmRequest; answer: (text: string) => void }> = [];
  private readonly busy = new Set<number>();

  complete(request: LlmRequest): Promise<LlmReply> {
    if (this.busy.has(request.chatId)) return Promise.reject(new LlmChatBusyError(request.chatId));
    this.busy.add(request.chatId);
    return new Promise((resolve) => {
      this.requests.push({
        request,
        answer: (text) => {
          this.busy.delete(request.chatId);
          resolve({ text, source: 'groq', promptTokens: 1, completionTokens: 1, latencyMs: 1, costUsd: 0 });
        },
      });
    });
  }
}

/** Records what the bot sends; message ids come from the chat's shared counter, as in Telegram. */
export class RecordingEgress implements ChatEgress {
  sent: Array<{ chatId: number; text: string; replyTo: number | undefined; messageId: number }> = [];
  typing = 0;

  constructor(private readonly nextMessageId: () => number) {}

  async sendReply(chatId: number, text: string, options: { replyToMessageId?: number } = {}): Promise<SentReply> {
    const messageId = this.nextMessageId();
    this.sent.push({ chatId, text, replyTo: options.replyToMessageId, messageId });
    return { messageIds: [messageId] };
  }

  sendTyping(): void {
    this.typing++;
  }
}

export class RecordingArchive implements ChatArchive {
  chats: ArchivedChat[] = [];
  users: ArchivedUser[] = [];
  messages: ArchivedMessage[] = [];
  chat(row: ArchivedChat): void {
    this.chats.push(row);
  }
  user(row: ArchivedUser): void {
    this.users.push(row);
  }
  message(row: ArchivedMessage): void {
    this.messages.push(row);
  }
}

export interface SayOptions {
  from?: { id: number; firstName: string; username?: string };
  replyTo?: { messageId: number; fromId: number };
  /** The part of the replied-to message the member quotes. */
  quote?: string;
  updateId?: number;
  newMembers?: Array<{ id: number; firstName: string; username?: string }>;
}

export interface HarnessOptions {
  /** The plugins (default: the built-in ones). */
  plugins?: ChatPlugins;
  state?: ChatState | (() => ChatState | undefined);
  durability?: Durability<number>;
  admins?: readonly number[];
  /** Telegram's admin list instead of `admins` (to delay or fail the answer). */
  administrators?: () => Promise<readonly number[]>;
  recallTimeoutMs?: number;
  logger?: Logger;
  /** The process's last prompts (default: a store of its own, as `startRuntime` makes). */
  prompts?: LastPrompts;
  /** The model port instead of the held one (e.g. the gateway on the Groq emulator). */
  llm?: LlmPort;
  tools?: ChatTools;
  toolRoundTimeoutMs?: number;
  /** The personas chats can take (default: Лёха alone). */
  personas?: PersonaCatalog;
  /** Where replies and signals on them are recorded (default: nowhere). */
  replies?: ReplyLedger;
  /** The running experiment's source (default: none). */
  experiments?: ExperimentSource;
}

/** A real Supervisor of ChatActors with recording ports and a manual clock. */
export function chatActorHarness(options: HarnessOptions = {}) {
  const clock = new ManualClock();
  const llm = new HeldLlm();
  let nextId = 100;
  const egress = new RecordingEgress(() => nextId++);
  const archive = new RecordingArchive();
  const acked: number[] = [];
  const metrics = new MetricsRegistry();
  const counters = new ChatActorCounters(metrics);
  const prompts = options.prompts ?? new LastPrompts();
  const adminChecks: number[] = [];
  const random = { value: 0.99 };
  const memory = new RecordingMemory();
  const durability = options.durability ?? { afterFlush: () => undefined };
  const personas = new PersonaBook(options.personas ?? DEFAULT_CATALOG, { userId: bot.id, username: bot.username });
  const pipeline = {
    address: personas.address(personas.default),
    personas,
    vocabulary: new Vocabulary({ ownNames: personas }),
    rules: new RuleBook(),
    random: () => random.value,
  };
  const supervisor = new Supervisor<number, ChatMsg, ChatState>({
    create: (chatId, state) =>
      new ChatActor(chatId, state, {
        bot,
        llm: options.llm ?? llm,
        egress,
        acks: {
          processed: (_c, id) => {
            acked.push(id);
          },
        },
        durability,
        archive,
        ...(options.replies === undefined ? {} : { replies: options.replies }),
        ...(options.experiments === undefined ? {} : { experiments: options.experiments }),
        admins: {
          administrators: async (chatId) => {
            adminChecks.push(chatId);
            if (options.administrators !== undefined) return options.administrators();
            return options.admins ?? [];
          },
        },
        pipeline,
        memory,
        plugins: options.plugins ?? builtinPlugins,
        ...(options.recallTimeoutMs === undefined ? {} : { recallTimeoutMs: options.recallTimeoutMs }),
        ...(options.tools === undefined ? {} : { tools: options.tools }),
        ...(options.toolRoundTimeoutMs === undefined ? {} : { toolRoundTimeoutMs: options.toolRoundTimeoutMs }),
        clock,
        counters,
        prompts,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      }),
    // A copy for every incarnation, as WriteBehind decodes one for every load: the actor owns what it is given.
    load: () => structuredClone(typeof options.state === 'function' ? options.state() : options.state),
    overflowPolicy: chatOverflowPolicy,
    // One drain runs every queued turn: `clock.advance` settles the event loop
    // once per step, and these tests are about the actor, not time slicing.
    dispatcher: { sliceMs: 60_000 },
    clock,
  });
  let nextUpdate = 1;
  const say = (chatId: number, text: string, o: SayOptions = {}): number => {
    const from = o.from ?? { id: 5, firstName: 'Маша' };
    const messageId = nextId++;
    const updateId = o.updateId ?? nextUpdate++;
    const update: TelegramUpdate = {
      update_id: updateId,
      message: {
        message_id: messageId,
        date: Math.floor(clock.now() / 1000),
        chat: {
          id: chatId,
          type: chatId > 0 ? 'private' : 'supergroup',
          ...(chatId > 0 ? {} : { title: 'Тестовый чат' }),
        },
        from: {
          id: from.id,
          is_bot: false,
          first_name: from.firstName,
          ...(from.username === undefined ? {} : { username: from.username }),
        },
        ...(text === '' ? {} : { text }),
        ...(o.replyTo === undefined
          ? {}
          : {
              reply_to_message: {
                message_id: o.replyTo.messageId,
                from: { id: o.replyTo.fromId, is_bot: o.replyTo.fromId === bot.id, first_name: 'x' },
              },
            }),
        ...(o.quote === undefined ? {} : { quote: { text: o.quote, position: 0 } }),
        ...(o.newMembers === undefined
          ? {}
          : {
              new_chat_members: o.newMembers.map((m) => ({
                id: m.id,
                is_bot: false,
                first_name: m.firstName,
                username: m.username,
              })),
            }),
      },
    };
    supervisor.tell(chatId, { type: 'UpdateReceived', updateId, update });
    return messageId;
  };
  const redeliver = (chatId: number, updateId: number, messageId: number): void => {
    const update: TelegramUpdate = {
      update_id: updateId,
      message: {
        message_id: messageId,
        date: 1,
        chat: { id: chatId, type: 'supergroup' },
        from: { id: 5, is_bot: false, first_name: 'Маша' },
        text: 'again',
      },
    };
    supervisor.tell(chatId, { type: 'UpdateReceived', updateId, update });
  };
  /** A member changed their emoji reactions to message `messageId`. */
  const react = (chatId: number, messageId: number, userId: number, before: string[], after: string[]): void => {
    const updateId = nextUpdate++;
    const emoji = (list: string[]) => list.map((e) => ({ type: 'emoji', emoji: e }));
    const update: TelegramUpdate = {
      update_id: updateId,
      message_reaction: {
        chat: { id: chatId, type: 'supergroup', title: 'Тестовый чат' },
        message_id: messageId,
        user: { id: userId, is_bot: false, first_name: 'Маша' },
        date: Math.floor(clock.now() / 1000),
        old_reaction: emoji(before),
        new_reaction: emoji(after),
      },
    };
    supervisor.tell(chatId, { type: 'UpdateReceived', updateId, update });
  };
  /** Makes the actor's next turn throw once (an ask whose answer callback throws), so the supervisor restarts it and retries the message. */
  const failNextTurn = (chatId: number): void => {
    let failed = false;
    const explode = (): void => {
      if (failed) return;
      failed = true;
      throw new Error('a turn fails once');
    };
    supervisor.tell(chatId, { type: 'GetSettings', reply: { resolve: explode, reject: explode } });
  };
  const state = (chatId: number) => supervisor.ask<ChatState>(chatId, (reply) => ({ type: 'GetChatState', reply }));
  let nextAsker = 10_000;
  /**
   * Says `text` in a chat — from `from`, or from a new member each time (the
   * chat limits each member's pace) — and resolves to the first text the bot
   * sends after it, advancing the manual clock while it waits.
   */
  const ask = async (
    chatId: number,
    text: string,
    from: NonNullable<SayOptions['from']> = { id: nextAsker++, firstName: 'Гость' },
  ): Promise<string> => {
    const before = egress.sent.length;
    say(chatId, text, { from });
    await waitFor(`the answer to ${text}`, async () => (await clock.advance(0), egress.sent.length > before));
    return egress.sent[before]!.text;
  };
  return {
    clock,
    llm,
    egress,
    archive,
    memory,
    acked,
    counters,
    prompts,
    metrics,
    supervisor,
    say,
    ask,
    react,
    redeliver,
    state,
    random,
    adminChecks,
    failNextTurn,
    lastUpdateId: () => nextUpdate - 1,
  };
}
