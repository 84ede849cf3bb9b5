import type { DeadLetter, DeadLetterAdmin, DeadLetterStore, DeadLetterSummary, ReplayOutcome } from '../ports/index.js';
import type { Clock, Logger, TimerHandle } from '../runtime/index.js';
import type { TelegramUpdate } from './update-schema.js';

export interface DeadLetterOfficeOptions {
  store: DeadLetterStore;
  /** Hands an update to its chat again; resolves once its turn has run and its effects are durable. */
  replay(chatId: number, updateId: number, update: TelegramUpdate): Promise<void>;
  clock: Clock;
  logger?: Logger;
}

/**
 * What admins do with dead letters: list them without their content,
 * replay one into its chat (the letter is removed only once the replayed
 * turn is durable, so a crash in between keeps it), or discard one.
 */
export class DeadLetterOffice implements DeadLetterAdmin {
  constructor(private readonly options: DeadLetterOfficeOptions) {}

  async list(query: {
    chatId?: number | undefined;
    afterId?: number | undefined;
    limit: number;
  }): Promise<DeadLetterSummary[]> {
    const letters = await this.options.store.list({
      limit: query.limit,
      ...(query.chatId === undefined ? {} : { chatId: query.chatId }),
      ...(query.afterId === undefined ? {} : { afterId: query.afterId }),
    });
    return letters.map(summaryOf);
  }

  count(): Promise<number> {
    return this.options.store.count();
  }

  /**
   * Rejects with `ActorQuarantinedError` while the chat is quarantined (or
   * when it is quarantined again by this update: the letter is then kept).
   */
  async replay(id: number, waitMs: number): Promise<ReplayOutcome> {
    const { store, clock, logger } = this.options;
    const letter = await store.get(id);
    if (letter === undefined) return 'not-found';
    const done = this.options.replay(letter.chatId, letter.updateId, letter.update as TelegramUpdate).then(async () => {
      await store.remove(id);
      logger?.info({ chatId: letter.chatId, updateId: letter.updateId }, 'dead letter replayed');
    });
    let timer: TimerHandle | undefined;
    const waited = new Promise<'pending'>((resolve) => {
      timer = clock.setTimer(() => resolve('pending'), waitMs);
    });
    let outcome: ReplayOutcome;
    try {
      outcome = await Promise.race([done.then(() => 'replayed' as const), waited]);
    } finally {
      if (timer !== undefined) clock.clearTimer(timer);
    }
    // Past the wait the outcome is only logged: the letter stays when the replay failed.
    if (outcome === 'pending') {
      done.catch((error: unknown) =>
        logger?.warn(
          { err: error, chatId: letter.chatId, updateId: letter.updateId },
          'dead letter replay did not finish',
        ),
      );
    }
    return outcome;
  }

  discard(id: number): Promise<boolean> {
    return this.options.store.remove(id);
  }
}

function summaryOf(letter: DeadLetter): DeadLetterSummary {
  const { kind, messageId } = describeUpdate(letter.update);
  return {
    id: letter.id,
    chatId: letter.chatId,
    updateId: letter.updateId,
    kind,
    messageId,
    reason: letter.reason,
    failedAt: new Date(letter.failedAtMs).toISOString(),
  };
}

function describeUpdate(update: unknown): { kind: string; messageId: number | null } {
  if (typeof update !== 'object' || update === null) return { kind: 'unknown', messageId: null };
  const kind = Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
  const body = (update as Record<string, unknown>)[kind];
  const messageId =
    typeof body === 'object' && body !== null ? (body as { message_id?: unknown }).message_id : undefined;
  return { kind, messageId: typeof messageId === 'number' ? messageId : null };
}
