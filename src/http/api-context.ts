import type { LevelWithSilent } from 'pino';
import type { Clock } from '../runtime/index.js';
import type { AuditTrail } from './audit-trail.js';
import type { SessionManager } from './auth/session-manager.js';
import type { TokenAuthenticator } from './auth/token-authenticator.js';
import type { HttpDeps } from './http-deps.js';
import type { KnownChats } from './stats/known-chats.js';
import type { StatsSampler } from './stats/stats-sampler.js';
import type { StatsSnapshotter } from './stats/stats-snapshotter.js';

/** What the `/api` route plugins share: the ports plus the pieces built from them once per app. */
export interface ApiContext {
  deps: HttpDeps;
  clock: Clock;
  authenticator: TokenAuthenticator;
  /** Dashboard sessions, when a session store is configured. */
  sessions: SessionManager | undefined;
  /** Whether session cookies are Secure (`PUBLIC_URL` is https). */
  secureCookies: boolean;
  auditTrail: AuditTrail;
  sampler: StatsSampler;
  snapshotter: StatsSnapshotter;
  knownChats: KnownChats;
  /** Log level of routes every dashboard polls (see `quietLogLevel`). */
  quietLogLevel: LevelWithSilent;
}
