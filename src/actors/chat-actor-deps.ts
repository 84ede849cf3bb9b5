import type { BotAddress, ChatPlugins, PersonaBook, RuleBook, Vocabulary } from '../chat/index.js';
import type { LlmPort } from '../llm/index.js';
import type { MemoryPort } from '../memory/index.js';
import type { Clock, Logger } from '../runtime/index.js';
import type { BotIdentity, ChatEgress, Durability, UpdateAcks } from '../telegram/index.js';
import type { ChatActorCounters } from './chat-actor-counters.js';
import type { ChatAdmins } from './chat-admins.js';
import type { ChatModeration } from './chat-moderation.js';
import type { LastPrompts } from './last-prompts.js';
import type { AnomalyAlerts, ChatArchive, ChatTools, ExperimentSource, ReplyLedger } from '../ports/index.js';

/**
 * Built once per process and shared by every chat actor: the bot's address
 * (names and @username), the word vocabulary and compiled filter rules.
 */
export interface ChatPipelineShared {
  address: BotAddress;
  /**
   * The personas a chat can choose; each chat answers to its persona's names
   * (instead of `address`'s) and is prompted as it. Default: Лёха alone.
   */
  personas?: PersonaBook | undefined;
  vocabulary: Vocabulary;
  rules: RuleBook;
  /** Random source in [0, 1) for unasked replies; seeded in tests. */
  random: () => number;
}

/** What a chat actor needs from the outside world, as ports. */
export interface ChatActorDeps {
  bot: BotIdentity;
  llm: LlmPort;
  egress: ChatEgress;
  /** Told when an update's turn has run. */
  acks: UpdateAcks;
  /** When this chat's state changes are durable; a reply is sent only after its "sending" mark is. */
  durability: Durability<number>;
  /** Where chats, users and (PII-redacted) messages are recorded for the admin API. */
  archive: ChatArchive;
  /** Where the bot's replies and members' signals on them are recorded (A/B readouts, fine-tune export); without it they are not. */
  replies?: ReplyLedger | undefined;
  /** The running A/B experiment chats are assigned variants from; without it every chat uses its own persona. */
  experiments?: ExperimentSource | undefined;
  /** Who may change the chat's mode. */
  admins: ChatAdmins;
  /** Restricting a raid's new members (the `restrict` anomaly action); without it the action is refused. */
  moderation?: ChatModeration | undefined;
  /** Where raid and takeover alerts are reported for the admin surface; without it they are only counted and logged. */
  anomalies?: AnomalyAlerts | undefined;
  pipeline: ChatPipelineShared;
  /** Long-term memory: what the chat remembers, recalled into prompts. */
  memory: MemoryPort;
  /** The plugins: commands, listeners and job posts. Without them every command is unknown. */
  plugins?: ChatPlugins | undefined;
  /** The longest a reply waits for recalled memories before it goes on without them. */
  recallTimeoutMs?: number;
  /** Tools the model may call while it writes a reply (plugin commands marked as tools); none when unset. */
  tools?: ChatTools;
  /**
   * The longest a round of tool calls may take before the model is told the
   * calls still running failed. A backstop: the tools keep their own, shorter
   * timeouts.
   */
  toolRoundTimeoutMs?: number;
  clock: Clock;
  counters: ChatActorCounters;
  /** Where the chat's last prompt is kept for the debug view (shared by every chat, bounded). */
  prompts: LastPrompts;
  logger?: Logger;
  /**
   * LOG_UNSAFE_CONTENT: log each message's text, author and chat title at
   * debug level. Personal data in the logs; for chasing a problem only.
   */
  logContent?: boolean;
  /** Refresh period of the typing indicator (Telegram shows one for 5 s). */
  typingIntervalMs?: number;
}
