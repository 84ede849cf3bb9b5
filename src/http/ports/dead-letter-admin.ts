export type { DeadLetterAdmin, DeadLetterSummary, ReplayOutcome } from '../../ports/index.js';
