import { type Static, Type } from 'typebox';

const Lines = (description: string) => Type.Array(Type.String(), { description });

/** What a variant changes of its persona's prompt. */
export const PersonaOverrides = Type.Object(
  {
    character: Type.Optional(Lines('who the persona is, line by line')),
    styleRules: Type.Optional(Lines('how it writes, line by line')),
    language: Type.Optional(Type.String({ description: 'match, ru, uk or en' })),
    topics: Type.Optional(Lines('what it likes to talk about')),
    replyLength: Type.Optional(Type.String({ description: 'short, medium or long' })),
    emoji: Type.Optional(Type.String({ description: 'none, rare or free' })),
  },
  { description: 'what the variant changes of its persona; the names never change' },
);

export const ExperimentVariant = Type.Object({
  name: Type.String({ description: 'lower-case slug, unique in the experiment; the first variant is the control' }),
  share: Type.Number({ description: 'relative traffic share (shares need not add up to anything)' }),
  persona: Type.Optional(Type.String({ description: 'catalog persona the variant is based on; unset: the default' })),
  overrides: Type.Optional(PersonaOverrides),
});

export const ExperimentStatus = Type.Union([Type.Literal('running'), Type.Literal('paused'), Type.Literal('stopped')], {
  description: '`running` assigns variants, `paused` assigns none, `stopped` is final',
});

/** An experiment as stored. */
export const Experiment = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  unit: Type.Union([Type.Literal('chat'), Type.Literal('member')], {
    description: "`chat`: whole chats get one variant; `member`: each trigger's author gets one",
  }),
  variants: Type.Array(ExperimentVariant),
  minimumEffect: Type.Number({ description: 'smallest success-rate difference (0–1) the sample size is planned for' }),
  scoreWindowMs: Type.Integer({ description: 'how long after a reply its signals count' }),
  status: ExperimentStatus,
  createdAtMs: Type.Integer(),
  updatedAtMs: Type.Integer(),
  stoppedAtMs: Type.Union([Type.Integer(), Type.Null()]),
});
export type Experiment = Static<typeof Experiment>;

/**
 * A new experiment as the API takes it. This schema documents the shape;
 * `newExperimentSchema` (src/chat) validates it, with a message per field.
 */
export const NewExperimentBody = Type.Object({
  name: Type.String({ description: '1–100 characters' }),
  unit: Type.Optional(Type.String({ description: 'chat (default) or member' })),
  variants: Type.Array(ExperimentVariant, { description: '2–8 variants; the first is the control' }),
  minimumEffect: Type.Optional(Type.Number({ description: 'above 0, below 1; default 0.1' })),
  scoreWindowMs: Type.Optional(Type.Integer({ description: 'a minute to a day; default 600000 (ten minutes)' })),
});

const Interval = Type.Tuple([Type.Number(), Type.Number()]);

/** How an experiment stands: per-variant figures, comparisons against the control, and a verdict. */
export const ExperimentReadoutBody = Type.Object({
  experiment: Experiment,
  settledBeforeMs: Type.Integer({ description: 'replies sent before this had their whole window; only they count' }),
  readout: Type.Object({
    experimentId: Type.Integer(),
    alpha: Type.Number(),
    power: Type.Number(),
    minimumSamplePerVariant: Type.Integer(),
    variants: Type.Array(
      Type.Object({
        name: Type.String(),
        replies: Type.Integer(),
        successes: Type.Integer(),
        successRate: Type.Number(),
        successCi: Interval,
        meanScore: Type.Number(),
        meanScoreCi: Interval,
        ignoredRate: Type.Number(),
      }),
    ),
    comparisons: Type.Array(
      Type.Object({
        variant: Type.String(),
        against: Type.String(),
        difference: Type.Number(),
        z: Type.Number(),
        pValue: Type.Number(),
        significant: Type.Boolean(),
      }),
    ),
    verdict: Type.Union([
      Type.Object({ kind: Type.Literal('collecting'), needed: Type.Integer() }),
      Type.Object({ kind: Type.Literal('no_difference') }),
      Type.Object({ kind: Type.Literal('winner'), variant: Type.String() }),
    ]),
  }),
});
