/** One message of the conversation sent to the model (OpenAI chat format). */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  /** The chat asking: at most one request per chat is in flight; daily budgets count per chat. */
  chatId: number;
  /** The user whose message triggered the reply: daily budgets count per user. */
  userId: number;
  messages: ChatTurn[];
  maxTokens?: number;
}

/**
 * Where a reply came from:
 * - `groq`: the model answered;
 * - `offline`: the offline responder answered (no key, breaker open, Groq failing or over the account budget);
 * - `budget`: the chat or user spent its daily tokens; a short in-persona refusal, no model call.
 */
export type ReplySource = 'groq' | 'offline' | 'budget';

export type OfflineReason =
  'no-api-key' | 'breaker-open' | 'overloaded' | 'account-budget' | 'rate-limited' | 'failed' | 'rejected';

export interface LlmReply {
  text: string;
  source: ReplySource;
  /** Why the offline responder answered (source `offline`). */
  offlineReason?: OfflineReason;
  model?: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
}

/** What chat actors ask for a reply. Operational failures come back as offline replies, not errors. */
export interface LlmPort {
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmReply>;
}
