import type { ToolCall, ToolSpec } from '../ports/index.js';

/**
 * Rounds of tool calls one reply may make: after the last, the model is
 * asked for a plain answer with the tools withheld (`tool_choice: none`).
 * Each round costs a model call, so this bounds a reply's cost and time.
 */
export const MAX_TOOL_ROUNDS = 3;
/** Calls run per round; the model's further calls in that round are dropped. */
export const MAX_TOOL_CALLS_PER_ROUND = 3;
/** A tool result longer than this is cut before it goes into the prompt. */
export const TOOL_RESULT_CHARS = 2000;

/** One finished round: the calls the model asked for and what each returned, in the same order. */
export interface ToolRound {
  calls: ToolCall[];
  results: string[];
}

/** The round whose calls are running: a result is null until its call returns. */
export interface PendingToolRound {
  /** 1 for the first round of the reply. */
  round: number;
  calls: ToolCall[];
  results: Array<string | null>;
}

/** The calls of a round after {@link vetToolCalls}: those to run, and answers for the refused ones. */
export interface VettedCalls {
  round: PendingToolRound;
  /** The calls to run (known tool, arguments a JSON object). */
  runnable: ToolCall[];
  /** Calls answered without running: unknown tool or unreadable arguments. */
  refused: Array<{ name: string; reason: 'unknown-tool' | 'bad-arguments' }>;
  /** Calls beyond {@link MAX_TOOL_CALLS_PER_ROUND}, dropped. */
  dropped: number;
}

/**
 * Checks the calls the model asked for before any runs: a call to a tool
 * that was not offered, or with arguments that are not a JSON object, is
 * answered at once with a short error for the model (it can correct itself
 * in the next round); calls beyond the per-round limit are dropped (they do
 * not appear in the conversation sent back, so none is left unanswered).
 */
export function vetToolCalls(calls: readonly ToolCall[], tools: readonly ToolSpec[], round: number): VettedCalls {
  const kept = calls.slice(0, MAX_TOOL_CALLS_PER_ROUND);
  const runnable: ToolCall[] = [];
  const refused: VettedCalls['refused'] = [];
  const results = kept.map((call): string | null => {
    if (!tools.some((t) => t.name === call.name)) {
      refused.push({ name: call.name, reason: 'unknown-tool' });
      return toolErrorText('unknown-tool', tools);
    }
    if (!isJsonObject(call.arguments)) {
      refused.push({ name: call.name, reason: 'bad-arguments' });
      return toolErrorText('bad-arguments', tools);
    }
    runnable.push(call);
    return null;
  });
  return { round: { round, calls: kept, results }, runnable, refused, dropped: calls.length - kept.length };
}

/** Records a call's result in its round; returns whether the call belonged to it and was still waiting. */
export function recordToolResult(round: PendingToolRound, callId: string, result: string): boolean {
  const i = round.calls.findIndex((c) => c.id === callId);
  if (i < 0 || round.results[i] !== null) return false;
  round.results[i] = result.length > TOOL_RESULT_CHARS ? `${result.slice(0, TOOL_RESULT_CHARS)}…` : result;
  return true;
}

/** The round, finished: calls still waiting get the timeout text. */
export function closeToolRound(round: PendingToolRound): ToolRound {
  return { calls: round.calls, results: round.results.map((r) => r ?? toolErrorText('timed-out', [])) };
}

export function roundComplete(round: PendingToolRound): boolean {
  return round.results.every((r) => r !== null);
}

/**
 * What the model is told when a call could not give a result. In English:
 * it is read by the model, not the chat, and the model answers in the
 * chat's language anyway.
 */
export function toolErrorText(
  reason: 'unknown-tool' | 'bad-arguments' | 'timed-out' | 'failed',
  tools: readonly ToolSpec[],
): string {
  switch (reason) {
    case 'unknown-tool':
      return `error: no such tool; the tools are: ${tools.map((t) => t.name).join(', ')}`;
    case 'bad-arguments':
      return 'error: the arguments are not a JSON object matching the tool schema';
    case 'timed-out':
      return 'error: the tool did not answer in time';
    case 'failed':
      return 'error: the tool failed';
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    // Malformed JSON is an expected answer from a model, reported to it as such.
    return false;
  }
}
