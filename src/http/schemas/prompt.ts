import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';
import { DateTime } from './pagination.js';

/** A recalled memory as it went into a prompt, with the figures it was ranked by. */
export const PromptMemory = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['fact', 'message', 'bot']),
  text: Type.String(),
  fromId: Type.Integer(),
  at: DateTime,
  similarity: Type.Number(),
  feedback: Type.Number(),
  score: Type.Number(),
});
export type PromptMemory = Static<typeof PromptMemory>;

/** The last prompt a chat sent to the model (debug view). */
export const DebugPrompt = Type.Object({
  triggerId: Type.Integer({ description: 'the message being answered' }),
  builtAt: DateTime,
  version: Type.String({
    description:
      'the prompt template and the persona that built it, and the A/B experiment and variant that chose the persona: `lekha-persona/3 Лёха@1 exp 4/short`',
  }),
  persona: Type.String({ description: "the persona's name@version" }),
  experiment: Nullable(
    Type.Object(
      { id: Type.Integer(), variant: Type.String() },
      { description: 'the A/B experiment and variant that chose the persona; null outside one' },
    ),
  ),
  description: Type.String({
    description: 'template version, style rules with their reasons, slang, memories and history used',
  }),
  messages: Type.Array(Type.Object({ role: Type.Enum(['system', 'user', 'assistant']), content: Type.String() })),
  memories: Type.Array(PromptMemory),
  recall: Type.Enum(['answered', 'timed-out', 'failed', 'skipped'], {
    description: 'how the memory recall for this prompt went',
  }),
});
export type DebugPrompt = Static<typeof DebugPrompt>;
