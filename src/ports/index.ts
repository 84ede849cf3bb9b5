export type { DeadLetter, DeadLetterAdmin, DeadLetterStore, DeadLetterSummary, NewDeadLetter, ReplayOutcome } from './dead-letters.js';
