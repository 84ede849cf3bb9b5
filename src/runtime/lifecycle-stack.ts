import { LekhaError } from './errors.js';
import type { Logger } from './message.js';

type Close = () => Promise<unknown> | unknown;

/** A resource whose closing failed; the resources after it were closed all the same. */
export interface CloseFailure {
  name: string;
  error: unknown;
}

/** Some resources failed to close (each was logged when it failed); the others were closed. */
export class CloseIncompleteError extends LekhaError {
  declare readonly code: 'CLOSE_INCOMPLETE';

  constructor(readonly failures: readonly CloseFailure[]) {
    super('CLOSE_INCOMPLETE', `closing failed for: ${failures.map((f) => f.name).join(', ')}`, { retryable: false });
  }
}

/**
 * What a process has opened, closed in reverse: each resource registers how
 * it closes as soon as it is open, so stopping a running process and
 * unwinding a start that failed halfway are the same walk down the stack.
 * A resource that must close later than its opening order implies (one
 * that serves others while they drain) keeps its place with
 * {@link LifecycleStack.reserve} before the resources it outlives open.
 */
export class LifecycleStack {
  private readonly entries: Array<{ name: string; close: Close | null }> = [];

  constructor(private readonly logger?: Logger) {}

  /** Registers the closing of a resource just opened: it runs before everything registered earlier. */
  push(name: string, close: Close): void {
    this.entries.push({ name, close });
  }

  /**
   * Keeps a place in the closing order for a resource opened later; call the
   * returned function with its close once it is open. Nothing runs there if
   * it never opened.
   */
  reserve(name: string): (close: Close) => void {
    const entry: { name: string; close: Close | null } = { name, close: null };
    this.entries.push(entry);
    return (close) => {
      entry.close = close;
    };
  }

  /**
   * Closes everything, last registered first. A failure is logged and
   * collected and the walk goes on; what was closed is forgotten, so a
   * second call closes nothing.
   */
  async close(): Promise<CloseFailure[]> {
    const failures: CloseFailure[] = [];
    for (let entry = this.entries.pop(); entry !== undefined; entry = this.entries.pop()) {
      if (entry.close === null) continue;
      try {
        await entry.close();
      } catch (error) {
        failures.push({ name: entry.name, error });
        this.logger?.error({ err: error, resource: entry.name }, `closing ${entry.name} failed`);
      }
    }
    return failures;
  }
}
