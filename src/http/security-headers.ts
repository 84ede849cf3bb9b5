import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers on every answer (CSP, nosniff, frame denial, HSTS, …) by
 * helmet. The dashboard is one page of our own scripts and styles: nothing
 * inline, nothing from elsewhere, no framing.
 *
 * helmet is used directly, its middleware built once: @fastify/helmet
 * rebuilds it on every request (~35 µs and a burst of garbage each), which
 * costs more than the whole `/api/stats` handler at thousands of polls per
 * second.
 */
export function createSecurityHeadersHook() {
  const apply = helmet({
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
  });
  return function securityHeaders(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    apply(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  };
}
