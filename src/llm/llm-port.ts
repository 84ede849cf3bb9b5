import type { ToolCall, ToolSpec } from '../ports/index.js';

/** The languages a reply is asked in (and the offline responder speaks). */
export type ReplyLanguage = 'ru' | 'uk' | 'en';

/** Lines per language (`ru`, `uk`, `en`). */
export type LinesByLanguage = { readonly [L in 'ru' | 'uk' | 'en']?: readonly string[] | undefined };

/** What the offline responder says in a persona's words: when the model is unavailable, and when a budget is spent. */
export interface OfflineLines {
  unavailable?: LinesByLanguage | undefined;
  refusal?: LinesByLanguage | undefined;
}

/** A tool call as it travels in the conversation (OpenAI chat format). */
export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * One message of the conversation sent to the model (OpenAI chat format). An
 * assistant message may carry the tool calls the model asked for (its content
 * is then often empty); each call is answered by a `tool` message with the
 * call's id and the result.
 */
export type ChatTurn =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/**
 * `auto`: the model may call a tool or answer; `none`: the tools are listed
 * (the conversation may refer to earlier calls) but the model must answer in
 * text.
 */
export type ToolChoice = 'auto' | 'none';

export interface LlmRequest {
  /** The chat asking: at most one request per chat is in flight; daily budgets count per chat. */
  chatId: number;
  /** The user whose message triggered the reply: daily budgets count per user. */
  userId: number;
  messages: ChatTurn[];
  /**
   * The language the reply must be in, as the chat decided it (its setting,
   * else the message's). What the offline responder answers in; without it,
   * the language of the last user message.
   */
  language?: ReplyLanguage | undefined;
  maxTokens?: number;
  /**
   * The model to ask first (the chat persona's), instead of the gateway's
   * main one; the gateway's fallbacks still follow it. Unset: the main one.
   */
  model?: string | undefined;
  /**
   * The chat persona's own lines for the offline responder, per language,
   * instead of the built-in ones; a language it does not give falls back to them.
   */
  offline?: OfflineLines | undefined;
  /** Tools the model may call; none (or empty): a plain text answer. */
  tools?: readonly ToolSpec[];
  /** Default `auto` when tools are given. */
  toolChoice?: ToolChoice;
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
  /** The answer; empty when the model asked for tool calls instead. */
  text: string;
  /**
   * The calls the model asked for (source `groq`, only when the request
   * offered tools with `auto`). Arguments are passed on as the model wrote
   * them and may be malformed JSON; the caller checks them.
   */
  toolCalls?: ToolCall[];
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
