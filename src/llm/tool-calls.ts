import type { ChatCompletionTool } from 'groq-sdk/resources/chat/completions';
import { z } from 'zod';
import type { ToolCall, ToolSpec } from '../ports/index.js';

/** The tools of a request as groq-sdk takes them. */
export function toGroqTools(tools: readonly ToolSpec[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

/** The shape we accept from the response; anything else is a malformed call. */
const wireCall = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.unknown().optional() }),
});

/** Tool calls read from a model response, and how many entries could not be read. */
export interface ReadToolCalls {
  calls: ToolCall[];
  malformed: number;
}

/**
 * Reads the `tool_calls` of a model response. The SDK types them but does
 * not check them, and models do write odd things: an entry without a
 * function name is dropped (counted as malformed); a missing id gets one of
 * ours, so the result can still be matched to its call; arguments written as
 * an object rather than JSON text are turned into JSON text. Arguments that
 * are not valid JSON are passed on as they are, for the caller to refuse.
 */
export function readToolCalls(raw: unknown): ReadToolCalls {
  if (raw === undefined || raw === null) return { calls: [], malformed: 0 };
  if (!Array.isArray(raw)) return { calls: [], malformed: 1 };
  const calls: ToolCall[] = [];
  let malformed = 0;
  const seen = new Set<string>();
  raw.forEach((entry: unknown, i) => {
    const parsed = wireCall.safeParse(entry);
    if (!parsed.success || (parsed.data.type !== undefined && parsed.data.type !== 'function')) {
      malformed++;
      return;
    }
    const { id, function: fn } = parsed.data;
    let callId = id !== undefined && id.length > 0 ? id : `call_${i}`;
    if (seen.has(callId)) callId = `${callId}_${i}`;
    seen.add(callId);
    calls.push({ id: callId, name: fn.name, arguments: argumentsText(fn.arguments) });
  });
  return { calls, malformed };
}

function argumentsText(value: unknown): string {
  if (value === undefined || value === null) return '{}';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
