import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../auth/session-cookie.js';
import { NotFoundError } from '../errors.js';
import type { AdminSessionRecord } from '../ports/admin-session.js';
import { SessionView } from '../schemas/session.js';

function view(record: AdminSessionRecord, currentId: string | undefined): SessionView {
  return {
    id: record.id,
    method: record.method,
    subject: record.subject,
    label: record.label,
    role: record.role,
    createdAt: record.createdAt,
    lastSeenAt: record.lastSeenAt,
    expiresAt: record.expiresAt,
    ip: record.ip,
    userAgent: record.userAgent,
    current: record.id === currentId,
  };
}

/**
 * Dashboard sessions: log out (any session caller, its own session), list
 * the live ones and revoke one (admin). Logout and revocation are audited
 * by the session store, in the change's own transaction.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const store = ctx.deps.sessions;

  app.post(
    '/session/logout',
    {
      config: {
        role: 'viewer',
        audit: {
          action: 'session.logout',
          target: (request) => `session:${request.adminSession?.id ?? 'none'}`,
          recordedWithChange: true,
        },
      },
      schema: {
        summary: "Ends the caller's dashboard session and clears its cookie",
        tags: ['session'],
        response: { 200: Type.Object({ ended: Type.Boolean() }) },
      },
    },
    async (request, reply) => {
      const session = request.adminSession;
      if (session === null || store === undefined)
        throw new NotFoundError('SESSION_NOT_FOUND', 'this call was made with a bearer token, not a session');
      const audit = ctx.auditTrail.recordFor(request, { outcome: 'ok', statusCode: 200, details: {} });
      await store.revoke(session.id, new Date(ctx.clock.now()).toISOString(), audit);
      ctx.auditTrail.recordedWith(request, audit);
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(ctx.secureCookies, 0));
      return { ended: true };
    },
  );

  app.get(
    '/sessions',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'The live dashboard sessions (never their secrets)',
        tags: ['session'],
        response: { 200: Type.Object({ items: Type.Array(SessionView) }) },
      },
    },
    async (request) => {
      if (store === undefined || ctx.sessions === undefined) return { items: [] };
      const sessions = ctx.sessions;
      const live = (await store.list()).filter((record) => sessions.isLive(record));
      return { items: live.map((record) => view(record, request.adminSession?.id)) };
    },
  );

  app.delete(
    '/sessions/:sessionId',
    {
      config: {
        role: 'admin',
        audit: {
          action: 'session.revoke',
          target: (request) => `session:${String((request.params as { sessionId?: unknown }).sessionId)}`,
          recordedWithChange: true,
        },
      },
      schema: {
        summary: 'Revokes a dashboard session; its next call is refused',
        tags: ['session'],
        params: Type.Object({ sessionId: Type.String({ pattern: '^[0-9a-f]{1,64}$' }) }),
        response: { 200: Type.Object({ session: SessionView }) },
      },
    },
    async (request) => {
      const audit = ctx.auditTrail.recordFor(request, { outcome: 'ok', statusCode: 200, details: {} });
      const record =
        store === undefined
          ? undefined
          : await store.revoke(request.params.sessionId, new Date(ctx.clock.now()).toISOString(), audit);
      if (record === undefined) throw new NotFoundError('SESSION_NOT_FOUND', `no session ${request.params.sessionId}`);
      ctx.auditTrail.recordedWith(request, audit);
      return { session: view(record, request.adminSession?.id) };
    },
  );
};
