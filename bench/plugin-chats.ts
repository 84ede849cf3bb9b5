import {
  ChatActor,
  ChatActorCounters,
  LastPrompts,
  type ChatMsg,
  chatOverflowPolicy,
  type ChatState,
  discardingArchive,
} from '../src/actors/index.js';
import { BotAddress, type ChatSettings, RuleBook, Vocabulary } from '../src/chat/index.js';
import type { LlmPort } from '../src/llm/index.js';
import type { MemoryPort } from '../src/memory/index.js';
import { PluginHost } from '../src/plugins/index.js';
import { type Logger, MetricsRegistry, SystemClock } from '../src/runtime/index.js';
import { Supervisor } from '../src/supervisor/index.js';
import type { BotIdentity, ChatEgress, SentReply, TelegramUpdate } from '../src/telegram/index.js';

const BOT: BotIdentity = { id: 7_000_000_001, username: 'lekha_bot', firstName: 'Лёха', canReadAllGroupMessages: true };
/**
 * Members a chat's senders cycle through. The per-member limits are opened
 * only as far as chat settings go (10 interactions a second, 50 repeats of a
 * text in 10 s): the overhead loop's 20–30k commands a second over 100
 * chats stay under them only when spread over this many members each.
 */
const MEMBERS_PER_CHAT = 100;

/** Where each answer goes: the chat, the message it quotes, and when the egress was asked to send it. */
export type AnswerListener = (chatId: number, replyToMessageId: number, atMs: number, text: string) => void;

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Commands and plain messages need no model; a call to it is a bench bug, not a measurement. */
const noModel: LlmPort = {
  complete: () => Promise.reject(new Error('the plugins bench sends nothing that needs the model')),
};

/** Long-term memory is another bench's subject: writes and recalls are dropped here. */
const noMemory: MemoryPort = {
  remember: () => Promise.resolve({ stored: false, reason: 'saturated' }),
  recall: () => Promise.resolve([]),
  feedback: () => Promise.resolve(0),
  forgetUser: () => Promise.resolve(0),
};

/**
 * Per-member limits raised so that a member asking many times a second is
 * answered every time: the bench measures the command path, not the rate
 * limiter's refusals.
 */
const OPEN_LIMITS = {
  rateLimit: { capacity: 100, refillPerMinute: 600 },
  flood: { windowMs: 1000, userMax: 1000, chatMax: 10_000 },
  repeat: { windowMs: 10_000, maxRepeats: 50 },
};

/** An egress that sends nothing and tells who asked to send what, when. */
class TimedEgress implements ChatEgress {
  private nextMessageId = 2_000_000_000;

  constructor(private readonly listener: AnswerListener) {}

  sendReply(chatId: number, text: string, options: { replyToMessageId?: number } = {}): Promise<SentReply> {
    this.listener(chatId, options.replyToMessageId ?? 0, performance.now(), text);
    return Promise.resolve({ messageIds: [this.nextMessageId++] });
  }

  sendTyping(): void {}
}

/**
 * Group chats served by a real Supervisor of ChatActors with the given
 * plugins next to the built-in ones, hosted as the wiring hosts them (system
 * clock, default time limit), with no Telegram, storage or model: updates go
 * in with {@link PluginChats.send}, answers come out to the listener.
 * Durability is immediate, as when Lekha runs without storage.
 */
export class PluginChats {
  private readonly supervisor: Supervisor<number, ChatMsg, ChatState>;
  private nextUpdateId = 1;
  private nextMessageId = 1;

  private constructor(
    readonly host: PluginHost,
    listener: AnswerListener,
  ) {
    const clock = new SystemClock();
    const metrics = new MetricsRegistry();
    const counters = new ChatActorCounters(metrics);
    const prompts = new LastPrompts();
    const address = new BotAddress({ userId: BOT.id, username: BOT.username });
    // Never an unasked reply: those need the model.
    const pipeline = {
      address,
      vocabulary: new Vocabulary({ ownNames: address }),
      rules: new RuleBook(),
      random: () => 0.99,
    };
    const egress = new TimedEgress(listener);
    this.supervisor = new Supervisor<number, ChatMsg, ChatState>({
      create: (chatId, state) =>
        new ChatActor(chatId, state, {
          bot: BOT,
          llm: noModel,
          egress,
          acks: { processed: () => undefined },
          durability: { afterFlush: () => undefined },
          archive: discardingArchive,
          admins: { administrators: () => Promise.resolve([]) },
          pipeline,
          memory: noMemory,
          plugins: host,
          clock,
          counters,
          prompts,
        }),
      overflowPolicy: chatOverflowPolicy,
      clock,
      metrics,
      mailboxCapacity: 10_000,
    });
  }

  /**
   * Hosts `plugins` (the built-in ones and the bench's own) and the chats
   * that use them; `env` gives the plugins' settings (`WEATHER_BASE_URL`…).
   */
  static async create(
    plugins: readonly unknown[],
    listener: AnswerListener,
    env: Readonly<Record<string, string>> = {},
  ): Promise<PluginChats> {
    const host = await PluginHost.create({
      plugins: plugins.map((plugin) => ({ plugin, source: 'bench' })),
      clock: new SystemClock(),
      metrics: new MetricsRegistry(),
      logger: silent,
      env,
    });
    return new PluginChats(host, listener);
  }

  /** Starts a chat's actor and opens its per-member limits. */
  async open(chatId: number): Promise<void> {
    await this.supervisor.ask<ChatSettings>(chatId, (reply) => ({ type: 'PatchSettings', patch: OPEN_LIMITS, reply }));
  }

  /** One member's message into a chat's mailbox; returns its message id (what the answer quotes). */
  send(chatId: number, member: number, text: string): number {
    const messageId = this.nextMessageId++;
    const updateId = this.nextUpdateId++;
    const userId = 1000 + (member % MEMBERS_PER_CHAT);
    const update: TelegramUpdate = {
      update_id: updateId,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'supergroup', title: 'Бенчмарк' },
        from: { id: userId, is_bot: false, first_name: `Участник ${userId}` },
        text,
      },
    };
    this.supervisor.tell(chatId, { type: 'UpdateReceived', updateId, update });
    return messageId;
  }

  /** Resolves once every mailbox is empty and no side effect is in flight. */
  async settled(): Promise<void> {
    for (;;) {
      const stats = this.supervisor.stats();
      if (stats.mailboxDepthSum === 0 && stats.inflightEffects === 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Stops every actor; side effects still running (a hung plugin call) are abandoned after `deadlineMs`. */
  async stop(deadlineMs: number): Promise<void> {
    // The runtime's timers (the shutdown deadline, plugin time limits) do not keep the process alive; this does until the stop is over.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await this.supervisor.shutdown({ deadlineMs });
      await this.host.close();
    } finally {
      clearInterval(keepAlive);
    }
  }
}
