import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors.js';
import { roleAllows } from '../schemas/role.js';
import type { TokenAuthenticator } from './token-authenticator.js';

/**
 * The `/api` gate, run before the body is read: resolves the bearer token to
 * an identity (401 otherwise) and checks it against the route's declared
 * role (403 otherwise). Unknown paths under `/api` carry no role and fall
 * through to the 404 answer.
 */
export function createAuthHook(authenticator: TokenAuthenticator) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const needed = request.routeOptions.config.role;
    if (needed === undefined) return;
    const identity = await authenticator.authenticate(request.headers.authorization);
    request.identity = identity;
    if (!roleAllows(identity.role, needed)) throw new ForbiddenError(identity.role, needed);
  };
}
