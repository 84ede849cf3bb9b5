import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError, NotFoundError } from '../errors.js';
import type { Job, SchedulerAdmin } from '../ports/scheduler-admin.js';
import { idPage, idPageQueryFields } from '../schemas/pagination.js';
import { JobPage, JobStatus, type JobView, SchedulerStats } from '../schemas/scheduler.js';
import { TelegramId } from '../schemas/telegram-id.js';
import { Text } from '../schemas/text.js';

const JobParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'job id' }),
});
const jobTarget = (request: FastifyRequest): string => `job:${String((request.params as { id?: unknown }).id)}`;

/** Job texts are what members asked to be reminded of: only admins read them, and their reads are audited. */
const readsText = (request: FastifyRequest): boolean => request.identity?.role === 'admin';

function viewOf(job: Job, withText: boolean): JobView {
  return { ...job, schedule: { ...job.schedule }, text: withText ? job.text : null };
}

/** The scheduler's figures, its jobs (upcoming, failed, in doubt), and an operator's retry or cancel of one. */
export const schedulerRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const scheduler = (): SchedulerAdmin => {
    const admin = ctx.deps.scheduler;
    if (admin === undefined)
      throw new HttpError(503, 'SCHEDULER_UNAVAILABLE', 'the scheduler is not running in this process');
    return admin;
  };

  app.get(
    '/scheduler',
    {
      config: { role: 'viewer' },
      logLevel: ctx.quietLogLevel,
      schema: {
        summary: 'Runs executed, succeeded, failed, retried and in doubt since start; lateness; jobs by status',
        tags: ['scheduler'],
        response: { 200: SchedulerStats },
      },
    },
    async () => scheduler().stats(),
  );

  app.get(
    '/scheduler/jobs',
    {
      config: { role: 'viewer', audit: { action: 'jobs.read', target: () => 'scheduler', when: readsText } },
      schema: {
        summary: 'Jobs by due time, oldest first',
        description:
          "A reminder's text is personal data: admins get it, and their reads are audited (`jobs.read`); other roles get `text: null`. Repeat `status` for several.",
        tags: ['scheduler'],
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Array(JobStatus, { minItems: 1, maxItems: 7, description: 'only these' })),
            kind: Type.Optional(
              Text({ minLength: 1, maxLength: 200, description: '`reminder` or `plugin:<name>:<job>`' }),
            ),
            chatId: Type.Optional(TelegramId.chat('only jobs of this chat')),
            ...idPageQueryFields,
          },
          { additionalProperties: false },
        ),
        response: { 200: JobPage },
      },
    },
    async (request) => {
      const { status, kind, chatId, after } = request.query;
      const limit = request.query.limit ?? 50;
      const jobs = await scheduler().list({
        ...(status === undefined ? {} : { status }),
        ...(kind === undefined ? {} : { kind }),
        ...(chatId === undefined ? {} : { chatId }),
        ...(after === undefined ? {} : { afterId: after }),
        limit: limit + 1,
      });
      const { items: page, next } = idPage(jobs, limit);
      const withText = readsText(request);
      if (withText) {
        request.auditDetails = {
          jobs: page.length,
          ...(status === undefined ? {} : { status }),
          ...(kind === undefined ? {} : { kind }),
          ...(chatId === undefined ? {} : { chatId }),
        };
      }
      return { items: page.map((job) => viewOf(job, withText)), next };
    },
  );

  app.post(
    '/scheduler/jobs/:id/retry',
    {
      config: { role: 'operator', audit: { action: 'job.retry', target: jobTarget } },
      schema: {
        summary: 'Runs a failed or in-doubt job again now',
        description:
          'An in-doubt job may already have been delivered once (its process died while sending): retrying it may deliver it twice.',
        tags: ['scheduler'],
        params: JobParams,
        response: { 200: Type.Object({ retried: Type.Literal(true) }) },
      },
    },
    async (request) => {
      if (!(await scheduler().retry(request.params.id)))
        throw new NotFoundError('JOB_NOT_FOUND', `no failed or in-doubt job ${request.params.id}`);
      return { retried: true as const };
    },
  );

  app.delete(
    '/scheduler/jobs/:id',
    {
      config: { role: 'operator', audit: { action: 'job.cancel', target: jobTarget } },
      schema: {
        summary: 'Cancels a pending job',
        tags: ['scheduler'],
        params: JobParams,
        response: { 200: Type.Object({ cancelled: Type.Literal(true) }) },
      },
    },
    async (request) => {
      if (!(await scheduler().cancel(request.params.id)))
        throw new NotFoundError('JOB_NOT_FOUND', `no pending job ${request.params.id}`);
      return { cancelled: true as const };
    },
  );
};
