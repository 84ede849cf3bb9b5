import type { Logger } from 'pino';
import type { ChatMsg, ChatState } from './actors/index.js';
import { memberChatData } from './chat/index.js';
import type { Config } from './config/index.js';
import type { MemoryPort, MemoryService } from './memory/index.js';
import type { AuditLog, MemberChats, MemberMemoryEraser } from './ports/index.js';
import { type ExportDelivery, PluginFailure, type PrivacyDesk } from './plugins/index.js';
import { MEMBER_REQUESTER, MemberDataNotFoundError, type MemberExport, PrivacyEngine } from './privacy/index.js';
import type { Clock } from './runtime/index.js';
import type { RuntimePersistence } from './runtime-persistence.js';
import type { Scheduler } from './scheduler/index.js';
import type { Storage } from './storage/index.js';
import type { Supervisor } from './supervisor/index.js';
import { TelegramSendFailedError, type TelegramSender } from './telegram/index.js';

type Chats = Supervisor<number, ChatMsg, ChatState>;

/** The kind and key of the recurring retention job. */
export const RETENTION_JOB = 'privacy:retention';
const RETENTION_EVERY_MS = 3_600_000;
/** Erasing a member visits each of their chats: a longer wait than an admin read's. */
const CHAT_ASK_MS = 30_000;

/**
 * The privacy engine over the pieces of this process: storage's tables, the
 * chat actors (activated from their snapshots) and the long-term memory.
 * Needs storage: without it there is nothing durable to export or erase.
 */
export function openPrivacy(w: {
  config: Config;
  storage: Storage | null;
  supervisor: Chats;
  persistence: RuntimePersistence | undefined;
  memory: MemoryPort;
  ownMemory: MemoryService | null;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
}): PrivacyEngine | null {
  if (w.storage === null) return null;
  const { storage, supervisor, persistence, clock } = w;
  return new PrivacyEngine({
    store: storage.memberData(clock),
    chats: memberChats(supervisor, persistence, clock),
    memories: memoryEraser(w.memory, w.ownMemory),
    pseudonym: (value) => storage.cipher.pseudonym(value),
    audit: w.audit,
    clock,
    logger: w.logger,
    retentionMessagesDays: w.config.RETENTION_MESSAGES_DAYS,
    retentionAuditDays: w.config.RETENTION_AUDIT_DAYS,
  });
}

/** Runs retention every hour on the scheduler (one process at a time), and erasures a crash cut short. */
export async function scheduleRetention(scheduler: Scheduler, privacy: PrivacyEngine, clock: Clock): Promise<void> {
  scheduler.handle(
    RETENTION_JOB,
    async () => {
      await privacy.applyRetention();
    },
    { idempotent: true, timeoutMs: 25_000 },
  );
  await scheduler.ensureRecurring({
    kind: RETENTION_JOB,
    key: RETENTION_JOB,
    dueAtMs: clock.now(),
    schedule: { kind: 'every', everyMs: RETENTION_EVERY_MS },
    missedRuns: 'skip',
  });
}

/**
 * The chats' state as the privacy engine reaches it. A chat that is neither
 * in memory nor stored is skipped rather than created: asking it would
 * spawn an empty actor and store a snapshot where there was none.
 */
function memberChats(supervisor: Chats, persistence: RuntimePersistence | undefined, clock: Clock): MemberChats {
  const exists = async (chatId: number): Promise<boolean> =>
    supervisor.isLive(chatId) || persistence === undefined || (await persistence.load(chatId)) !== undefined;
  return {
    async exportFrom(chatId, userId) {
      if (!supervisor.isLive(chatId)) {
        const stored = await persistence?.load(chatId);
        if (stored !== undefined) return toJson(memberChatData(stored.chat, userId, clock.now()));
        if (persistence !== undefined) return null;
      }
      return toJson(await supervisor.ask(chatId, (reply) => ({ type: 'GetMemberData', userId, reply }), CHAT_ASK_MS));
    },
    async forget(chatId, userId) {
      if (!(await exists(chatId))) return;
      await supervisor.ask<boolean>(chatId, (reply) => ({ type: 'ForgetMember', userId, reply }), CHAT_ASK_MS);
      // Also when nothing changed now: a run cut short may have erased the state without waiting for its write.
      // Written behind to Redis first, then Postgres: resolved once both tiers hold the erased state.
      if (persistence !== undefined) await persistence.afterFlush(chatId);
    },
  };
}

function toJson(value: object | null): Record<string, unknown> | null {
  return value === null ? null : (value as unknown as Record<string, unknown>);
}

function memoryEraser(memory: MemoryPort, own: MemoryService | null): MemberMemoryEraser {
  return {
    forgetUser: (userId) => memory.forgetUser(userId),
    // A memory port handed in by a test or bench may not offer it; the runtime's own service does.
    forgetChat: (chatId) => (own === null ? memory.forgetUser(chatId, chatId) : own.forgetChat(chatId)),
  };
}

/**
 * The `/mydata` and `/forgetme` commands' desk. Plugins are opened before
 * the chat actors the engine visits exist, so the engine is bound later;
 * until then (and in a process without storage) the commands answer that
 * they cannot run.
 */
export class PrivacyDeskBinding implements PrivacyDesk {
  private engine: PrivacyEngine | null = null;
  private sender: Pick<TelegramSender, 'sendDocument'> | null = null;

  bind(engine: PrivacyEngine | null, sender: Pick<TelegramSender, 'sendDocument'>): void {
    this.engine = engine;
    this.sender = sender;
  }

  async sendExport(userId: number): Promise<ExportDelivery> {
    const { engine, sender } = this.ready();
    let data: MemberExport;
    try {
      data = await engine.exportMember(userId);
    } catch (error) {
      if (error instanceof MemberDataNotFoundError) return 'nothing-stored';
      throw error;
    }
    try {
      await sender.sendDocument(userId, {
        fileName: `lekha-my-data-${data.exportedAt.slice(0, 10)}.json`,
        bytes: new TextEncoder().encode(JSON.stringify(data, null, 2)),
        caption: 'lekha-member-data/1',
      });
    } catch (error) {
      // 403: the member never started the bot; 400 "chat not found": Telegram has no private chat with them either.
      if (error instanceof TelegramSendFailedError && (error.errorCode === 403 || error.errorCode === 400))
        return 'private-chat-closed';
      throw error;
    }
    return 'sent';
  }

  async erase(userId: number): Promise<void> {
    await this.ready().engine.erase(userId, MEMBER_REQUESTER);
  }

  private ready(): { engine: PrivacyEngine; sender: Pick<TelegramSender, 'sendDocument'> } {
    if (this.engine === null || this.sender === null)
      throw new PluginFailure(
        'Здесь это не работает: бот запущен без хранилища. / Not available: the bot runs without storage.',
        { upstreamFault: false },
      );
    return { engine: this.engine, sender: this.sender };
  }
}
