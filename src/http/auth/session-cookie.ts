import type { CookieSerializeOptions } from '@fastify/cookie';

/** The session cookie: the secret itself, readable by no script. */
export const SESSION_COOKIE = 'lekha_session';
/** The pending OpenID Connect login's flow id, only sent back to the callback. */
export const LOGIN_FLOW_COOKIE = 'lekha_login';

/**
 * Session cookies are HttpOnly and SameSite=Strict, and Secure when the
 * dashboard's public address (`PUBLIC_URL`) is https — an explicit setting
 * rather than the request's protocol, so a proxy that terminates TLS
 * without forwarding headers cannot make them insecure.
 */
export function sessionCookieOptions(secure: boolean, maxAgeMs: number): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: Math.floor(maxAgeMs / 1000) };
}

/**
 * The login flow's cookie must come back on the provider's redirect, a
 * cross-site top-level navigation that SameSite=Strict cookies do not
 * follow; Lax does (for GET only), and the path keeps it to the callback.
 */
export function loginFlowCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/auth/oidc/', httpOnly: true, sameSite: 'lax', secure, maxAge: 600 };
}
