import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { HttpError, NotFoundError } from '../errors.js';
import type { TelegramAdminStore } from '../ports/admin-session.js';
import { TelegramAdminBody, TelegramAdminView, TelegramUserParams } from '../schemas/session.js';

/**
 * Which Telegram users may log in to the dashboard with the Telegram Login
 * Widget, and with what role (admin). Granting and removing are audited by
 * the store, in the change's own transaction. A changed or removed grant
 * also ends that user's open sessions (each revocation audited), so a
 * demotion takes effect at once.
 */
export const telegramAdminRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const required = (): TelegramAdminStore => {
    const store = ctx.deps.telegramAdmins;
    if (store === undefined)
      throw new HttpError(503, 'LOGIN_NOT_CONFIGURED', 'Telegram admins are not kept in this process');
    return store;
  };
  const target = (request: FastifyRequest): string =>
    `telegram:${String((request.params as { telegramUserId?: unknown }).telegramUserId)}`;

  /** Revokes the live sessions of a Telegram user. */
  async function endSessions(request: FastifyRequest, telegramUserId: number): Promise<number> {
    const store = ctx.deps.sessions;
    const manager = ctx.sessions;
    if (store === undefined || manager === undefined) return 0;
    const subject = `telegram:${telegramUserId}`;
    const live = (await store.list()).filter((s) => s.subject === subject && manager.isLive(s));
    const at = new Date(ctx.clock.now()).toISOString();
    for (const session of live) {
      const audit = {
        ...ctx.auditTrail.recordFor(request, { outcome: 'ok', statusCode: 200, details: { reason: 'grant changed' } }),
        action: 'session.revoke',
        target: `session:${session.id}`,
      };
      await store.revoke(session.id, at, audit);
    }
    return live.length;
  }

  app.get(
    '/telegram-admins',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Telegram users allowed to log in to the dashboard, with their roles',
        tags: ['session'],
        response: { 200: Type.Object({ items: Type.Array(TelegramAdminView) }) },
      },
    },
    async () => ({ items: await required().list() }),
  );

  app.put(
    '/telegram-admins/:telegramUserId',
    {
      config: { role: 'admin', audit: { action: 'telegram_admin.grant', target, recordedWithChange: true } },
      schema: {
        summary: 'Grants (or changes) the dashboard role of a Telegram user',
        tags: ['session'],
        params: TelegramUserParams,
        body: TelegramAdminBody,
        response: { 200: Type.Object({ grant: TelegramAdminView, sessionsEnded: Type.Integer() }) },
      },
    },
    async (request) => {
      const store = required();
      const grant = {
        telegramUserId: request.params.telegramUserId,
        role: request.body.role,
        label: request.body.label,
        grantedAt: new Date(ctx.clock.now()).toISOString(),
        grantedBy: request.identity?.tokenId ?? 'unknown',
      };
      request.auditDetails = { role: grant.role, label: grant.label };
      const audit = ctx.auditTrail.recordFor(request, {
        outcome: 'ok',
        statusCode: 200,
        details: request.auditDetails,
      });
      await store.grant(grant, audit);
      ctx.auditTrail.recordedWith(request, audit);
      return { grant, sessionsEnded: await endSessions(request, grant.telegramUserId) };
    },
  );

  app.delete(
    '/telegram-admins/:telegramUserId',
    {
      config: { role: 'admin', audit: { action: 'telegram_admin.remove', target, recordedWithChange: true } },
      schema: {
        summary: "Removes a Telegram user's dashboard role and ends their sessions",
        tags: ['session'],
        params: TelegramUserParams,
        response: { 200: Type.Object({ grant: TelegramAdminView, sessionsEnded: Type.Integer() }) },
      },
    },
    async (request) => {
      const audit = ctx.auditTrail.recordFor(request, { outcome: 'ok', statusCode: 200, details: {} });
      const grant = await required().remove(request.params.telegramUserId, audit);
      if (grant === undefined)
        throw new NotFoundError(
          'TELEGRAM_ADMIN_NOT_FOUND',
          `no role is granted to Telegram user ${request.params.telegramUserId}`,
        );
      ctx.auditTrail.recordedWith(request, audit);
      return { grant, sessionsEnded: await endSessions(request, grant.telegramUserId) };
    },
  );
};
