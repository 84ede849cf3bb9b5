import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { experimentReadout, newExperimentSchema } from '../../chat/index.js';
import type { ExperimentRecord, ExperimentStore, NewExperiment } from '../../ports/index.js';
import type { ApiContext } from '../api-context.js';
import { ExperimentInvalidError, HttpError, NotFoundError } from '../errors.js';
import type { PersonaDirectory } from '../ports/persona-directory.js';
import { findPersonaInfo, noSuchPersona } from './known-persona.js';
import { Experiment, ExperimentReadoutBody, ExperimentStatus, NewExperimentBody } from '../schemas/experiment.js';

const ExperimentParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'experiment id' }),
});
const experimentTarget = (request: FastifyRequest): string =>
  `experiment:${String((request.params as { id?: unknown }).id)}`;

/**
 * A/B experiments of personas and prompts: list them, start one (one may be
 * live at a time), pause, resume or stop it, and read how its variants fare.
 */
export const experimentRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const store = (): ExperimentStore => {
    const experiments = ctx.deps.experiments;
    if (experiments === undefined)
      throw new HttpError(503, 'EXPERIMENTS_UNAVAILABLE', 'experiments are not kept in this process');
    return experiments;
  };
  const notFound = (id: number): NotFoundError => new NotFoundError('EXPERIMENT_NOT_FOUND', `no experiment ${id}`);

  app.get(
    '/experiments',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every experiment, newest first',
        tags: ['experiments'],
        response: { 200: Type.Object({ experiments: Type.Array(Experiment) }) },
      },
    },
    async () => ({ experiments: (await store().list()).map(viewOf) }),
  );

  app.post(
    '/experiments',
    {
      config: { role: 'admin', audit: { action: 'experiment.create', target: () => 'experiments' } },
      schema: {
        summary: 'Starts an experiment; refused with 409 while another is running or paused',
        description:
          'Variants name catalog personas (`GET /api/personas`) and what they change of them. Only chats that have not chosen a persona take part.',
        tags: ['experiments'],
        body: NewExperimentBody,
        response: { 201: Experiment },
      },
    },
    async (request, reply) => {
      const input = validated(request.body, ctx.deps.personas);
      const created = await store().create(input, ctx.clock.now());
      request.auditDetails = { id: created.id, name: created.name, variants: created.variants.map((v) => v.name) };
      return reply.code(201).send(viewOf(created));
    },
  );

  app.patch(
    '/experiments/:id',
    {
      config: { role: 'admin', audit: { action: 'experiment.status', target: experimentTarget } },
      schema: {
        summary: 'Pauses, resumes or stops an experiment; stopped is final',
        tags: ['experiments'],
        params: ExperimentParams,
        body: Type.Object({ status: ExperimentStatus }, { additionalProperties: false }),
        response: { 200: Experiment },
      },
    },
    async (request) => {
      const changed = await store().setStatus(request.params.id, request.body.status, ctx.clock.now());
      if (changed === null) throw notFound(request.params.id);
      request.auditDetails = { status: changed.status };
      return viewOf(changed);
    },
  );

  app.get(
    '/experiments/:id/readout',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "How the experiment's variants fare: success rates with intervals, mean scores, and a verdict",
        description:
          'Counts the replies whose score window has passed. The verdict names a winner only once every variant has its minimum sample and a difference is significant.',
        tags: ['experiments'],
        params: ExperimentParams,
        response: { 200: ExperimentReadoutBody },
      },
    },
    async (request) => {
      const experiment = await store().get(request.params.id);
      if (experiment === null) throw notFound(request.params.id);
      const settledBeforeMs = ctx.clock.now() - experiment.scoreWindowMs;
      const outcomes = await store().outcomes(experiment.id, settledBeforeMs);
      return { experiment: viewOf(experiment), settledBeforeMs, readout: experimentReadout(experiment, outcomes) };
    },
  );
};

/** The body as a new experiment, its personas spelt as configured; `EXPERIMENT_INVALID` naming every problem. */
function validated(body: unknown, personas: PersonaDirectory | undefined): NewExperiment {
  const parsed = newExperimentSchema.safeParse(body);
  if (!parsed.success)
    throw new ExperimentInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`));
  const issues: string[] = [];
  const variants = parsed.data.variants.map((variant, i) => {
    if (variant.persona === undefined) return variant;
    const found = findPersonaInfo(personas, variant.persona);
    if (found === undefined) issues.push(`variants.${i}.persona: ${noSuchPersona(personas, variant.persona)}`);
    return { ...variant, persona: found?.name };
  });
  if (issues.length > 0) throw new ExperimentInvalidError(issues);
  return { ...parsed.data, variants };
}

/** The record as the API shows it: fields left unset are absent, not `undefined`. */
function viewOf(experiment: ExperimentRecord): Experiment {
  return {
    ...experiment,
    variants: experiment.variants.map(({ name, share, persona, overrides }) => ({
      name,
      share,
      ...(persona === undefined ? {} : { persona }),
      ...(overrides === undefined ? {} : { overrides: withoutUndefined(overrides) }),
    })),
  };
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
