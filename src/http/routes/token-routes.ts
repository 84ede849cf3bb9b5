import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { issueToken } from '../auth/issue-token.js';
import { NotFoundError } from '../errors.js';
import type { TokenRecord } from '../ports/token-store.js';
import type { AuditRecord } from '../schemas/audit.js';
import { TokenCreateBody, TokenCreated, TokenView } from '../schemas/token.js';

function view(record: TokenRecord): TokenView {
  return {
    id: record.id,
    label: record.label,
    role: record.role,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    revokedAt: record.revokedAt,
  };
}

/**
 * Token management (admin): list, create (the secret is shown once), revoke.
 * Creation and revocation are audited by the token store, in the change's
 * own transaction.
 */
export const tokenRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { tokens } = ctx.deps;

  app.get(
    '/tokens',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Every API token, revoked ones included (never the secrets)',
        tags: ['tokens'],
        response: { 200: Type.Object({ items: Type.Array(TokenView) }) },
      },
    },
    async () => ({ items: (await tokens.list()).map(view) }),
  );

  app.post(
    '/tokens',
    {
      config: {
        role: 'admin',
        audit: {
          action: 'token.create',
          target: (request) => `token:${String(request.auditDetails?.tokenId ?? 'new')}`,
          recordedWithChange: true,
        },
      },
      schema: {
        summary: 'Creates a token; the answer is the only place its secret appears',
        tags: ['tokens'],
        body: TokenCreateBody,
        response: { 201: TokenCreated },
      },
    },
    async (request, reply) => {
      let audit: AuditRecord | undefined;
      const issued = await issueToken(
        tokens,
        { ...request.body, createdBy: request.identity?.tokenId ?? null },
        ctx.clock,
        (record) => {
          request.auditDetails = { tokenId: record.id, role: record.role, label: record.label };
          audit = ctx.auditTrail.recordFor(request, { outcome: 'ok', statusCode: 201, details: request.auditDetails });
          return audit;
        },
      );
      ctx.auditTrail.recordedWith(request, audit as AuditRecord);
      return reply.status(201).send({ token: issued.token, record: view(issued.record) });
    },
  );

  app.delete(
    '/tokens/:tokenId',
    {
      config: {
        role: 'admin',
        audit: {
          action: 'token.revoke',
          target: (request) => `token:${String((request.params as { tokenId?: unknown }).tokenId)}`,
          recordedWithChange: true,
        },
      },
      schema: {
        summary: 'Revokes a token; it stops working at once',
        tags: ['tokens'],
        params: Type.Object({ tokenId: Type.String({ pattern: '^[0-9a-f]{1,64}$' }) }),
        response: { 200: Type.Object({ record: TokenView }) },
      },
    },
    async (request) => {
      const audit = ctx.auditTrail.recordFor(request, { outcome: 'ok', statusCode: 200, details: {} });
      const record = await tokens.revoke(request.params.tokenId, new Date(ctx.clock.now()).toISOString(), audit);
      if (record === undefined) throw new NotFoundError('TOKEN_NOT_FOUND', `no token ${request.params.tokenId}`);
      ctx.auditTrail.recordedWith(request, audit);
      ctx.authenticator.forget(record.id);
      return { record: view(record) };
    },
  );
};
