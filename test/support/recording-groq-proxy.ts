import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat-completion request as the model API received it. */
export interface RecordedCompletion {
  model: string;
  messages: Array<{ role: string; content: string }>;
}

/**
 * Sits between the runtime and the Groq emulator (point `GROQ_BASE_URL` at
 * `url`) and keeps every chat-completion request body, so a test can check
 * exactly what left the process for the model.
 */
export class RecordingGroqProxy {
  readonly completions: RecordedCompletion[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetBaseUrl: string): Promise<RecordingGroqProxy> {
    let proxy: RecordingGroqProxy | null = null;
    const server = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        if (request.url?.endsWith('/chat/completions') === true)
          proxy?.completions.push(JSON.parse(body) as RecordedCompletion);
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers))
          if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers.set(name, value);
        const upstream = await fetch(`${targetBaseUrl}${request.url ?? '/'}`, {
          method: request.method ?? 'GET',
          headers,
          ...(body === '' ? {} : { body }),
        });
        const responseHeaders: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (name !== 'content-length' && name !== 'content-encoding' && name !== 'transfer-encoding')
            responseHeaders[name] = value;
        });
        response.writeHead(upstream.status, responseHeaders).end(Buffer.from(await upstream.arrayBuffer()));
      })().catch((error: unknown) => response.writeHead(502).end(String(error)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new RecordingGroqProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
