import { Type } from 'typebox';
import { auditedChange } from '../audited-change.js';
import type { TelegramAdminGrant, TelegramAdminStore } from '../ports/admin-session.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { AuditRecord } from '../schemas/audit.js';
import { Role } from '../schemas/role.js';
import { JsonlEventFile } from './jsonl-event-file.js';

const GrantSchema = Type.Object({
  telegramUserId: Type.Integer({ minimum: 1 }),
  role: Role,
  label: Type.String(),
  grantedAt: Type.String(),
  grantedBy: Type.String(),
});
const EventSchema = Type.Union([
  Type.Object({ op: Type.Literal('grant'), grant: GrantSchema }),
  Type.Object({ op: Type.Literal('remove'), telegramUserId: Type.Integer() }),
]);
type Event = { op: 'grant'; grant: TelegramAdminGrant } | { op: 'remove'; telegramUserId: number };

function fold(grants: Map<number, TelegramAdminGrant>, event: Event): void {
  if (event.op === 'grant') grants.set(event.grant.telegramUserId, { ...event.grant });
  else grants.delete(event.telegramUserId);
}

/** Telegram users' dashboard roles in an append-only file under `DATA_DIR`, for a runtime without storage. */
export class FileTelegramAdminStore implements TelegramAdminStore {
  private readonly events: JsonlEventFile<Event, Map<number, TelegramAdminGrant>>;

  constructor(
    file: string,
    private readonly audit: AuditLog,
  ) {
    this.events = new JsonlEventFile<Event, Map<number, TelegramAdminGrant>>(file, EventSchema, () => new Map(), fold);
  }

  async find(telegramUserId: number): Promise<TelegramAdminGrant | undefined> {
    const grant = (await this.events.read()).get(telegramUserId);
    return grant === undefined ? undefined : { ...grant };
  }

  async list(): Promise<TelegramAdminGrant[]> {
    return [...(await this.events.read()).values()]
      .sort((a, b) => a.telegramUserId - b.telegramUserId)
      .map((g) => ({ ...g }));
  }

  async grant(grant: TelegramAdminGrant, audit: AuditRecord): Promise<void> {
    await auditedChange(this.audit, audit, () => this.events.append({ op: 'grant', grant }));
  }

  async remove(telegramUserId: number, audit: AuditRecord): Promise<TelegramAdminGrant | undefined> {
    const grant = await this.find(telegramUserId);
    if (grant === undefined) return undefined;
    await auditedChange(this.audit, audit, () => this.events.append({ op: 'remove', telegramUserId }));
    return grant;
  }
}
