import { z } from 'zod';
import { fnv1a } from '../runtime/index.js';

/** A tool call as the chat completions API writes it. */
export interface EmulatedToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

/** A function tool as a request offers it (Groq takes at most 128). */
export const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be a-z, A-Z, 0-9, underscores and dashes, at most 64'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().optional(),
  }),
});
export type OfferedTool = z.infer<typeof toolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);
export type ToolChoiceParam = z.infer<typeof toolChoiceSchema>;

/** The message fields the tool rules look at. */
export interface ConversationMessage {
  role: string;
  content?: unknown;
  tool_calls?: EmulatedToolCall[] | undefined;
  tool_call_id?: string | undefined;
}

/**
 * The rules the real API applies to a conversation with tools, as a 400
 * message naming the field, or null when it is fine: tool names are unique;
 * `tool_choice` needs tools and a named choice must be one of them; only an
 * assistant message carries `tool_calls`, and then its content may be
 * empty; a `tool` message has a `tool_call_id` answering a call of the
 * assistant message right before it (other tool messages aside), and every
 * call of that assistant message is answered.
 */
export function checkToolConversation(
  messages: readonly ConversationMessage[],
  tools: readonly OfferedTool[] | undefined,
  toolChoice: ToolChoiceParam | undefined,
): string | null {
  const names = new Set<string>();
  for (const [i, tool] of (tools ?? []).entries()) {
    if (names.has(tool.function.name)) return `'tools.${i}.function.name': duplicate tool name '${tool.function.name}'`;
    names.add(tool.function.name);
  }
  if (toolChoice !== undefined && toolChoice !== 'none' && names.size === 0)
    return "'tool_choice': tool_choice is only allowed when 'tools' are specified";
  if (typeof toolChoice === 'object' && !names.has(toolChoice.function.name))
    return `'tool_choice': no tool named '${toolChoice.function.name}' in 'tools'`;
  let open: { index: number; ids: Set<string> } | null = null;
  for (const [i, m] of messages.entries()) {
    if (m.role === 'tool') {
      if (m.tool_call_id === undefined)
        return `'messages.${i}': for 'role:tool' the following must be satisfied: property 'tool_call_id' is missing`;
      if (typeof m.content !== 'string' && !Array.isArray(m.content))
        return `'messages.${i}.content': for 'role:tool' content is required`;
      if (open === null || !open.ids.delete(m.tool_call_id))
        return `'messages.${i}.tool_call_id': '${m.tool_call_id}' does not answer a tool call of the preceding assistant message`;
      continue;
    }
    if (open !== null && open.ids.size > 0) return unanswered(open.index, open.ids);
    open = null;
    if (m.tool_calls !== undefined) {
      if (m.role !== 'assistant')
        return `'messages.${i}.tool_calls': only 'role:assistant' messages may carry tool calls`;
      if (m.tool_calls.length === 0) return `'messages.${i}.tool_calls': must not be empty`;
      open = { index: i, ids: new Set(m.tool_calls.map((c) => c.id)) };
    } else if (m.content === undefined || (m.role === 'assistant' && m.content === null)) {
      return `'messages.${i}.content': content is required unless 'tool_calls' is given`;
    }
  }
  if (open !== null && open.ids.size > 0) return unanswered(open.index, open.ids);
  return null;
}

function unanswered(index: number, ids: Set<string>): string {
  return (
    `'messages.${index}': an assistant message with 'tool_calls' must be followed by tool messages responding to each ` +
    `'tool_call_id'; these have none: ${[...ids].join(', ')}`
  );
}

/**
 * What a request that offers tools is answered with, scripted by a test:
 * - `call`: these calls (`arguments` as an object is sent as JSON text; as
 *   a string, verbatim, so malformed JSON can be scripted);
 * - `raw`: these `tool_calls` entries verbatim (malformed shapes);
 * - `tool-use-failed`: 400 `tool_use_failed`, as Groq answers when it cannot
 *   parse the call the model wrote;
 * - `text`: a plain answer, as if no tool fit.
 *
 * Each script serves `count` requests (default 1), in order; it applies only
 * to requests that offer tools and allow a call (`tool_choice` not `none`),
 * including those that end with tool results (a model that keeps calling).
 */
export const toolScriptSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('call'),
    calls: z
      .array(
        z.object({
          name: z.string().min(1),
          arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
        }),
      )
      .min(1),
    count: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal('raw'), toolCalls: z.array(z.unknown()), count: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('tool-use-failed'), count: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('text'), count: z.number().int().positive().optional() }),
]);
export type ToolScript = z.infer<typeof toolScriptSchema>;

/** Scripted tool answers in order, each for its `count` requests. */
export class ToolScriptPlan {
  private scripts: Array<{ script: ToolScript; left: number }> = [];

  add(script: ToolScript): void {
    this.scripts.push({ script, left: script.count ?? 1 });
  }

  clear(): void {
    this.scripts = [];
  }

  take(): ToolScript | null {
    const next = this.scripts[0];
    if (next === undefined) return null;
    if (--next.left <= 0) this.scripts.shift();
    return next.script;
  }
}

/** The calls of a `call` script in the API's shape, with ids derived from the prompt. */
export function scriptedCalls(script: Extract<ToolScript, { kind: 'call' }>, prompt: string): EmulatedToolCall[] {
  return script.calls.map((c, i) => ({
    id: callId(prompt, c.name, i),
    type: 'function',
    function: {
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
}

/**
 * The emulator's default choice of a tool for the text being answered.
 * A tool fits when its name, or a keyword of its description (a word of at
 * least five letters among its first three), appears in the text; a text
 * word matches a keyword when it starts with the keyword's first five
 * letters, so "погоды" matches "погода". Russian words for what the
 * integrations do (погода, курс, фильм, рецепт…) stand for their tools'
 * names, as a model would understand them. The first fitting tool in the
 * request's order is called. A named `tool_choice` calls that tool;
 * `required` calls the first tool when none fits.
 *
 * Arguments are filled from the schema's required properties: strings get
 * the rest of the text after the matching word (punctuation and a leading
 * preposition trimmed; the whole text when nothing follows), numbers the first number in the text
 * (1 without one), booleans `true`, enums their first value.
 */
export function chooseToolCall(
  text: string,
  tools: readonly OfferedTool[],
  choice: ToolChoiceParam | undefined,
  prompt: string,
): EmulatedToolCall | null {
  const words = [...text.matchAll(/[\p{L}\p{N}_-]+/gu)];
  let tool: OfferedTool | undefined;
  let after = -1;
  if (typeof choice === 'object') {
    tool = tools.find((t) => t.function.name === choice.function.name);
  } else {
    for (const candidate of tools) {
      const at = matchingWord(words, candidate);
      if (at !== null) {
        tool = candidate;
        after = at;
        break;
      }
    }
    if (tool === undefined && choice === 'required') tool = tools[0];
  }
  if (tool === undefined) return null;
  const rest = after >= 0 ? trimPunctuation(text.slice(after)).replace(LEADING_PREPOSITION, '') : '';
  const args = fillArguments(tool.function.parameters, rest === '' ? trimPunctuation(text) : rest, text);
  return {
    id: callId(prompt, tool.function.name, 0),
    type: 'function',
    function: { name: tool.function.name, arguments: JSON.stringify(args) },
  };
}

/** The end offset of the first text word that names the tool or matches a keyword of its description. */
function matchingWord(words: readonly RegExpMatchArray[], tool: OfferedTool): number | null {
  const name = tool.function.name.toLowerCase();
  // The description's first words say what the tool is about; later ones ("today", "place") would match any chat.
  const stems = (tool.function.description ?? '')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((w) => w !== '')
    .slice(0, DESCRIPTION_WORDS)
    .filter((w) => w.length >= 5)
    .map((w) => w.slice(0, 5));
  for (const w of words) {
    const word = w[0].toLowerCase();
    if (word === name || stems.some((s) => word.startsWith(s))) return (w.index ?? 0) + w[0].length;
    if (RUSSIAN_TOOL_WORDS.some(([stem, tool]) => tool === name && word.startsWith(stem)))
      return (w.index ?? 0) + w[0].length;
  }
  return null;
}

/** How many of a tool description's first words are its keywords. */
const DESCRIPTION_WORDS = 3;

/** Russian stems a model reads as asking for a tool of that name. */
const RUSSIAN_TOOL_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['погод', 'weather'],
  ['прогноз', 'forecast'],
  ['курс', 'price'],
  ['почём', 'price'],
  ['фильм', 'movie'],
  ['кино', 'movie'],
  ['песн', 'song'],
  ['трек', 'song'],
  ['рецепт', 'recipe'],
  ['пригот', 'recipe'],
  ['маршрут', 'route'],
  ['доехат', 'route'],
  ['новост', 'news'],
  ['кубик', 'dice'],
  ['монет', 'coin'],
  ['виктор', 'quiz'],
  ['угада', 'guess'],
];

/** "in London", "в Москве": what a model leaves out of an argument. */
const LEADING_PREPOSITION = /^(?:in|at|for|of|about|в|во|на|для|про|о|об)\s+/iu;

function fillArguments(
  parameters: Record<string, unknown> | undefined,
  rest: string,
  text: string,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const properties = (parameters?.['properties'] ?? {}) as Record<string, { type?: unknown; enum?: unknown }>;
  const required = Array.isArray(parameters?.['required']) ? (parameters['required'] as unknown[]) : [];
  for (const name of required) {
    if (typeof name !== 'string') continue;
    const property = properties[name] ?? {};
    if (Array.isArray(property.enum) && property.enum.length > 0) args[name] = property.enum[0];
    else if (property.type === 'string') args[name] = rest;
    else if (property.type === 'integer' || property.type === 'number')
      args[name] = Number(/-?\d+(?:\.\d+)?/.exec(text)?.[0] ?? 1);
    else if (property.type === 'boolean') args[name] = true;
  }
  return args;
}

function trimPunctuation(text: string): string {
  return text.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

function callId(prompt: string, name: string, index: number): string {
  return `call_${fnv1a(`${prompt}\u0000${name}\u0000${index}`).toString(36)}`;
}

/** Tool results quoted in the answer are cut to this length each. */
const RESULT_CHARS = 300;

/** The answer once the conversation ends with tool results: it quotes them, so a test can see they reached it. */
export function answerFromToolResults(results: readonly string[], russian: boolean, opener: string): string {
  const quoted = results.map((r) => r.slice(0, RESULT_CHARS)).join('; ');
  return russian ? `${opener} вот что я выяснил: ${quoted}` : `${opener} here's what I found: ${quoted}`;
}
