import type { Clock, Logger } from '../../runtime/index.js';
import type { ChatDirectory } from '../ports/chat-directory.js';
import type { RuntimeStatsSource } from '../ports/runtime-stats-source.js';

export interface KnownChatsOptions {
  directory: Pick<ChatDirectory, 'countChats'>;
  runtime: RuntimeStatsSource;
  clock: Pick<Clock, 'now'>;
  /** How long one count of the directory is used (default 5 s): the figure is polled by every open dashboard. */
  cacheMs?: number | undefined;
  logger?: Logger | undefined;
}

/**
 * How many chats the bot knows: every chat stored in the chat directory
 * (which outlives restarts and passivation), or the chats this process
 * holds when that is more (a new chat's row is written behind, a moment
 * after its first message). The supervisor alone only knows the chats it
 * has touched since the process started.
 */
export class KnownChats {
  private stored = 0;
  private freshUntilMs = Number.NEGATIVE_INFINITY;
  private counting: Promise<void> | null = null;
  /** Counts of the directory that failed (the last good count is kept meanwhile). */
  failures = 0;

  constructor(private readonly options: KnownChatsOptions) {}

  /** Counts the directory again unless the last count is still fresh; never throws. */
  refresh(): Promise<void> {
    const { clock, directory, logger } = this.options;
    if (clock.now() < this.freshUntilMs) return Promise.resolve();
    const cacheMs = this.options.cacheMs ?? 5000;
    // Concurrent polls share one count.
    this.counting ??= directory
      .countChats()
      .then(
        (count) => {
          this.stored = count;
        },
        (error: unknown) => {
          // The stats must answer while the database is away: the last count stands, and the failure is counted and logged.
          this.failures++;
          logger?.warn({ err: error }, 'could not count the stored chats; showing the last count');
        },
      )
      .finally(() => {
        this.freshUntilMs = clock.now() + cacheMs;
        this.counting = null;
      });
    return this.counting;
  }

  count(): number {
    return Math.max(this.stored, this.options.runtime.stats().total);
  }
}
