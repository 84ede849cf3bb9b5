import { Type } from 'typebox';
import { LekhaError } from '../../runtime/index.js';
import { auditedChange } from '../audited-change.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { TokenRecord, TokenStore } from '../ports/token-store.js';
import type { AuditRecord } from '../schemas/audit.js';
import { Nullable } from '../schemas/nullable.js';
import { Role } from '../schemas/role.js';
import { JsonlEventFile } from './jsonl-event-file.js';

/** The token file has a line this version cannot read; nothing is guessed or skipped. */
export class TokenFileCorruptError extends LekhaError {
  declare readonly code: 'TOKEN_FILE_CORRUPT';

  constructor(file: string, line: number, why: string) {
    super('TOKEN_FILE_CORRUPT', `${file}:${line}: ${why}`, { retryable: false });
  }
}

const RecordSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  label: Type.String(),
  role: Role,
  hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  createdAt: Type.String(),
  createdBy: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});
const EventSchema = Type.Union([
  Type.Object({ op: Type.Literal('create'), record: RecordSchema }),
  Type.Object({ op: Type.Literal('revoke'), id: Type.String(), at: Type.String() }),
]);
type Event = { op: 'create'; record: TokenRecord } | { op: 'revoke'; id: string; at: string };

function fold(tokens: Map<string, TokenRecord>, event: Event): void {
  if (event.op === 'create') {
    tokens.set(event.record.id, { ...event.record });
    return;
  }
  const record = tokens.get(event.id);
  if (record !== undefined) record.revokedAt ??= event.at;
}

/**
 * Tokens in an append-only JSON Lines file (mode 0600) under `DATA_DIR`, so
 * `lekha token create` and a running `lekha start` share them without a
 * database: one appended line per change, so a CLI and the server writing
 * at the same time never lose each other's change (see JsonlEventFile).
 * Each change's audit row goes to `audit` first.
 */
export class FileTokenStore implements TokenStore {
  private readonly events: JsonlEventFile<Event, Map<string, TokenRecord>>;

  constructor(
    readonly file: string,
    private readonly audit: AuditLog,
  ) {
    this.events = new JsonlEventFile<Event, Map<string, TokenRecord>>(
      file,
      EventSchema,
      () => new Map(),
      fold,
      (at, line, why) => new TokenFileCorruptError(at, line, why),
    );
  }

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    for (const record of (await this.events.read()).values()) if (record.hash === hash) return { ...record };
    return undefined;
  }

  async create(record: TokenRecord, audit: AuditRecord): Promise<void> {
    if ((await this.events.read()).has(record.id)) throw new Error(`token id ${record.id} already exists`);
    await auditedChange(this.audit, audit, () => this.events.append({ op: 'create', record }));
  }

  async list(): Promise<TokenRecord[]> {
    return [...(await this.events.read()).values()].map((r) => ({ ...r }));
  }

  async revoke(id: string, atIso: string, audit: AuditRecord): Promise<TokenRecord | undefined> {
    const record = (await this.events.read()).get(id);
    if (record === undefined) return undefined;
    return auditedChange(this.audit, audit, async () => {
      if (record.revokedAt === null) await this.events.append({ op: 'revoke', id, at: atIso });
      return { ...((await this.events.read()).get(id) as TokenRecord) };
    });
  }
}
