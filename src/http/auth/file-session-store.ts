import { Type } from 'typebox';
import { auditedChange } from '../audited-change.js';
import type { AdminSessionRecord, AdminSessionStore } from '../ports/admin-session.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { AuditRecord } from '../schemas/audit.js';
import { Nullable } from '../schemas/nullable.js';
import { Role } from '../schemas/role.js';
import { JsonlEventFile } from './jsonl-event-file.js';

const RecordSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  method: Type.Enum(['oidc', 'telegram']),
  subject: Type.String(),
  label: Type.String(),
  role: Role,
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  ip: Type.String(),
  userAgent: Nullable(Type.String()),
});
const EventSchema = Type.Union([
  Type.Object({ op: Type.Literal('open'), record: RecordSchema }),
  Type.Object({ op: Type.Literal('touch'), id: Type.String(), at: Type.String() }),
  Type.Object({ op: Type.Literal('revoke'), id: Type.String(), at: Type.String() }),
]);
type Event =
  | { op: 'open'; record: AdminSessionRecord }
  | { op: 'touch'; id: string; at: string }
  | { op: 'revoke'; id: string; at: string };

function fold(sessions: Map<string, AdminSessionRecord>, event: Event): void {
  if (event.op === 'open') {
    sessions.set(event.record.id, { ...event.record });
    return;
  }
  const record = sessions.get(event.id);
  if (record === undefined) return;
  if (event.op === 'touch') {
    if (event.at > record.lastSeenAt) record.lastSeenAt = event.at;
  } else record.revokedAt ??= event.at;
}

/**
 * Dashboard sessions in an append-only file under `DATA_DIR`, for a runtime
 * without storage: they survive a restart as tokens do. Activity is
 * appended at most as often as the session manager touches (once a minute
 * per session).
 */
export class FileSessionStore implements AdminSessionStore {
  private readonly events: JsonlEventFile<Event, Map<string, AdminSessionRecord>>;

  constructor(
    file: string,
    private readonly audit: AuditLog,
  ) {
    this.events = new JsonlEventFile<Event, Map<string, AdminSessionRecord>>(file, EventSchema, () => new Map(), fold);
  }

  async findByHash(hash: string): Promise<AdminSessionRecord | undefined> {
    for (const record of (await this.events.read()).values()) if (record.hash === hash) return { ...record };
    return undefined;
  }

  async create(record: AdminSessionRecord, audit: AuditRecord): Promise<void> {
    if ((await this.events.read()).has(record.id)) throw new Error(`session id ${record.id} already exists`);
    await auditedChange(this.audit, audit, () => this.events.append({ op: 'open', record }));
  }

  async touch(id: string, atIso: string): Promise<void> {
    if (!(await this.events.read()).has(id)) return;
    await this.events.append({ op: 'touch', id, at: atIso });
  }

  async list(): Promise<AdminSessionRecord[]> {
    return [...(await this.events.read()).values()].map((r) => ({ ...r }));
  }

  async revoke(id: string, atIso: string, audit: AuditRecord): Promise<AdminSessionRecord | undefined> {
    const record = (await this.events.read()).get(id);
    if (record === undefined) return undefined;
    return auditedChange(this.audit, audit, async () => {
      if (record.revokedAt === null) await this.events.append({ op: 'revoke', id, at: atIso });
      return { ...((await this.events.read()).get(id) as AdminSessionRecord) };
    });
  }
}
