import { CHAT_SNAPSHOTS, type ChatMsg, type ChatState, hasReplyInFlight } from './actors/index.js';
import { Backoff, type Clock, type Logger, type TimerHandle } from './runtime/index.js';
import { type SnapshotFence, SnapshotFormat, type Storage } from './storage/index.js';
import type { Supervisor } from './supervisor/index.js';
import type { Durability } from './telegram/index.js';

/**
 * Where chat state is persisted: the supervisor's load/persist hooks plus
 * "is this chat's state durable yet" for the no-loss guarantees. Storage's
 * write-behind provides it; without one, state lives in memory only.
 */
export interface RuntimePersistence extends Durability<number> {
  load(chatId: number): ChatState | undefined | Promise<ChatState | undefined>;
  persist(chatId: number, state: ChatState): void | Promise<void>;
  /** Starts writing behind (it takes dirty state from the supervisor). */
  attach(supervisor: Supervisor<number, ChatMsg, ChatState>): void;
  /** Flushes what is left; called after the supervisor has shut down. */
  close(): Promise<void>;
  /** Takes changed states now and resolves once everything pending is durable (a cluster hand-over). */
  flush(): Promise<void>;
  /** Drops pending snapshots of the chats `lost` picks (a cluster lease lost); returns how many. */
  discard(lost: (chatId: number) => boolean): number;
  /** Chats whose durable state has a reply in flight (`hasReplyInFlight`). */
  unfinished(): Promise<number[]>;
}

const KEY_PREFIX = 'chat:';

/** The chat a stored key belongs to; null for a key that is not a chat's. */
function chatIdOf(key: string): number | null {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const chatId = Number(key.slice(KEY_PREFIX.length));
  return Number.isSafeInteger(chatId) ? chatId : null;
}

/**
 * Chat snapshots written behind to storage; `close` is left to
 * `storage.close`, which writes what is pending. In cluster mode `fence`
 * gives the lease epoch each chat's snapshot is written under (null: not
 * this member's to write).
 */
export async function storagePersistence(
  storage: Storage,
  options: { fence?: (chatId: number) => SnapshotFence | null } = {},
): Promise<RuntimePersistence> {
  const snapshots = await storage.writeBehind<number, ChatState>({
    format: new SnapshotFormat<ChatState>(CHAT_SNAPSHOTS),
    keyOf: (chatId) => `${KEY_PREFIX}${chatId}`,
    unfinished: hasReplyInFlight,
    ...(options.fence === undefined ? {} : { fence: options.fence }),
  });
  return {
    load: (chatId) => snapshots.load(chatId),
    persist: (chatId, state) => snapshots.persist(chatId, state),
    afterFlush: (chatId) => snapshots.afterFlush(chatId),
    attach: (supervisor) => snapshots.start(supervisor),
    close: () => snapshots.flush(),
    flush: () => snapshots.flush(),
    discard: (lost) =>
      snapshots.discard((key) => {
        const chatId = chatIdOf(key);
        return chatId !== null && lost(chatId);
      }),
    unfinished: async () =>
      (await snapshots.unfinishedKeys(KEY_PREFIX)).map(chatIdOf).filter((chatId) => chatId !== null),
  };
}

/**
 * Starts the chats `which` picks whose durable state has a reply in flight:
 * their actors go on with it as they start, instead of waiting for the
 * chat's next message (which may never come). Run once updates flow after a
 * start, and in cluster mode for every partition a member takes. Returns
 * how many actors it started (a chat already in memory needs none).
 */
export async function wakeUnfinishedChats(
  persistence: RuntimePersistence,
  supervisor: Supervisor<number, ChatMsg, ChatState>,
  which: (chatId: number) => boolean = () => true,
): Promise<number> {
  let woken = 0;
  for (const chatId of await persistence.unfinished()) if (which(chatId) && supervisor.wake(chatId)) woken++;
  return woken;
}

/**
 * {@link wakeUnfinishedChats} for every chat, at a start: when the list
 * cannot be read it says so and tries again after a backoff (1 s, doubling
 * up to a minute) until it could; until then those chats go on at their
 * next message. Returns what stops the retries (the runtime stopping).
 */
export function wakeUnfinishedChatsAtStart(
  persistence: RuntimePersistence,
  supervisor: Supervisor<number, ChatMsg, ChatState>,
  clock: Clock,
  logger: Logger,
): () => void {
  const backoff = new Backoff({ minMs: 1000, maxMs: 60_000 });
  let timer: TimerHandle | null = null;
  let stopped = false;
  const attempt = (): void => {
    timer = null;
    wakeUnfinishedChats(persistence, supervisor).then(
      (chats) => {
        if (chats > 0) logger.info({ chats }, 'chats with a reply in flight started: their replies go on');
      },
      (error: unknown) => {
        if (stopped) return;
        const retryInMs = backoff.next();
        logger.error(
          { err: error, retryInMs },
          'chats with a reply in flight could not be listed; trying again (until then each goes on at its next message)',
        );
        timer = clock.setTimer(attempt, retryInMs);
      },
    );
  };
  attempt();
  return () => {
    stopped = true;
    if (timer !== null) clock.clearTimer(timer);
  };
}
