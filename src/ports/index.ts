export type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from './chat-archive.js';
export type { DeadLetter, DeadLetterAdmin, DeadLetterStore, DeadLetterSummary, NewDeadLetter, ReplayOutcome } from './dead-letters.js';
