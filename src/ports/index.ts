export type { ArchivedChat, ArchivedMessage, ArchivedUser, ChatArchive } from './chat-archive.js';
export type { FeedbackUpdate, IndexStamp, MemoryItem, MemoryKind, MemoryStore, NewMemory } from './memory-store.js';
export type { DeadLetter, DeadLetterAdmin, DeadLetterStore, DeadLetterSummary, NewDeadLetter, ReplayOutcome } from './dead-letters.js';
