import type { ChatMode } from './chat-settings.js';
import type { ViolationKind } from './message-filters.js';
import type { PiiKind } from './pii-detector.js';

/**
 * What happened while processing a message, for metrics and logs. Events
 * carry ids and kinds only, never message text or personal data.
 */
export type ChatEvent =
  | { type: 'DuplicateIgnored'; messageId: number }
  | { type: 'ViolationFound'; kind: ViolationKind; userId: number }
  | { type: 'ChatFloodDetected' }
  | { type: 'PiiRedacted'; kinds: PiiKind[] }
  | { type: 'RateLimited'; userId: number; warned: boolean }
  | { type: 'ReplyCoalesced'; triggerId: number; intoTriggerId: number }
  | { type: 'ReplyAbandoned'; triggerId: number }
  | { type: 'MemberJoined'; userId: number }
  | { type: 'InsultDetected'; from: number; to: number; messageId: number }
  | { type: 'ModeChanged'; mode: ChatMode; by: number };
