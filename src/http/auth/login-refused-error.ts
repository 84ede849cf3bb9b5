import { HttpError } from '../errors.js';

/** Why a login was refused, as audit rows and logs record it (never the data that was refused). */
export type LoginRefusal =
  | 'unknown-flow'
  | 'provider-error'
  | 'invalid-response'
  | 'no-role'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-granted';

const messages: Record<LoginRefusal, string> = {
  'unknown-flow': 'this login was not started here, or took too long; start again',
  'provider-error': 'the identity provider could not be reached or refused the login',
  'invalid-response': "the identity provider's answer failed its checks (state, nonce, PKCE or signature)",
  'no-role': 'you are known to the identity provider but have no role on this dashboard',
  malformed: 'the login data is incomplete',
  'bad-signature': 'the login data is not signed by this bot',
  expired: 'the login data is too old; log in again',
  'not-granted': 'this Telegram account has no role on this dashboard; ask an admin to grant one',
};

/** A dashboard login that did not open a session. */
export class LoginRefusedError extends HttpError {
  declare readonly code: 'LOGIN_REFUSED';

  constructor(readonly reason: LoginRefusal) {
    super(403, 'LOGIN_REFUSED', messages[reason]);
  }
}
