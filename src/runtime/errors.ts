import type { LekhaErrorCode } from './error-codes.js';

/**
 * Every error the runtime throws on purpose carries a stable `code`, so logs,
 * HTTP answers and tests can match on it instead of on message text. The
 * code is one of {@link LekhaErrorCode}; a subclass narrows `code` to the
 * literal(s) it uses (`declare readonly code: 'MAILBOX_FULL'`), so a check
 * against a code the class never carries does not compile either.
 */
export class LekhaError extends Error {
  readonly code: LekhaErrorCode;
  /** False when retrying the same operation cannot help (corrupt data, unknown version). */
  readonly retryable: boolean;

  constructor(code: LekhaErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options?.retryable ?? true;
  }
}

/** The actor's mailbox is full and the message's overflow policy is to reject it. */
export class MailboxFullError extends LekhaError {
  declare readonly code: 'MAILBOX_FULL';

  constructor(
    readonly key: unknown,
    readonly capacity: number,
  ) {
    super('MAILBOX_FULL', `mailbox of actor ${String(key)} is full (${capacity} messages)`);
  }
}

/** The key failed too often and is refusing messages until `untilMs`. */
export class ActorQuarantinedError extends LekhaError {
  declare readonly code: 'ACTOR_QUARANTINED';

  constructor(
    readonly key: unknown,
    readonly reason: string,
    readonly untilMs: number,
  ) {
    super(
      'ACTOR_QUARANTINED',
      `actor ${String(key)} is quarantined until ${new Date(untilMs).toISOString()}: ${reason}`,
    );
  }
}

/** The runtime is shutting down and takes no new messages. */
export class ShuttingDownError extends LekhaError {
  declare readonly code: 'SHUTTING_DOWN';

  constructor() {
    super('SHUTTING_DOWN', 'the runtime is shutting down and accepts no new messages');
  }
}

/** An `ask` got no reply in time. */
export class AskTimeoutError extends LekhaError {
  declare readonly code: 'ASK_TIMEOUT';

  constructor(
    readonly key: unknown,
    readonly timeoutMs: number,
  ) {
    super('ASK_TIMEOUT', `actor ${String(key)} did not reply within ${timeoutMs} ms`);
  }
}

/** The actor stopped (restart, quarantine, passivation or shutdown) before it replied. */
export class ActorStoppedError extends LekhaError {
  declare readonly code: 'ACTOR_STOPPED';

  constructor(readonly key: unknown) {
    super('ACTOR_STOPPED', `actor ${String(key)} stopped before replying`);
  }
}

/**
 * A component was built with an option it cannot work with (a capacity of 0,
 * a negative interval, a maximum below its minimum). Thrown once, at
 * construction; `option` names the option, the message says what it expects.
 */
export class InvalidOptionError extends LekhaError {
  declare readonly code: 'INVALID_OPTION';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super('INVALID_OPTION', message, { retryable: false });
  }
}

/** The key is served by another member of the cluster, or by nobody at this moment (a partition changing hands). */
export class NotOwnedError extends LekhaError {
  declare readonly code: 'CHAT_NOT_OWNED';

  constructor(readonly key: unknown) {
    super('CHAT_NOT_OWNED', `${String(key)} is not served by this member of the cluster now`, { retryable: true });
  }
}
