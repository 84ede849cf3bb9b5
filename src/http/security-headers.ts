import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/**
 * The dashboard is one page of our own scripts and styles: nothing inline,
 * nothing from elsewhere, no framing.
 */
const policy = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/**
 * Security headers on every answer (CSP, nosniff, frame denial, HSTS, …) as
 * helmet computes them. With a static policy they are the same for every
 * request, so helmet runs once at start-up against a recording response and
 * each request just gets the recorded headers. (@fastify/helmet instead
 * rebuilds helmet's middleware on every request, ~35 µs and a burst of
 * garbage each: more than the whole `/api/stats` handler.)
 */
export function createSecurityHeadersHook() {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string): void {
      delete headers[name.toLowerCase()];
    },
  };
  // No directive is a function, so helmet never looks at the request.
  helmet(policy)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error;
  });
  return function securityHeaders(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    reply.headers(headers);
    done();
  };
}
