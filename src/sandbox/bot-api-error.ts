/** A Bot API error answer: the HTTP status doubles as `error_code`, as on Telegram. */
export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after: number },
  ) {
    super(description);
  }

  /** The JSON body Telegram answers with. */
  toJSON(): { ok: false; error_code: number; description: string; parameters?: { retry_after: number } } {
    return {
      ok: false,
      error_code: this.code,
      description: this.description,
      ...(this.parameters === undefined ? {} : { parameters: this.parameters }),
    };
  }
}

/** A 429 telling the client to wait `retryAfterS` seconds. */
export function tooManyRequests(retryAfterS: number): BotApiError {
  return new BotApiError(429, `Too Many Requests: retry after ${retryAfterS}`, { retry_after: retryAfterS });
}
