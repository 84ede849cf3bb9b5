import { KeysetCursor } from '../../runtime/index.js';
import { InvalidCursorError } from '../errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { AuditEntry, AuditFilter, AuditRecord, AuditResult } from '../schemas/audit.js';
import type { Page, PageRequest } from '../schemas/pagination.js';

/**
 * The audit log in memory: for tests, and for a process without storage
 * (every row is also written to the process log, which outlives it).
 * Keeps the newest `capacity` rows.
 */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 100_000) {}

  async append(record: AuditRecord): Promise<AuditEntry> {
    const entry: AuditEntry = { id: this.nextId++, ...record };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return entry;
  }

  async settle(id: number, result: AuditResult): Promise<void> {
    const entry = this.entries.find((e) => e.id === id);
    if (entry?.outcome === 'requested') Object.assign(entry, result);
  }

  async query(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const before =
      page.cursor === undefined
        ? Number.POSITIVE_INFINITY
        : KeysetCursor.decode(page.cursor, ['number'], InvalidCursorError)[0];
    const fromMs = filter.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(filter.from);
    const toMs = filter.to === undefined ? Number.POSITIVE_INFINITY : Date.parse(filter.to);
    const action = filter.action;
    const matchesAction =
      action === undefined
        ? () => true
        : action.endsWith('*')
          ? (a: string) => a.startsWith(action.slice(0, -1))
          : (a: string) => a === action;
    const items: AuditEntry[] = [];
    let more = false;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as AuditEntry;
      if (e.id >= before) continue;
      const atMs = Date.parse(e.at);
      if (atMs < fromMs || atMs > toMs) continue;
      if (filter.actor !== undefined && e.actor.tokenId !== filter.actor) continue;
      if (filter.target !== undefined && e.target !== filter.target) continue;
      if (!matchesAction(e.action)) continue;
      if (items.length === page.limit) {
        more = true;
        break;
      }
      items.push(e);
    }
    const last = items.at(-1);
    return { items, nextCursor: more && last !== undefined ? KeysetCursor.encode([last.id]) : null };
  }
}
