import type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from '../ports/index.js';

/**
 * A {@link ChatArchive} that keeps nothing, for a runtime without storage
 * (tests and benches that run memory-only). Chat actors work the same either
 * way; only the admin API's chat list, search and exports stay empty.
 */
export const discardingArchive: ChatArchive = {
  chat(_row: ArchivedChat): void {},
  user(_row: ArchivedUser): void {},
  message(_row: ArchivedMessage): void {},
};
