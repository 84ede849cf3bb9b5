import { LekhaError } from '../runtime/index.js';

/** A cron pattern or time zone croner cannot read. Not retryable. */
export class InvalidCronError extends LekhaError {
  declare readonly code: 'INVALID_CRON';

  constructor(
    readonly pattern: string,
    detail: string,
  ) {
    super('INVALID_CRON', `cannot read cron pattern "${pattern}": ${detail}`, { retryable: false });
  }
}

/** A claimed job's kind has no handler in this process (a plugin not loaded here). */
export class JobHandlerMissingError extends LekhaError {
  declare readonly code: 'JOB_HANDLER_MISSING';

  constructor(readonly kind: string) {
    super('JOB_HANDLER_MISSING', `no handler for jobs of kind ${kind} in this process`);
  }
}

/** A handler ran past its timeout; its signal was aborted. */
export class JobTimeoutError extends LekhaError {
  declare readonly code: 'JOB_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super('JOB_TIMEOUT', `the handler did not finish within ${timeoutMs} ms`);
  }
}

/**
 * What a non-idempotent handler throws when it cannot tell whether its
 * effect happened (a send whose answer never came): the job becomes
 * `in_doubt` instead of being retried, since a retry could deliver twice.
 * The message is stored as the job's error: never put the job's text in it.
 */
export class JobInDoubtError extends LekhaError {
  declare readonly code: 'JOB_IN_DOUBT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('JOB_IN_DOUBT', message, { ...options, retryable: false });
  }
}

/** A job claimed more often than its attempts allow: every run so far ended with its process. */
export class JobOutOfAttemptsError extends LekhaError {
  declare readonly code: 'JOB_OUT_OF_ATTEMPTS';

  constructor(readonly attempts: number) {
    super(
      'JOB_OUT_OF_ATTEMPTS',
      `claimed ${attempts} times without a run that finished (each claim's process stopped or lost the lease)`,
      { retryable: false },
    );
  }
}
