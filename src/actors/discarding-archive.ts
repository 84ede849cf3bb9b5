import type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from './chat-archive.js';

/**
 * A {@link ChatArchive} that keeps nothing, for a process without an archive
 * (tests, benches, and until storage's archive writer is wired in
 * `src/main.ts`: storage provides the real one). Chat actors work the same
 * either way; only the admin API's chat list, search and exports stay empty.
 */
export const discardingArchive: ChatArchive = {
  chat(_row: ArchivedChat): void {},
  user(_row: ArchivedUser): void {},
  message(_row: ArchivedMessage): void {},
};
