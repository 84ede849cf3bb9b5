import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../runtime/index.js';
import type { LoginSettings } from '../auth/login-settings.js';
import { LoginRefusedError, type LoginRefusal } from '../auth/login-refused-error.js';
import { OidcLogin } from '../auth/oidc-login.js';
import { oidcRole } from '../auth/oidc-role.js';
import {
  LOGIN_FLOW_COOKIE,
  loginFlowCookieOptions,
  SESSION_COOKIE,
  sessionCookieOptions,
} from '../auth/session-cookie.js';
import { type LoginSubject, type SessionManager, sessionIdentity } from '../auth/session-manager.js';
import { checkTelegramLogin } from '../auth/telegram-login.js';
import { HttpError } from '../errors.js';
import type { LoginMethod, TelegramAdminStore } from '../ports/admin-session.js';
import type { AuditLog } from '../ports/audit-log.js';
import { LoginMethods } from '../schemas/session.js';

export interface LoginRoutesOptions {
  settings: LoginSettings | undefined;
  sessions: SessionManager | undefined;
  telegramAdmins: TelegramAdminStore | undefined;
  audit: AuditLog;
  clock: Pick<Clock, 'now'>;
  secureCookies: boolean;
  rateLimit: { max: number; timeWindowMs: number } | false;
}

/** Where a finished or refused login sends the browser: the dashboard, with the refusal's reason when there is one. */
function backToDashboard(reply: FastifyReply, refusal?: LoginRefusal): FastifyReply {
  return reply.redirect(refusal === undefined ? '/' : `/?login_error=${refusal}`, 303);
}

function userAgentOf(request: FastifyRequest): string | null {
  const agent = request.headers['user-agent'];
  return typeof agent === 'string' ? agent.slice(0, 300) : null;
}

/**
 * The dashboard's login endpoints, outside `/api` (they are how a caller
 * gets an identity): which methods are offered, the OpenID Connect
 * redirect and callback, and the Telegram Login Widget's callback. A
 * successful login opens a session (audited with the session's identity)
 * and sets its cookie; a refused one is audited as `login.refused` with
 * its reason and sends the browser back with that reason. Neither the
 * provider's code, state and tokens nor the widget's signature reach a log
 * line, an audit row or an answer.
 */
export const loginRoutes: FastifyPluginAsyncTypebox<LoginRoutesOptions> = async (app, options) => {
  const { settings, sessions, telegramAdmins, audit, clock, secureCookies } = options;
  if (options.rateLimit !== false) {
    await app.register(fastifyRateLimit, {
      max: options.rateLimit.max,
      timeWindow: options.rateLimit.timeWindowMs,
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, 'RATE_LIMITED', `too many requests; retry in ${context.after}`),
    });
  }
  const publicUrl = settings?.publicUrl.replace(/\/+$/, '');
  const oidc =
    settings?.oidc === undefined || sessions === undefined
      ? undefined
      : new OidcLogin(settings.oidc, `${publicUrl}/auth/oidc/callback`, clock);
  const telegram =
    settings?.telegram !== undefined && sessions !== undefined && telegramAdmins !== undefined
      ? settings.telegram
      : undefined;

  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    method: LoginMethod,
    subject: string | undefined,
    reason: LoginRefusal,
  ): Promise<FastifyReply> {
    request.log.warn({ method, reason, ip: request.ip }, 'dashboard login refused');
    try {
      await audit.append({
        at: new Date(clock.now()).toISOString(),
        actor: { tokenId: 'anonymous', label: subject ?? `${method}:unknown`, role: 'viewer' },
        action: 'login.refused',
        target: `login:${method}`,
        ip: request.ip,
        userAgent: userAgentOf(request),
        outcome: 'error',
        statusCode: 403,
        details: { method, reason },
      });
    } catch (error) {
      request.log.error({ err: error }, 'the audit row of a refused login could not be written');
    }
    return backToDashboard(reply, reason);
  }

  async function openSession(request: FastifyRequest, reply: FastifyReply, who: LoginSubject): Promise<FastifyReply> {
    const { secret, record } = await (sessions as SessionManager).open(
      who,
      { ip: request.ip, userAgent: userAgentOf(request) },
      (session) => ({
        at: session.createdAt,
        actor: sessionIdentity(session),
        action: 'login',
        target: `session:${session.id}`,
        ip: request.ip,
        userAgent: session.userAgent,
        outcome: 'ok',
        statusCode: 303,
        details: { method: who.method, subject: who.subject },
      }),
    );
    request.log.info({ method: who.method, session: record.id, role: record.role }, 'dashboard login');
    reply.setCookie(SESSION_COOKIE, secret, sessionCookieOptions(secureCookies, (sessions as SessionManager).maxAgeMs));
    return backToDashboard(reply);
  }

  app.get(
    '/auth/methods',
    {
      schema: { summary: 'The login methods the dashboard offers', tags: ['session'], response: { 200: LoginMethods } },
    },
    async () => ({
      oidc: oidc !== undefined,
      telegram:
        telegram === undefined ? null : { bot: telegram.botUsername, authUrl: `${publicUrl}/auth/telegram/callback` },
    }),
  );

  app.get('/auth/oidc/start', { schema: { hide: true } }, async (request, reply) => {
    if (oidc === undefined) throw new HttpError(404, 'LOGIN_NOT_CONFIGURED', 'OpenID Connect login is not configured');
    let started;
    try {
      started = await oidc.start();
    } catch {
      // The provider's discovery failed; its error may carry its URLs, not secrets, but says nothing the admin can act on.
      request.log.warn({ method: 'oidc' }, 'the identity provider cannot be reached');
      return backToDashboard(reply, 'provider-error');
    }
    reply.setCookie(LOGIN_FLOW_COOKIE, started.flowId, loginFlowCookieOptions(secureCookies));
    return reply.redirect(started.url, 303);
  });

  app.get('/auth/oidc/callback', { schema: { hide: true } }, async (request, reply) => {
    if (oidc === undefined || settings?.oidc === undefined)
      throw new HttpError(404, 'LOGIN_NOT_CONFIGURED', 'OpenID Connect login is not configured');
    const flowId = request.cookies[LOGIN_FLOW_COOKIE];
    reply.clearCookie(LOGIN_FLOW_COOKIE, loginFlowCookieOptions(secureCookies));
    const at = request.url.indexOf('?');
    let claims;
    try {
      claims = await oidc.finish(flowId, at < 0 ? '' : request.url.slice(at + 1));
    } catch (error) {
      if (error instanceof LoginRefusedError) return refuse(request, reply, 'oidc', undefined, error.reason);
      throw error;
    }
    const subject = `oidc:${String(claims.sub)}`;
    const role = oidcRole(settings.oidc.roles, claims, settings.oidc.roleClaim);
    if (role === null) return refuse(request, reply, 'oidc', subject, 'no-role');
    const label = [claims.email, claims.preferred_username, claims.name].find((v) => typeof v === 'string');
    return openSession(request, reply, { method: 'oidc', subject, label: String(label ?? subject), role });
  });

  app.get('/auth/telegram/callback', { schema: { hide: true } }, async (request, reply) => {
    if (telegram === undefined) throw new HttpError(404, 'LOGIN_NOT_CONFIGURED', 'Telegram login is not configured');
    const check = checkTelegramLogin(
      request.query as Record<string, unknown>,
      telegram.botToken,
      clock.now(),
      telegram.maxAgeS,
    );
    if (!check.ok) return refuse(request, reply, 'telegram', undefined, check.reason);
    const subject = `telegram:${check.user.id}`;
    const grant = await (telegramAdmins as TelegramAdminStore).find(check.user.id);
    if (grant === undefined) return refuse(request, reply, 'telegram', subject, 'not-granted');
    const name = check.user.username === undefined ? check.user.firstName : `@${check.user.username}`;
    const label = name === undefined ? grant.label : `${name} (${grant.label})`;
    return openSession(request, reply, { method: 'telegram', subject, label, role: grant.role });
  });
};
