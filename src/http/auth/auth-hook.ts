import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { roleAllows } from '../schemas/role.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { type SessionManager, sessionIdentity } from './session-manager.js';
import type { TokenAuthenticator } from './token-authenticator.js';

/**
 * The `/api` gate, run before the body is read: resolves the bearer token
 * (scripts) or else the dashboard's session cookie to an identity (401
 * otherwise) and checks it against the route's declared role (403
 * otherwise). A request with an Authorization header is judged by it alone.
 * Unknown paths under `/api` carry no role and fall through to the 404
 * answer.
 */
export function createAuthHook(authenticator: TokenAuthenticator, sessions: SessionManager | undefined) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const needed = request.routeOptions.config.role;
    if (needed === undefined) return;
    const cookie = request.cookies[SESSION_COOKIE];
    let identity;
    if (request.headers.authorization === undefined && cookie !== undefined && sessions !== undefined) {
      const session = await sessions.authenticate(cookie);
      if (session === undefined) throw new UnauthorizedError('the session has ended; log in again');
      request.adminSession = session;
      identity = sessionIdentity(session);
    } else {
      identity = await authenticator.authenticate(request.headers.authorization);
    }
    request.identity = identity;
    if (!roleAllows(identity.role, needed)) throw new ForbiddenError(identity.role, needed);
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * State-changing calls made with a session cookie need the CSRF token that
 * `GET /api/me` hands the dashboard (bound to the session), in an
 * `x-csrf-token` header; bearer-token calls carry no ambient credential and
 * need none. Runs after {@link createAuthHook}.
 */
export function createCsrfHook(
  csrfProtection: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void,
) {
  return function checkCsrf(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (request.adminSession === null || safeMethods.has(request.method)) {
      done();
      return;
    }
    csrfProtection(request, reply, done);
  };
}
