import { GrammyError, HttpError } from 'grammy';
import { LekhaError } from '../runtime/index.js';

/** A chat's outgoing queue (or the sender as a whole) is full; the message was not queued. */
export class EgressOverflowError extends LekhaError {
  declare readonly code: 'EGRESS_OVERFLOW';

  constructor(
    readonly chatId: number,
    readonly scope: 'chat' | 'global',
    readonly capacity: number,
  ) {
    super(
      'EGRESS_OVERFLOW',
      `outgoing queue ${scope === 'chat' ? `of chat ${chatId}` : 'of the sender'} is full (${capacity} messages)`,
    );
  }
}

/**
 * Telegram refused a call for good (a 4xx other than 429, e.g. the bot was
 * blocked), or transient failures outlasted the retries.
 */
export class TelegramSendFailedError extends LekhaError {
  declare readonly code: 'TELEGRAM_SEND_FAILED';

  constructor(
    readonly chatId: number,
    readonly method: string,
    readonly errorCode: number | undefined,
    description: string,
    options: { cause?: unknown; retryable: boolean },
  ) {
    super(
      'TELEGRAM_SEND_FAILED',
      `${method} to chat ${chatId} failed${errorCode === undefined ? '' : ` (${errorCode})`}: ${description}`,
      options,
    );
  }
}

/** The sender was closed before the message could go out. */
export class EgressClosedError extends LekhaError {
  declare readonly code: 'EGRESS_CLOSED';

  constructor() {
    super('EGRESS_CLOSED', 'the Telegram sender is closed');
  }
}

/** What went wrong with one Bot API call, in words that are safe to log and show. */
export interface TelegramFailure {
  /** Telegram's `error_code` when it answered (401, 409, 429, 5xx…); absent when no answer came. */
  errorCode?: number;
  /** Telegram's description, or what happened on the way (timed out, connection reset…). */
  description: string;
  /** For a 429: the wait Telegram asked for. */
  retryAfterS?: number;
  /** Default: no answer, a 429 or a 5xx may pass on a later try; any other refusal will not. */
  retryable?: boolean;
}

/**
 * A Bot API call failed: Telegram refused it (`TELEGRAM_API_REFUSED`) or no
 * answer came (`TELEGRAM_API_UNREACHABLE`: connection reset or refused,
 * timeout, an answer that is not the Bot API's JSON).
 *
 * grammY's own errors are not passed on: the error of a failed request
 * holds the request URL, and the URL holds the bot token; a refused call
 * holds its payload (the text of a message). This one carries the method
 * and the failure only, and no cause.
 */
export class TelegramApiError extends LekhaError {
  declare readonly code: 'TELEGRAM_API_REFUSED' | 'TELEGRAM_API_UNREACHABLE';
  readonly errorCode: number | undefined;
  readonly description: string;
  readonly retryAfterS: number | undefined;

  constructor(
    readonly method: string,
    failure: TelegramFailure,
  ) {
    const answered = failure.errorCode !== undefined;
    super(
      answered ? 'TELEGRAM_API_REFUSED' : 'TELEGRAM_API_UNREACHABLE',
      `Telegram ${method} failed${answered ? ` (${failure.errorCode})` : ''}: ${failure.description}`,
      {
        retryable:
          failure.retryable ?? (!answered || failure.errorCode === 429 || (failure.errorCode as number) >= 500),
      },
    );
    this.errorCode = failure.errorCode;
    this.description = failure.description;
    this.retryAfterS = failure.retryAfterS;
  }

  /**
   * The failure of a call to `method`, whatever grammY (or a test double)
   * threw. `token` is removed from any text taken over from the answer.
   */
  static from(method: string, error: unknown, token?: string): TelegramApiError {
    if (error instanceof TelegramApiError) return error;
    if (error instanceof GrammyError) return TelegramApiError.refused(error.method, error, token);
    if (error instanceof HttpError) return new TelegramApiError(method, { description: networkFailure(error.error) });
    // Not a failure of the call itself (a bug, a bad argument): trying again cannot help.
    return new TelegramApiError(method, {
      description: `unexpected ${error instanceof Error ? error.name : typeof error}`,
      retryable: false,
    });
  }

  /** Telegram's refusal (`ok: false`) of a call to `method`. */
  static refused(
    method: string,
    answer: { error_code: number; description: string; parameters?: { retry_after?: number } },
    token?: string,
  ): TelegramApiError {
    const retryAfterS = answer.parameters?.retry_after;
    return new TelegramApiError(method, {
      errorCode: answer.error_code,
      description: withoutToken(answer.description, token),
      ...(retryAfterS === undefined ? {} : { retryAfterS }),
    });
  }
}

/**
 * What happened to a request that got no Bot API answer. Only words of our
 * own and error codes: the messages of fetch errors quote the URL.
 */
function networkFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return 'request failed';
  const timedOut = /timed out after (\d+) seconds/.exec(cause.message);
  if (timedOut !== null) return `no answer within ${timedOut[1]} s`;
  const { code, type } = cause as { code?: unknown; type?: unknown };
  if (type === 'invalid-json') return 'the answer was not Bot API JSON';
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return `network error (${code})`;
  if (cause.name === 'AbortError') return 'request aborted';
  return 'request failed';
}

function withoutToken(text: string, token: string | undefined): string {
  return token === undefined || token === '' ? text : text.split(token).join('[redacted]');
}
