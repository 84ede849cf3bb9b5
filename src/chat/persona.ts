import { z } from 'zod';
import { DEFAULT_BOT_NAMES } from './bot-address.js';
import { LekhaError } from '../runtime/index.js';
import { declineName } from './name-declension.js';

/** The languages a persona can be held to; `match` answers in the language it is spoken to. */
export const PERSONA_LANGUAGES = ['match', 'ru', 'uk', 'en'] as const;

/** Reply length a persona asks for, as words in the prompt and a cap on the model's answer. */
export const REPLY_LENGTHS = {
  short: { instruction: 'Keep your messages short: one or two sentences.', maxTokens: 160 },
  medium: { instruction: 'Keep your messages to a short paragraph at most.', maxTokens: 320 },
  long: { instruction: 'You may write a few paragraphs when the question deserves it.', maxTokens: 800 },
} as const;

export const EMOJI_RULES = {
  none: 'Never use emoji.',
  rare: 'One emoji at most, and rarely.',
  free: 'Use emoji whenever they fit.',
} as const;

const line = (what: string, max: number) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is at most ${max} characters`);

const nameSchema = z
  .string({ error: 'name must be text, e.g. "Лёха"' })
  .trim()
  .min(1, 'name must not be empty')
  .max(40, 'name is at most 40 characters')
  .regex(
    /^[\p{L}][\p{L}\p{N}' -]*$/u,
    'name is letters, digits, spaces, hyphens or apostrophes, starting with a letter',
  );

const wordSchema = z
  .string({ error: 'an alias must be text' })
  .trim()
  .min(2, 'an alias has at least 2 letters')
  .max(40, 'an alias is at most 40 characters')
  .regex(/^[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*$/u, 'an alias is one word (letters or digits, hyphens inside)');

const REPLY_LENGTH_NAMES = ['short', 'medium', 'long'] as const;
const EMOJI_NAMES = ['none', 'rare', 'free'] as const;

/**
 * What a chat's admins may change of a persona for their chat (`/persona
 * length short`, the `personaTuning` setting): the reply lengths and emoji
 * rules they may pick, and how many style lines of their own they may add
 * (none unless the operator allows it: those lines go into the prompt).
 */
const tunableSchema = z
  .object({
    replyLength: z
      .array(z.enum(REPLY_LENGTH_NAMES, { error: 'tunable.replyLength lists short, medium, long' }))
      .max(3)
      .default([...REPLY_LENGTH_NAMES]),
    emoji: z
      .array(z.enum(EMOJI_NAMES, { error: 'tunable.emoji lists none, rare, free' }))
      .max(3)
      .default([...EMOJI_NAMES]),
    styleLines: z
      .number({ error: 'tunable.styleLines is a whole number from 0 to 5' })
      .int('tunable.styleLines is a whole number from 0 to 5')
      .min(0, 'tunable.styleLines is a whole number from 0 to 5')
      .max(5, 'tunable.styleLines is a whole number from 0 to 5')
      .default(0),
  })
  .strict();

/** What chats may tune when a persona does not say: reply length and emoji, no lines of their own. */
const DEFAULT_TUNABLE = Object.freeze({ replyLength: [...REPLY_LENGTH_NAMES], emoji: [...EMOJI_NAMES], styleLines: 0 });

const phrases = z.array(line('a phrase', 500)).min(1, 'give at least one phrase').max(50, 'at most 50 phrases');
const phrasesByLanguage = z.object({ ru: phrases.optional(), uk: phrases.optional(), en: phrases.optional() }).strict();

/**
 * One persona: who the bot is in a chat. Its identity is `name@version`;
 * change the version whenever the wording changes, so prompts (the debug
 * view) say which wording built a reply.
 */
export const personaSchema = z
  .object({
    name: nameSchema,
    version: z
      .number({ error: 'version must be a positive whole number' })
      .int('version must be a positive whole number')
      .positive('version must be a positive whole number'),
    /** Words the bot answers to; every Russian case form of each is recognised. The name is one of them when it is one word. */
    aliases: z.array(wordSchema).max(30, 'at most 30 aliases').default([]),
    /** Extra word forms recognised exactly as written (slang forms, transliterations). */
    forms: z.array(wordSchema).max(60, 'at most 60 forms').default([]),
    /** Who the persona is, one line each; `{name}` stands for the name. */
    character: z.array(line('a character line', 1000)).min(1, 'character needs at least one line').max(20),
    /** How the persona writes, one line each. */
    styleRules: z.array(line('a style rule', 1000)).max(20, 'at most 20 style rules').default([]),
    language: z
      .enum(PERSONA_LANGUAGES, { error: `language is one of ${PERSONA_LANGUAGES.join(', ')}` })
      .default('match'),
    /** Topics the persona talks about; others are steered away from. Unset: any topic. */
    topics: z.array(line('a topic', 100)).min(1, 'topics, when given, list at least one').max(30).optional(),
    /** Unset: the adaptive style alone decides, and the gateway's limit caps the answer. */
    replyLength: z.enum(REPLY_LENGTH_NAMES, { error: 'replyLength is one of short, medium, long' }).optional(),
    /**
     * The model that writes this persona's replies instead of `GROQ_MODEL`
     * (a fine-tuned one, say); `GROQ_FALLBACK_MODELS` still follow it. Unset: `GROQ_MODEL`.
     */
    model: z
      .string({ error: 'model must be text, e.g. "llama-3.3-70b-versatile"' })
      .trim()
      .min(1, 'model must not be empty')
      .max(200, 'model is at most 200 characters')
      .regex(/^\S+$/u, 'model is a model id without spaces, e.g. "llama-3.3-70b-versatile"')
      .optional(),
    /** Unset: the style rules alone decide. */
    emoji: z.enum(EMOJI_NAMES, { error: 'emoji is one of none, rare, free' }).optional(),
    /** What a chat's admins may change of it for their chat. */
    tunable: tunableSchema.default({ ...DEFAULT_TUNABLE }),
    /** What the bot says without a model, instead of the built-in lines. */
    offline: z
      .object({ unavailable: phrasesByLanguage.optional(), refusal: phrasesByLanguage.optional() })
      .strict()
      .optional(),
    /** The rule on admitting to be an AI, when the chat forbids it (`deny`) or allows it (`allow`). */
    aiDisclosure: z
      .object({ deny: line('aiDisclosure.deny', 1000).optional(), allow: line('aiDisclosure.allow', 1000).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type Persona = z.output<typeof personaSchema>;
export type PersonaInput = z.input<typeof personaSchema>;

/** Offline lines per language, as a persona gives them. */
export type OfflinePhrases = NonNullable<Persona['offline']>;

/** A persona definition the schema refuses, or one whose name is taken; `issues` says what to fix. */
export class PersonaInvalidError extends LekhaError {
  declare readonly code: 'PERSONA_INVALID';

  constructor(readonly issues: string[]) {
    super('PERSONA_INVALID', `invalid persona: ${issues.join('; ')}`, { retryable: false });
  }
}

/** A change to a persona that is the operator's configuration (`PERSONA_FILE`, the default), not the dashboard's. */
export class PersonaReadOnlyError extends LekhaError {
  declare readonly code: 'PERSONA_READONLY';

  constructor(name: string) {
    super(
      'PERSONA_READONLY',
      `persona "${name}" comes from the bot's configuration (PERSONA_FILE or the default): change it there`,
      { retryable: false },
    );
  }
}

/** A persona's identity as the debug view and the logs show it: `Лёха@1`. */
export function personaId(persona: Pick<Persona, 'name' | 'version'>): string {
  return `${persona.name}@${persona.version}`;
}

/** The rest of today's first character line, shared by the default persona and a renamed one. */
const DEFAULT_CHARACTER =
  'a member of a Telegram group chat: a witty, good-natured guy in his thirties who likes a joke, knows a bit about everything and never lectures.';

/** Лёха as he always was: the prompt he builds is the one built before personas were data. */
export const DEFAULT_PERSONA: Persona = Object.freeze({
  name: 'Лёха',
  version: 1,
  aliases: [...DEFAULT_BOT_NAMES],
  forms: [],
  character: [`You are {name} (Lekha), ${DEFAULT_CHARACTER}`],
  styleRules: [
    'You talk like a real chat buddy: short messages, plain words, no bullet lists, no headings, no emoji spam (one emoji at most, and rarely).',
  ],
  language: 'match',
  tunable: DEFAULT_TUNABLE,
}) as Persona;

/**
 * The default persona under another name and triggers (`PERSONA_NAME`,
 * `PERSONA_ALIASES`): the same character and style, introduced by the new
 * name. Without aliases the bot answers to the name.
 */
export function renamedPersona(
  base: Persona,
  name: string | undefined,
  aliases: readonly string[] | undefined,
): Persona {
  const renamed = name !== undefined && name !== base.name;
  return personaSchema.parse({
    ...base,
    ...(renamed
      ? {
          name,
          character: base === DEFAULT_PERSONA ? [`You are {name}, ${DEFAULT_CHARACTER}`] : base.character,
          aliases: [],
        }
      : {}),
    ...(aliases === undefined ? {} : { aliases }),
  });
}

/**
 * Every word the persona answers to, lower case with ё folded to е: each
 * alias (and the name, when it is one word) with its case forms, and the
 * explicit forms.
 */
export function personaTriggers(persona: Persona): string[] {
  const words = new Set<string>();
  const sources = /^[\p{L}\p{N}-]+$/u.test(persona.name) ? [persona.name, ...persona.aliases] : persona.aliases;
  for (const alias of sources) for (const form of declineName(alias)) words.add(fold(form));
  for (const form of persona.forms) words.add(fold(form));
  return [...words];
}

function fold(word: string): string {
  return word.toLowerCase().replaceAll('ё', 'е');
}
