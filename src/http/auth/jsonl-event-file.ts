import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { LekhaError } from '../../runtime/index.js';

/** A line of an admin state file (sessions, Telegram admins) this version cannot read; nothing is guessed or skipped. */
export class AdminFileCorruptError extends LekhaError {
  declare readonly code: 'ADMIN_FILE_CORRUPT';

  constructor(file: string, line: number, why: string) {
    super('ADMIN_FILE_CORRUPT', `${file}:${line}: ${why}`, { retryable: false });
  }
}

/**
 * An append-only JSON Lines file (mode 0600) of change events, folded into
 * state `S` on read and re-read only when the file changed — how the admin
 * surface keeps tokens, sessions and Telegram admins durable without a database.
 * Each change is one appended line (one `write` with O_APPEND), so two
 * processes appending never lose each other's change.
 */
export class JsonlEventFile<E, S> {
  private state: S;
  private seen: { mtimeMs: number; size: number } | null = null;

  constructor(
    readonly file: string,
    private readonly schema: TSchema,
    private readonly empty: () => S,
    private readonly fold: (state: S, event: E) => void,
    /** The error for an unreadable line (default: {@link AdminFileCorruptError}). */
    private readonly corrupt: (file: string, line: number, why: string) => Error = (file, line, why) =>
      new AdminFileCorruptError(file, line, why),
  ) {
    this.state = empty();
  }

  /** The current state (shared: callers copy what they hand out). */
  async read(): Promise<S> {
    await this.refresh();
    return this.state;
  }

  async append(event: E): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await appendFile(this.file, `${JSON.stringify(event)}\n`, { mode: 0o600 });
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    let info;
    try {
      info = await stat(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.state = this.empty();
        this.seen = null;
        return;
      }
      throw error;
    }
    if (this.seen !== null && this.seen.mtimeMs === info.mtimeMs && this.seen.size === info.size) return;
    const lines = (await readFile(this.file, 'utf8')).split('\n');
    const state = this.empty();
    // The last piece is empty, or a line still being written: read next time.
    for (let i = 0; i < lines.length - 1; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch (error) {
        throw this.corrupt(this.file, i + 1, `not JSON (${(error as Error).message})`);
      }
      if (!Value.Check(this.schema, event)) throw this.corrupt(this.file, i + 1, 'not an event of this file');
      this.fold(state, event as E);
    }
    this.state = state;
    this.seen = { mtimeMs: info.mtimeMs, size: info.size };
  }
}
