import { LekhaError } from '../runtime/index.js';

/**
 * The admin server could not listen on `host:port`: `reason` is the socket
 * error's code (`EADDRINUSE` when another process holds the port, `EACCES`
 * for a privileged port, `EADDRNOTAVAIL` for an address this machine does
 * not have).
 */
export class HttpListenError extends LekhaError {
  declare readonly code: 'HTTP_PORT_IN_USE' | 'HTTP_LISTEN_FAILED';

  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: string,
    cause: unknown,
  ) {
    super(
      reason === 'EADDRINUSE' ? 'HTTP_PORT_IN_USE' : 'HTTP_LISTEN_FAILED',
      `cannot listen on ${host}:${port}: ${reason}`,
      { cause, retryable: reason === 'EADDRINUSE' },
    );
  }
}
