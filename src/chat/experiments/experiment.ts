import { z } from 'zod';
import type { ExperimentRecord, ExperimentVariant, NewExperiment, PersonaOverrides } from '../../ports/index.js';
import { fnv1a, mix32 } from '../fnv-hash.js';
import { PERSONA_LANGUAGES, personaSchema, type Persona } from '../persona.js';

/**
 * What a variant may change of its persona: the lines and knobs that shape
 * the prompt, never its names. `styleRules` drops the persona's default of
 * `[]`: an override left unset must keep the base persona's rules, not clear them.
 */
const overridesSchema = personaSchema
  .pick({ character: true, topics: true, replyLength: true, emoji: true })
  .partial()
  .extend({
    styleRules: personaSchema.shape.styleRules.unwrap().optional(),
    language: z.enum(PERSONA_LANGUAGES, { error: `language is one of ${PERSONA_LANGUAGES.join(', ')}` }).optional(),
  })
  .strict();

const variantSchema = z
  .object({
    name: z
      .string({ error: 'a variant name must be text, e.g. "control"' })
      .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a variant name is 1–32 lower-case letters, digits, "-" or "_"'),
    share: z
      .number({ error: 'share must be a positive number' })
      .positive('share must be a positive number')
      .max(1000, 'share is at most 1000'),
    persona: z
      .string()
      .trim()
      .min(1, 'persona must not be empty')
      .max(40, 'persona is at most 40 characters')
      .optional(),
    overrides: overridesSchema.optional(),
  })
  .strict();

/** An operator's request for a new experiment, validated; the first variant is the control. */
export const newExperimentSchema = z
  .object({
    name: z
      .string({ error: 'name must be text' })
      .trim()
      .min(1, 'name must not be empty')
      .max(100, 'name is at most 100 characters'),
    unit: z.enum(['chat', 'member'], { error: 'unit is chat or member' }).default('chat'),
    variants: z
      .array(variantSchema)
      .min(2, 'an experiment needs at least two variants')
      .max(8, 'at most 8 variants')
      .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, 'variant names must differ'),
    minimumEffect: z
      .number({ error: 'minimumEffect must be a number' })
      .gt(0, 'minimumEffect is above 0')
      .lt(1, 'minimumEffect is below 1')
      .default(0.1),
    scoreWindowMs: z
      .number({ error: 'scoreWindowMs must be a number' })
      .int('scoreWindowMs is whole milliseconds')
      .min(60_000, 'scoreWindowMs is at least a minute')
      .max(86_400_000, 'scoreWindowMs is at most a day')
      .default(600_000),
  })
  .strict() satisfies z.ZodType<NewExperiment, unknown>;

/**
 * The variant a chat or member (`unitId`) sees in an experiment: a stable
 * hash of the experiment and the unit picks a point in [0, 1), and the
 * variants' shares divide that interval in their order. Same inputs, same
 * variant, in every process and after every restart; a unit's variant
 * depends on no other unit.
 */
export function assignVariant(
  experiment: Pick<ExperimentRecord, 'id' | 'variants'>,
  unitId: number,
): ExperimentVariant {
  const point = mix32(fnv1a(`${experiment.id}:${unitId}`)) / 2 ** 32;
  const total = experiment.variants.reduce((sum, v) => sum + v.share, 0);
  let edge = 0;
  for (const variant of experiment.variants) {
    edge += variant.share / total;
    if (point < edge) return variant;
  }
  return experiment.variants[experiment.variants.length - 1]!;
}

/** The persona a variant prompts with: its base persona with the variant's overrides; names and version unchanged. */
export function variantPersona(base: Persona, overrides: PersonaOverrides | undefined): Persona {
  if (overrides === undefined) return base;
  const persona: Persona = { ...base };
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined) Object.assign(persona, { [key]: value });
  return persona;
}
