import { parseArgs } from 'node:util';
import { type Clock, LekhaError } from '../runtime/index.js';
import { issueToken } from './auth/issue-token.js';
import { cliIdentity, localAuditRecord } from './local-audit-record.js';
import type { TokenStore } from './ports/token-store.js';
import { type Role, roles } from './schemas/role.js';
import { textFormat } from './schemas/text.js';

export interface TokenCommandIo {
  store: TokenStore;
  clock: Pick<Clock, 'now'>;
  /** Machine-readable output (the token itself, the list). */
  out(text: string): void;
  /** Explanations for the person at the terminal. */
  err(text: string): void;
}

const usage = `Usage:
  lekha token create --role viewer|operator|admin [--label <text>]
  lekha token list
  lekha token revoke <id>

create prints the new token on stdout, once; only its SHA-256 is stored.
create and revoke are written to the audit log (actor "cli").`;

/**
 * `lekha token …`: makes, lists and revokes admin API tokens in the same
 * store the running server reads, each change audited as made by `cli`
 * (no change when its audit row cannot be written). Returns the process
 * exit code.
 */
export async function runTokenCommand(argv: string[], io: TokenCommandIo): Promise<number> {
  try {
    return await tokenCommand(argv, io);
  } catch (error) {
    if (!(error instanceof LekhaError && error.code === 'AUDIT_UNAVAILABLE')) throw error;
    io.err(`lekha token ${argv[0] ?? ''}: ${error.message}`);
    return 1;
  }
}

async function tokenCommand(argv: string[], io: TokenCommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { role: { type: 'string' }, label: { type: 'string' } },
    });
  } catch (error) {
    io.err(`lekha token: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  switch (sub) {
    case 'create': {
      const role = values.role;
      if (role === undefined || !(roles as readonly string[]).includes(role)) {
        io.err(`lekha token create: --role must be one of ${roles.join(', ')}\n\n${usage}`);
        return 2;
      }
      const label = (values.label ?? `${role} token`).trim();
      if (label.length === 0 || label.length > 100) {
        io.err('lekha token create: --label must be 1–100 characters');
        return 2;
      }
      if (!textFormat.validate(label)) {
        io.err(`lekha token create: --label ${textFormat.rule}`);
        return 2;
      }
      const { token, record } = await issueToken(
        io.store,
        { role: role as Role, label, createdBy: 'cli' },
        io.clock,
        (r) =>
          localAuditRecord({
            actor: cliIdentity,
            action: 'token.create',
            target: `token:${r.id}`,
            atMs: io.clock.now(),
            details: { tokenId: r.id, role: r.role, label: r.label },
          }),
      );
      io.err(
        `Created ${record.role} token ${record.id} ("${record.label}"). It is shown only this once; send it as "Authorization: Bearer <token>" or paste it into the dashboard:`,
      );
      io.out(token);
      return 0;
    }
    case 'list': {
      const records = await io.store.list();
      if (records.length === 0) io.err('no tokens yet: lekha token create --role viewer');
      for (const r of records) {
        io.out(
          [
            r.id,
            r.role,
            r.revokedAt === null ? 'active' : `revoked ${r.revokedAt}`,
            r.createdAt,
            JSON.stringify(r.label),
          ].join('\t'),
        );
      }
      return 0;
    }
    case 'revoke': {
      const id = positionals[0];
      if (id === undefined) {
        io.err(`lekha token revoke: which token? (an id from lekha token list)\n\n${usage}`);
        return 2;
      }
      const atMs = io.clock.now();
      const audit = localAuditRecord({ actor: cliIdentity, action: 'token.revoke', target: `token:${id}`, atMs });
      const record = await io.store.revoke(id, new Date(atMs).toISOString(), audit);
      if (record === undefined) {
        io.err(`lekha token revoke: no token ${id}`);
        return 1;
      }
      io.err(
        `revoked token ${record.id} ("${record.label}"); a running server stops accepting it within its token cache time (10 s)`,
      );
      return 0;
    }
    default:
      io.err(sub === undefined ? usage : `lekha token: unknown subcommand "${sub}"\n\n${usage}`);
      return 2;
  }
}
