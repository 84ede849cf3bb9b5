import { type Static, Type } from 'typebox';
import { Nullable } from './nullable.js';

/** A persona the bot can take in a chat. */
export const PersonaInfo = Type.Object({
  name: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  id: Type.String({ description: 'name@version, as the debug prompt view shows it' }),
  aliases: Type.Array(Type.String(), { description: 'what it answers to; the Russian case forms of each count too' }),
  language: Type.Enum(['match', 'ru', 'uk', 'en'], {
    description: 'match: the language it is spoken to; else the one it always answers in',
  }),
  replyLength: Nullable(
    Type.Enum(['short', 'medium', 'long'], { description: 'null: the adaptive style alone decides' }),
  ),
  emoji: Nullable(Type.Enum(['none', 'rare', 'free'], { description: 'null: the style rules alone decide' })),
  model: Nullable(Type.String({ description: 'the model that writes its replies; null: GROQ_MODEL' })),
  character: Type.Array(Type.String(), { description: 'who it is, one line each; {name} stands for the name' }),
  styleRules: Type.Array(Type.String(), { description: 'how it writes, one line each' }),
  tunable: Type.Object(
    {
      replyLength: Type.Array(Type.Enum(['short', 'medium', 'long'])),
      emoji: Type.Array(Type.Enum(['none', 'rare', 'free'])),
      styleLines: Type.Integer({ minimum: 0, maximum: 5 }),
    },
    { description: "what a chat may tune of it (a chat's personaTuning setting)" },
  ),
  default: Type.Boolean({ description: 'the persona of every chat that has not chosen one' }),
  source: Type.Enum(['config', 'dashboard'], {
    description:
      'config: from PERSONA_FILE or the built-in default (change it there); dashboard: defined through the API',
  }),
});
export type PersonaInfo = Static<typeof PersonaInfo>;

/**
 * A persona as an operator defines it: the fields of a persona-file entry
 * without `version` (docs/personas.md). Checked in full by the persona
 * schema, whose messages name the field.
 */
export const PersonaDefinition = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: true, description: 'persona-file fields; version is numbered by the bot' },
);

/** One saved version of a dashboard persona. */
export const PersonaVersionView = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  definition: Type.Record(Type.String(), Type.Unknown()),
});
