import type { Logger } from 'pino';
import {
  type AnomalyLog,
  ChatActor,
  ChatActorCounters,
  LastPrompts,
  type ChatAdmins,
  type ChatArchive,
  type ChatMsg,
  chatOverflowPolicy,
  type ChatPipelineShared,
  type ChatState,
  type DeadLetterSink,
  discardingArchive,
  discardingReplyLedger,
  settleQuarantined,
} from './actors/index.js';
import { type ChatPlugins, PersonaBook, type PersonaCatalog, RuleBook, Vocabulary } from './chat/index.js';
import type { Config } from './config/index.js';
import type { Endpoints } from './endpoints.js';
import type { LlmGateway } from './llm/index.js';
import type { MemoryPort } from './memory/index.js';
import type { ExperimentSource } from './ports/index.js';
import type { Clock, MetricsRegistry } from './runtime/index.js';
import type { RuntimePersistence } from './runtime-persistence.js';
import type { Storage } from './storage/index.js';
import { Supervisor } from './supervisor/index.js';
import {
  type Durability,
  TelegramChatAdmins,
  TelegramChatModeration,
  type TelegramEdge,
  type UpdateAcks,
} from './telegram/index.js';

export interface ChatSupervisorWiring {
  config: Config;
  telegram: TelegramEdge;
  /** For the chat admin lookups, which go to the same Bot API as the edge. */
  telegramApi: Pick<Endpoints['telegram'], 'token' | 'apiRoot'>;
  /** Default: storage's archive, or none without storage. */
  archive: ChatArchive | undefined;
  /** Default: `Math.random`. */
  random: (() => number) | undefined;
  storage: Storage | null;
  persistence: RuntimePersistence | undefined;
  durability: Durability<number>;
  llm: LlmGateway;
  memory: MemoryPort;
  plugins: ChatPlugins;
  /** The personas chats can take (`PERSONA_FILE`, `PERSONA_NAME`, `PERSONA_ALIASES`). */
  personas: PersonaCatalog;
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
  /** Where chats report raids and takeovers, for the alerts panel. */
  anomalies: AnomalyLog;
  /** The running A/B experiment, if any, that chats assign variants from. */
  experiments: ExperimentSource;
  /**
   * Where chats say an update's turn ran, and where a quarantined chat's
   * updates are kept: the Telegram ingress, or in cluster mode the stream
   * consumer. Default: the Telegram edge.
   */
  ingress?: UpdateAcks & DeadLetterSink;
  /** Cluster mode: whether this member serves the chat now (others are refused with `CHAT_NOT_OWNED`). */
  admit?: (chatId: number) => boolean;
}

/** The supervisor of chat actors, each wired to the edges. */
export function buildChatSupervisor(w: ChatSupervisorWiring): Supervisor<number, ChatMsg, ChatState> {
  const {
    config,
    telegram,
    telegramApi,
    archive: givenArchive,
    random,
    storage,
    persistence,
    durability,
    llm,
    memory,
    plugins,
    personas: catalog,
    clock,
    metrics,
    logger,
    anomalies,
    experiments,
    ingress = telegram,
    admit,
  } = w;
  const counters = new ChatActorCounters(metrics);
  const prompts = new LastPrompts();
  const handle = { userId: telegram.identity.id, username: telegram.identity.username };
  const personas = new PersonaBook(catalog, handle);
  const pipeline: ChatPipelineShared = {
    address: personas.address(personas.default),
    personas,
    // Every persona's names stay out of every chat's words: a name is a name after a switch too.
    vocabulary: new Vocabulary({ ownNames: personas }),
    rules: new RuleBook(),
    random: random ?? Math.random,
  };
  const admins: ChatAdmins = new TelegramChatAdmins({ token: telegramApi.token, apiRoot: telegramApi.apiRoot });
  const moderation = new TelegramChatModeration({
    token: telegramApi.token,
    apiRoot: telegramApi.apiRoot,
    botId: telegram.identity.id,
  });
  const archive = givenArchive ?? storage?.chatArchive() ?? discardingArchive;
  const replies = storage?.replyLedger() ?? discardingReplyLedger;
  return new Supervisor<number, ChatMsg, ChatState>({
    create: (chatId, state) =>
      new ChatActor(chatId, state, {
        bot: telegram.identity,
        llm,
        egress: telegram.egress,
        acks: ingress,
        durability,
        archive,
        replies,
        experiments,
        admins,
        moderation,
        anomalies,
        pipeline,
        memory,
        plugins,
        recallTimeoutMs: config.RECALL_TIMEOUT_MS,
        clock,
        counters,
        prompts,
        logger,
        logContent: config.LOG_UNSAFE_CONTENT,
      }),
    ...(persistence === undefined
      ? {}
      : { load: (chatId) => persistence.load(chatId), persist: (chatId, state) => persistence.persist(chatId, state) }),
    // A quarantined chat's updates become dead letters, so ingress moves on and every other chat is served.
    onQuarantine: (chatId, retained, quarantine) => {
      const dropped = settleQuarantined(chatId, retained, quarantine, ingress);
      if (dropped > 0) logger.warn({ chatId, dropped }, 'side-effect outcomes of a quarantined chat dropped');
    },
    overflowPolicy: chatOverflowPolicy,
    clock,
    metrics,
    logger,
    mailboxCapacity: config.MAILBOX_CAPACITY,
    idleMs: config.ACTOR_IDLE_MS,
    maxLive: config.MAX_LIVE_ACTORS,
    ...(admit === undefined ? {} : { admit }),
  });
}
