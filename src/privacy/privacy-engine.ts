import type {
  AuditLog,
  ErasedRows,
  ErasureRecord,
  Identity,
  MemberChats,
  MemberDataStore,
  MemberMemoryEraser,
} from '../ports/index.js';
import { type Clock, InvalidOptionError, LekhaError, type Logger } from '../runtime/index.js';
import { EXPORT_NOTES, MEMBER_EXPORT_FORMAT, type MemberExport } from './member-export.js';

/** Who asked for an erasure, as its audit row names them. */
export type ErasureRequester = Identity;

/** A member asking from Telegram (`/forgetme confirm`): recorded under this identity, never their id. */
export const MEMBER_REQUESTER: ErasureRequester = { tokenId: 'member', label: 'member via /forgetme', role: 'viewer' };

/** The engine's own actor in audit rows of erasures it resumed after a restart. */
const RESUMED: ErasureRequester = { tokenId: 'privacy', label: 'erasure resumed after a restart', role: 'admin' };

export interface PrivacyEngineOptions {
  store: MemberDataStore;
  chats: MemberChats;
  memories: MemberMemoryEraser;
  /** A keyed pseudonym of a personal identifier (the storage's field cipher). */
  pseudonym(value: string): string;
  audit?: AuditLog | undefined;
  clock: Clock;
  logger?: Logger | undefined;
  /** Messages older than this many days are deleted by {@link PrivacyEngine.applyRetention}; 0 keeps them. */
  retentionMessagesDays: number;
  /** Audit rows older than this many days are deleted; 0 keeps them. */
  retentionAuditDays: number;
  /** Rows deleted per statement by retention (default 1000). */
  retentionBatch?: number;
}

/** What one erasure removed, by table and store; no personal data. */
export interface ErasureReport {
  erasureId: number;
  pseudonym: string;
  chats: number;
  memories: number;
  rows: ErasedRows;
}

/**
 * The steps of an erasure, in order. Each is idempotent, and the number done
 * is recorded after each, so an erasure cut short (a crash, a database
 * failure) resumes at the first step not recorded. Rows queued for the
 * append writer are written first so that none lands after the delete; chat
 * states are erased before the rows, because the rows say which chats to visit.
 */
const STEPS = ['flush appends', 'chat states', 'memories', 'rows'] as const;

const DAY_MS = 86_400_000;

/**
 * GDPR for Lekha: a member's data exported from every store, erased from
 * every store (durably, idempotently, resuming after a crash, audited under
 * a pseudonym), and retention of old messages and audit rows.
 */
export class PrivacyEngine {
  private readonly running = new Map<number, Promise<ErasureReport>>();

  constructor(private readonly options: PrivacyEngineOptions) {
    for (const name of ['retentionMessagesDays', 'retentionAuditDays'] as const) {
      const days = options[name];
      if (!Number.isInteger(days) || days < 0)
        throw new InvalidOptionError(name, `${name} must be a whole number of days (0: keep), got ${days}`);
    }
  }

  /** The pseudonym audit rows and erasure records use for the member. */
  pseudonymOf(userId: number): string {
    return this.options.pseudonym(String(userId));
  }

  /** Everything stored about the member; `MEMBER_DATA_NOT_FOUND` when nothing is. */
  async exportMember(userId: number): Promise<MemberExport> {
    const { store, chats, clock } = this.options;
    // What the member wrote until now is in the export, even rows still queued for the database.
    await store.flushAppends();
    const chatIds = await store.chatsOf(userId);
    const [stored, perChat] = await Promise.all([
      store.export(userId),
      Promise.all(chatIds.map((chatId) => chats.exportFrom(chatId, userId))),
    ]);
    const data: MemberExport = {
      format: MEMBER_EXPORT_FORMAT,
      userId,
      exportedAt: new Date(clock.now()).toISOString(),
      ...stored,
      chats: perChat.filter((c): c is Record<string, unknown> => c !== null),
      notes: EXPORT_NOTES,
    };
    if (isEmpty(data)) throw new MemberDataNotFoundError();
    return data;
  }

  /**
   * Erases the member everywhere and resolves with what was removed. The
   * erasure is recorded first, so a crash midway is finished by
   * {@link resumeUnfinished} at the next start. Erasing a member with
   * nothing stored succeeds and removes nothing (idempotent).
   */
  async erase(userId: number, requester: ErasureRequester): Promise<ErasureReport> {
    const record = await this.options.store.openErasure(userId, this.pseudonymOf(userId));
    return this.run(record, requester);
  }

  /** Finishes every erasure a crash or a failure cut short; returns how many it finished. */
  async resumeUnfinished(): Promise<number> {
    const unfinished = await this.options.store.unfinishedErasures();
    let finished = 0;
    for (const record of unfinished) {
      if (this.running.has(record.id)) continue;
      try {
        await this.run(record, RESUMED);
        finished++;
      } catch (error) {
        this.options.logger?.error(
          { err: summary(error), erasureId: record.id },
          'an unfinished erasure failed again; it is retried at the next retention run or start',
        );
      }
    }
    return finished;
  }

  /**
   * Deletes messages (and the bot's replies, with their signals) and audit rows older than their retention, in batches
   * (each a short statement, so chats keep writing meanwhile), and finishes
   * erasures left unfinished. Returns how many rows went.
   */
  async applyRetention(): Promise<{ messages: number; replies: number; audit: number; erasuresResumed: number }> {
    const { store, clock, retentionMessagesDays, retentionAuditDays } = this.options;
    const batch = this.options.retentionBatch ?? 1000;
    const now = clock.now();
    const drain = async (days: number, prune: (beforeMs: number, limit: number) => Promise<number>) => {
      if (days === 0) return 0;
      let total = 0;
      for (;;) {
        const deleted = await prune(now - days * DAY_MS, batch);
        total += deleted;
        if (deleted < batch) return total;
      }
    };
    // The bot's replies quote the conversation: they are kept no longer than the messages they answer.
    const replies = await drain(retentionMessagesDays, (before, limit) => store.pruneReplies(before, limit));
    const messages = await drain(retentionMessagesDays, (before, limit) => store.pruneMessages(before, limit));
    const audit = await drain(retentionAuditDays, (before, limit) => store.pruneAudit(before, limit));
    const erasuresResumed = await this.resumeUnfinished();
    if (messages > 0 || replies > 0 || audit > 0)
      this.options.logger?.info({ messages, replies, audit }, 'retention deleted old rows');
    return { messages, replies, audit, erasuresResumed };
  }

  private run(record: ErasureRecord, requester: ErasureRequester): Promise<ErasureReport> {
    let running = this.running.get(record.id);
    if (running === undefined) {
      running = this.steps(record, requester).finally(() => this.running.delete(record.id));
      this.running.set(record.id, running);
    }
    return running;
  }

  private async steps(record: ErasureRecord, requester: ErasureRequester): Promise<ErasureReport> {
    const { store, chats, memories, logger } = this.options;
    const userId = record.userId;
    const report: ErasureReport = {
      erasureId: record.id,
      pseudonym: record.pseudonym,
      chats: 0,
      memories: 0,
      rows: {},
    };
    if (userId === null) return report;
    for (let step = record.step; step < STEPS.length; step++) {
      switch (STEPS[step]) {
        case 'flush appends':
          await store.flushAppends();
          break;
        case 'chat states': {
          const chatIds = await store.chatsOf(userId);
          await Promise.all(chatIds.map((chatId) => chats.forget(chatId, userId)));
          report.chats = chatIds.length;
          break;
        }
        case 'memories':
          report.memories = (await memories.forgetUser(userId)) + (await memories.forgetChat(userId));
          break;
        case 'rows':
          report.rows = await store.eraseRows(userId, record.pseudonym);
          break;
      }
      await store.markStep(record.id, step + 1);
    }
    await store.finishErasure(record.id);
    logger?.info({ erasureId: record.id, member: record.pseudonym }, 'member erased');
    await this.audited(requester, report);
    return report;
  }

  private async audited(requester: ErasureRequester, report: ErasureReport): Promise<void> {
    const { audit, clock, logger } = this.options;
    if (audit === undefined) return;
    try {
      await audit.append({
        at: new Date(clock.now()).toISOString(),
        actor: requester,
        action: 'privacy.erase.done',
        target: `user:~${report.pseudonym}`,
        ip: 'local',
        userAgent: null,
        outcome: 'ok',
        statusCode: 0,
        details: { erasureId: report.erasureId, chats: report.chats, memories: report.memories, rows: report.rows },
      });
    } catch (error) {
      // The erasure is done and recorded in privacy_erasures; only its audit row is missing.
      logger?.error(
        { err: summary(error), erasureId: report.erasureId },
        'audit row of a finished erasure not written',
      );
    }
  }
}

/** Nothing is stored about the user id asked for. */
export class MemberDataNotFoundError extends LekhaError {
  declare readonly code: 'MEMBER_DATA_NOT_FOUND';

  constructor() {
    super('MEMBER_DATA_NOT_FOUND', 'nothing is stored about that user id', { retryable: false });
  }
}

function isEmpty(data: MemberExport): boolean {
  return (
    data.user === null &&
    data.chats.length === 0 &&
    data.memberships.length === 0 &&
    data.messages.length === 0 &&
    data.memories.length === 0 &&
    data.reminders.length === 0 &&
    data.deadLetters.length === 0
  );
}

function summary(error: unknown): string {
  return error instanceof LekhaError ? error.code : error instanceof Error ? error.name : 'error';
}
