import type { ReplyLedger, ReplyRecord, ReplySignal } from '../ports/index.js';

/**
 * A {@link ReplyLedger} that keeps nothing, for a runtime without storage.
 * Chat actors reply the same either way; only experiment readouts stay empty.
 */
export const discardingReplyLedger: ReplyLedger = {
  reply(_row: ReplyRecord): void {},
  signal(_row: ReplySignal): void {},
};
