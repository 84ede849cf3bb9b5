/** Every message is a member of a discriminated union tagged by `type`. */
export interface Message {
  readonly type: string;
}

/** How a side effect ended, as delivered back to the actor that started it. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * The answer channel carried by a message sent with `ask`. The actor calls
 * `resolve` or `reject` exactly once; later calls and calls after the asker
 * gave up are ignored.
 */
export interface Reply<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A function that starts a side effect; it gets a signal that aborts when the
 * actor stops, if it declares the parameter (`(signal) => …`).
 */
export type SideEffect<T> = (signal: AbortSignal) => Promise<T>;

/** Structured logger port (pino satisfies it). */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  /** Optional: details only a developer chasing a problem wants. */
  debug?(obj: object, msg: string): void;
}
