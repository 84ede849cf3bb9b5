import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/**
 * The dashboard is one page of our own scripts and styles: nothing inline,
 * nothing from elsewhere, no framing.
 */
function policy(telegramWidget: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The Telegram Login Widget is a script from telegram.org that opens an
        // iframe of oauth.telegram.org; allowed only when the widget is offered.
        scriptSrc: telegramWidget ? ["'self'", 'https://telegram.org'] : ["'self'"],
        ...(telegramWidget ? { frameSrc: ['https://oauth.telegram.org'] } : {}),
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
}

/**
 * Security headers on every answer (CSP, nosniff, frame denial, HSTS, …) as
 * helmet computes them. With a static policy they are the same for every
 * request, so helmet runs once at start-up against a recording response and
 * each request just gets the recorded headers. (@fastify/helmet instead
 * rebuilds helmet's middleware on every request, ~35 µs and a burst of
 * garbage each: more than the whole `/api/stats` handler.)
 */
export function createSecurityHeadersHook(options: { telegramWidget?: boolean } = {}) {
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
  helmet(policy(options.telegramWidget === true))(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error !== undefined) throw error;
    },
  );
  return function securityHeaders(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    reply.headers(headers);
    done();
  };
}
