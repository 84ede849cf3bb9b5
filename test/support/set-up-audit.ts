import { type AuditRecord, localAuditRecord, type TokenRecord } from '../../src/http/index.js';

const setUp = { tokenId: 'test', label: 'test set-up', role: 'admin' as const };

/** The audit row of a token a test creates as set-up (`issueToken`'s last argument). */
export function setUpAudit(record: TokenRecord): AuditRecord {
  return localAuditRecord({
    actor: setUp,
    action: 'token.create',
    target: `token:${record.id}`,
    atMs: Date.parse(record.createdAt),
  });
}

/** The audit row of a revocation a test makes as set-up. */
export function setUpRevokeAudit(tokenId: string): AuditRecord {
  return localAuditRecord({ actor: setUp, action: 'token.revoke', target: `token:${tokenId}`, atMs: 0 });
}
