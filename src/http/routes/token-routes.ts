import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { issueToken } from '../auth/issue-token.js';
import { NotFoundError } from '../errors.js';
import type { TokenRecord } from '../ports/token-store.js';
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

/** Token management (admin): list, create (the secret is shown once), revoke. */
export const tokenRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { tokens } = ctx.deps;

  app.get(
    '/tokens',
    {
      config: { role: 'admin' },
      schema: { summary: 'Every API token, revoked ones included (never the secrets)', tags: ['tokens'], response: { 200: Type.Object({ items: Type.Array(TokenView) }) } },
    },
    async () => ({ items: (await tokens.list()).map(view) }),
  );

  app.post(
    '/tokens',
    {
      config: {
        role: 'admin',
        audit: { action: 'token.create', target: (request) => `token:${String(request.auditDetails?.tokenId ?? 'new')}` },
      },
      schema: { summary: 'Creates a token; the answer is the only place its secret appears', tags: ['tokens'], body: TokenCreateBody, response: { 201: TokenCreated } },
    },
    async (request, reply) => {
      const issued = await issueToken(tokens, { ...request.body, createdBy: request.identity?.tokenId ?? null }, ctx.clock);
      request.auditDetails = { tokenId: issued.record.id, role: issued.record.role, label: issued.record.label };
      return reply.status(201).send({ token: issued.token, record: view(issued.record) });
    },
  );

  app.delete(
    '/tokens/:tokenId',
    {
      config: { role: 'admin', audit: { action: 'token.revoke', target: (request) => `token:${String((request.params as { tokenId?: unknown }).tokenId)}` } },
      schema: {
        summary: 'Revokes a token; it stops working at once',
        tags: ['tokens'],
        params: Type.Object({ tokenId: Type.String({ pattern: '^[0-9a-f]{1,64}$' }) }),
        response: { 200: Type.Object({ record: TokenView }) },
      },
    },
    async (request) => {
      const record = await tokens.revoke(request.params.tokenId, new Date(ctx.clock.now()).toISOString());
      if (record === undefined) throw new NotFoundError('TOKEN_NOT_FOUND', `no token ${request.params.tokenId}`);
      ctx.authenticator.forget(record.id);
      return { record: view(record) };
    },
  );
};
