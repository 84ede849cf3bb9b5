import { buildHttpApp, type HttpApp } from './build-http-app.js';
import type { HttpDeps } from './http-deps.js';
import { HttpListenError } from './http-listen-error.js';

export interface HttpServer {
  app: HttpApp;
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the admin surface and listens on `host:port` (`HTTP_HOST`,
 * `HTTP_PORT`; port 0 picks a free one). `close` stops taking connections
 * and waits for requests in flight. A port that cannot be taken (in use,
 * privileged) throws {@link HttpListenError} with the app already closed.
 */
export async function startHttpServer(deps: HttpDeps, listen: { host: string; port: number }): Promise<HttpServer> {
  const app = await buildHttpApp(deps);
  try {
    await app.listen({ host: listen.host, port: listen.port });
  } catch (error) {
    await app.close();
    const { syscall, code } = error as { syscall?: unknown; code?: unknown };
    if (syscall === 'listen' && typeof code === 'string')
      throw new HttpListenError(listen.host, listen.port, code, error);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
