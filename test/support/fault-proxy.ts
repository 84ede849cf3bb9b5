import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy answers a matching call with instead of forwarding it. */
export type ProxyFault =
  | { kind: 'answer'; status: number; body: string; contentType?: string }
  | { kind: 'reset' }
  /** Holds the call without an answer for `ms`, then drops the connection. */
  | { kind: 'hold'; ms: number };

/** Telegram's refusal of a call, as the Bot API writes it. */
export function botApiRefusal(errorCode: number, description: string): ProxyFault {
  return {
    kind: 'answer',
    status: errorCode,
    body: JSON.stringify({ ok: false, error_code: errorCode, description }),
    contentType: 'application/json',
  };
}

/** What a load balancer in front of an API answers when the API is down: HTML, not JSON. */
export const htmlBadGateway: ProxyFault = {
  kind: 'answer',
  status: 502,
  body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
  contentType: 'text/html',
};

/**
 * An HTTP proxy in front of an emulator that answers scripted calls with
 * faults the emulator does not play (any status and body, e.g. a 401 or an
 * HTML 502) and forwards everything else unchanged. Calls are matched by the
 * last segment of their path (a Bot API method, `completions` for Groq).
 */
export class FaultProxy {
  private readonly scripts = new Map<string, ProxyFault[]>();
  private readonly sockets = new Set<Socket>();
  private readonly holds = new Set<NodeJS.Timeout>();
  private readonly server: http.Server;

  private constructor(private readonly target: string) {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** A proxy to `target` (an origin such as `http://127.0.0.1:1234`) on a free local port. */
  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target).origin);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `url` (on the target) as reached through the proxy. */
  via(url: string): string {
    const parsed = new URL(url);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  }

  /** The next calls to `method` get `faults`, one each, in order. */
  script(method: string, ...faults: ProxyFault[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...faults]);
  }

  async close(): Promise<void> {
    for (const timer of this.holds) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = (request.url ?? '/').split('?')[0] as string;
    const fault = this.scripts.get(path.slice(path.lastIndexOf('/') + 1))?.shift();
    if (fault?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'hold') {
      const timer = setTimeout(() => {
        this.holds.delete(timer);
        request.socket.destroy();
      }, fault.ms);
      this.holds.add(timer);
      return;
    }
    if (fault?.kind === 'answer') {
      response.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/plain' }).end(fault.body);
      return;
    }
    try {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] =>
            typeof entry[1] === 'string' && !['host', 'connection', 'content-length'].includes(entry[0]),
        ),
      );
      const forwarded = await fetch(`${this.target}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
      });
      const body = Buffer.from(await forwarded.arrayBuffer());
      response
        .writeHead(forwarded.status, {
          'content-type': forwarded.headers.get('content-type') ?? 'application/octet-stream',
        })
        .end(body);
    } catch {
      // The target dropped the call (an emulator fault): so does the proxy.
      request.socket.destroy();
    }
  }
}
