import { type Static, Type } from 'typebox';

/**
 * Every 4xx/5xx answer has this shape: Fastify's own validation errors
 * already do, and our typed errors are mapped onto it, so clients can match
 * on `code` whatever went wrong.
 */
export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({
      description: 'stable machine-readable code, e.g. FST_ERR_VALIDATION, UNAUTHORIZED, CHAT_NOT_FOUND',
    }),
    error: Type.String({ description: 'HTTP reason phrase' }),
    message: Type.String({ description: 'what was wrong, for a human' }),
    issues: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'each problem on its own, when the request broke a schema the route checks itself (plugin settings)',
      }),
    ),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;
