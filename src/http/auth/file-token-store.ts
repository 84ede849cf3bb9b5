import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { LekhaError } from '../../runtime/index.js';
import { auditedChange } from '../audited-change.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { TokenRecord, TokenStore } from '../ports/token-store.js';
import type { AuditRecord } from '../schemas/audit.js';
import { Nullable } from '../schemas/nullable.js';
import { Role } from '../schemas/role.js';

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

/**
 * Tokens in an append-only JSON Lines file (mode 0600) under `DATA_DIR`, so
 * `lekha token create` and a running `lekha start` share them without a
 * database. Each change is one appended line — one `write` with O_APPEND —
 * so a CLI and the server writing at the same time never lose each other's
 * change. Readers fold the lines and re-read only when the file changed.
 * Each change's audit row goes to `audit` first.
 */
export class FileTokenStore implements TokenStore {
  private records = new Map<string, TokenRecord>();
  private seen: { mtimeMs: number; size: number } | null = null;

  constructor(
    readonly file: string,
    private readonly audit: AuditLog,
  ) {}

  async findByHash(hash: string): Promise<TokenRecord | undefined> {
    await this.refresh();
    for (const record of this.records.values()) if (record.hash === hash) return { ...record };
    return undefined;
  }

  async create(record: TokenRecord, audit: AuditRecord): Promise<void> {
    await this.refresh();
    if (this.records.has(record.id)) throw new Error(`token id ${record.id} already exists`);
    await auditedChange(this.audit, audit, () => this.append({ op: 'create', record }));
  }

  async list(): Promise<TokenRecord[]> {
    await this.refresh();
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  async revoke(id: string, atIso: string, audit: AuditRecord): Promise<TokenRecord | undefined> {
    await this.refresh();
    const record = this.records.get(id);
    if (record === undefined) return undefined;
    return auditedChange(this.audit, audit, async () => {
      if (record.revokedAt === null) await this.append({ op: 'revoke', id, at: atIso });
      return { ...(this.records.get(id) as TokenRecord) };
    });
  }

  private async append(event: object): Promise<void> {
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
        this.records = new Map();
        this.seen = null;
        return;
      }
      throw error;
    }
    if (this.seen !== null && this.seen.mtimeMs === info.mtimeMs && this.seen.size === info.size) return;
    const text = await readFile(this.file, 'utf8');
    const records = new Map<string, TokenRecord>();
    const lines = text.split('\n');
    // The last piece is empty, or a line whose write is still in progress
    // (no newline yet): it is read on the next refresh.
    const complete = lines.length - 1;
    for (let i = 0; i < complete; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch (error) {
        throw new TokenFileCorruptError(this.file, i + 1, `not JSON (${(error as Error).message})`);
      }
      if (!Value.Check(EventSchema, event)) throw new TokenFileCorruptError(this.file, i + 1, 'not a token event');
      if (event.op === 'create') records.set(event.record.id, { ...event.record });
      else {
        const record = records.get(event.id);
        if (record !== undefined) record.revokedAt ??= event.at;
      }
    }
    this.records = records;
    this.seen = { mtimeMs: info.mtimeMs, size: info.size };
  }
}
