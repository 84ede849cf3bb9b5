import { LekhaError, type LekhaErrorCode } from '../runtime/index.js';

/** An error the admin API answers with its own HTTP status and stable `code`. */
export class HttpError extends LekhaError {
  constructor(
    readonly statusCode: number,
    code: LekhaErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { retryable: statusCode >= 500, cause });
  }
}

/** No token, a malformed Authorization header, or a token that is unknown or revoked. */
export class UnauthorizedError extends HttpError {
  declare readonly code: 'UNAUTHORIZED';

  constructor(message = 'a valid token is required: send Authorization: Bearer <token>') {
    super(401, 'UNAUTHORIZED', message);
  }
}

/** The token is valid but its role is below what the route needs. */
export class ForbiddenError extends HttpError {
  declare readonly code: 'FORBIDDEN';

  constructor(held: string, needed: string) {
    super(403, 'FORBIDDEN', `this needs the ${needed} role; the token has ${held}`);
  }
}

export class NotFoundError extends HttpError {
  constructor(code: LekhaErrorCode, message: string) {
    super(404, code, message);
  }
}

/** A request that passed the schema but still cannot be served as asked. */
export class InvalidRequestError extends HttpError {
  constructor(code: LekhaErrorCode, message: string) {
    super(400, code, message);
  }
}

/** A pagination cursor that was not made by this server (or was tampered with). */
export class InvalidCursorError extends InvalidRequestError {
  declare readonly code: 'INVALID_CURSOR';

  constructor() {
    super('INVALID_CURSOR', 'the cursor is not one this server issued; start again without a cursor');
  }
}

/** The audit row of a call cannot be written, so the call was refused before it changed or read anything. */
export class AuditUnavailableError extends HttpError {
  declare readonly code: 'AUDIT_UNAVAILABLE';

  /** `cause`: the audit log's own error, for the server log only. */
  constructor(cause?: unknown) {
    super(
      503,
      'AUDIT_UNAVAILABLE',
      'the audit log cannot be written right now, so nothing was done; try again later',
      cause,
    );
  }
}

/** HTTP status for the runtime's own errors when they surface through an admin call. */
export const runtimeErrorStatus: Readonly<Partial<Record<LekhaErrorCode, number>>> = {
  ASK_TIMEOUT: 504,
  ACTOR_QUARANTINED: 409,
  DEAD_LETTER_REPLAY_IN_PROGRESS: 409,
  MAILBOX_FULL: 503,
  SHUTTING_DOWN: 503,
  ACTOR_STOPPED: 503,
  // Storage's keyset cursors, refused the same way as the API's own.
  INVALID_CURSOR: 400,
  CHAT_SETTINGS_INVALID: 400,
  // The plugin host's refusals: an unknown plugin, settings its schema refuses (with their issues),
  // a change the plugin does not allow (switching off one every chat needs).
  PLUGIN_NOT_FOUND: 404,
  PLUGIN_SETTINGS_INVALID: 400,
  PLUGIN_REFUSED: 409,
  // Storage refused a change whose audit row it could not write in the same transaction.
  AUDIT_UNAVAILABLE: 503,
  // Long-term memory restarting a shard, or stopping.
  MEMORY_SHARD_DOWN: 503,
  MEMORY_CLOSED: 503,
  // The privacy engine: nothing stored about the user id asked for.
  MEMBER_DATA_NOT_FOUND: 404,
  // Experiments: one live at a time, and a stopped one stays stopped.
  EXPERIMENT_INVALID: 400,
  EXPERIMENT_CONFLICT: 409,
  EXPERIMENT_STOPPED: 409,
  // Personas defined from the dashboard: a bad definition, one from the file, an unknown name.
  PERSONA_INVALID: 400,
  PERSONA_READONLY: 409,
  PERSONA_NOT_FOUND: 404,
  // Cluster mode: the chat's owner is moving, unknown or unreachable; asking again later helps.
  CHAT_NOT_OWNED: 503,
  CLUSTER_UNAVAILABLE: 503,
  CLUSTER_FORWARD_FAILED: 502,
};

/** A new experiment its schema refuses, or one naming a persona the bot does not have; `issues` says what to fix. */
export class ExperimentInvalidError extends LekhaError {
  declare readonly code: 'EXPERIMENT_INVALID';

  constructor(readonly issues: string[]) {
    super('EXPERIMENT_INVALID', `invalid experiment: ${issues.join('; ')}`, { retryable: false });
  }
}
