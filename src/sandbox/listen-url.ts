import type { FastifyInstance } from 'fastify';

/**
 * Starts an emulator's server (loopback and a free port unless told
 * otherwise) and returns its base URL, with an IPv6 loopback answer spelled
 * as 127.0.0.1 so every client reaches it the same way.
 */
export async function listenUrl(
  app: FastifyInstance,
  options: { host?: string | undefined; port?: number | undefined },
): Promise<string> {
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return address.replace('[::1]', '127.0.0.1');
}
