import net from 'node:net';

/**
 * A TCP proxy in front of a real server that a test can cut and restore,
 * to simulate the server (or the network to it) going away: `cut` drops
 * every open connection and refuses new ones until `restore`.
 */
export class TcpGate {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private open = true;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (!this.open) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target);
      this.track(client);
      this.track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
  }

  /** Starts a gate to `host:port` on a free local port. */
  static async start(target: { host: string; port: number }): Promise<TcpGate> {
    const gate = new TcpGate(target);
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    return gate;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}

/** `url` with its host and port replaced, to route a connection URL through a gate. */
export function throughGate(url: string, gate: TcpGate): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(gate.port);
  return parsed.toString();
}

/** Host and port of a URL (default ports filled in). */
export function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port === '' ? defaultPort : Number(parsed.port) };
}
