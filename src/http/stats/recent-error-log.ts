import type { ErrorFeed } from '../ports/error-feed.js';
import type { ErrorEvent } from '../schemas/alerts.js';

const levels: Record<number, ErrorEvent['level']> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * The last warnings and errors of the process, for the dashboard's alerts
 * panel. It is a pino destination (`write` takes one JSON log line), so the
 * process logger can copy its warn-and-above lines here; anything else can
 * `record` events directly. Holds at most `capacity` events.
 */
export class RecentErrorLog implements ErrorFeed {
  private readonly events: ErrorEvent[] = [];
  /** Log lines that were not JSON objects with a level (never expected from pino; counted, not thrown). */
  unreadable = 0;

  constructor(private readonly capacity = 200) {}

  record(event: ErrorEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
  }

  /** pino destination: one serialised log line. */
  write(line: string): void {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      // A logger must never throw into its caller; the line is counted instead.
      this.unreadable++;
      return;
    }
    if (typeof entry !== 'object' || entry === null) {
      this.unreadable++;
      return;
    }
    const fields = entry as Record<string, unknown>;
    const level = typeof fields.level === 'number' ? levels[fields.level] : undefined;
    if (level === undefined) return;
    const err =
      typeof fields.err === 'object' && fields.err !== null ? (fields.err as Record<string, unknown>) : undefined;
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    const context = ['key', 'chatId', 'reason']
      .filter((k) => fields[k] !== undefined)
      .map((k) => `${k}=${String(fields[k])}`)
      .join(' ');
    this.record({
      at: new Date(typeof fields.time === 'number' ? fields.time : Date.now()).toISOString(),
      level,
      message: text(fields.msg) ?? '',
      code: text(err?.code) ?? text(fields.code),
      detail: [text(err?.message), context].filter((s) => s !== null && s !== '').join(' — ') || null,
    });
  }

  recent(limit: number): ErrorEvent[] {
    return this.events.slice(-limit).reverse();
  }
}
