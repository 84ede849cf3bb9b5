import type { OidcRoleRule } from '../ports/admin-session.js';

/** OpenID Connect settings (`OIDC_*`). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated, `openid` among them. */
  scopes: string;
  /** The claim `group:` rules match. */
  roleClaim: string;
  roles: readonly OidcRoleRule[];
}

/** Telegram Login Widget settings. */
export interface TelegramLoginSettings {
  /** The bot's username, without @. */
  botUsername: string;
  /** The bot's token: the widget signs its data with SHA-256 of it. */
  botToken: string;
  /** Login data older than this (`auth_date`) is refused. */
  maxAgeS: number;
}

/**
 * How admins log in to the dashboard besides pasting a bearer token. Absent
 * methods are simply not offered.
 */
export interface LoginSettings {
  /** Where browsers reach the dashboard (`PUBLIC_URL`); `https` makes the cookies Secure. */
  publicUrl: string;
  idleMs: number;
  maxAgeMs: number;
  oidc?: OidcSettings | undefined;
  telegram?: TelegramLoginSettings | undefined;
}
