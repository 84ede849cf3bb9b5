import type { Config } from './config/index.js';
import type { LoginSettings } from './http/index.js';

/**
 * The dashboard's login methods as configured: OpenID Connect when
 * `OIDC_ISSUER` is set, the Telegram Login Widget when `TELEGRAM_LOGIN_BOT`
 * is; none (bearer tokens only) otherwise. The schema has already checked
 * that each method has everything it needs.
 */
export function loginSettings(config: Config): LoginSettings | undefined {
  if (config.PUBLIC_URL === undefined) return undefined;
  const oidc =
    config.OIDC_ISSUER === undefined || config.OIDC_CLIENT_ID === undefined || config.OIDC_CLIENT_SECRET === undefined
      ? undefined
      : {
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
          scopes: config.OIDC_SCOPES,
          roleClaim: config.OIDC_ROLE_CLAIM,
          roles: config.OIDC_ROLES,
        };
  const telegram =
    config.TELEGRAM_LOGIN_BOT === undefined || config.TELEGRAM_BOT_TOKEN === undefined
      ? undefined
      : {
          botUsername: config.TELEGRAM_LOGIN_BOT,
          botToken: config.TELEGRAM_BOT_TOKEN,
          maxAgeS: config.TELEGRAM_LOGIN_MAX_AGE_S,
        };
  if (oidc === undefined && telegram === undefined) return undefined;
  return {
    publicUrl: config.PUBLIC_URL,
    idleMs: config.SESSION_IDLE_S * 1000,
    maxAgeMs: config.SESSION_MAX_AGE_S * 1000,
    oidc,
    telegram,
  };
}
