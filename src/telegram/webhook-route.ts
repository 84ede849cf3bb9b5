import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MailboxFullError, ShuttingDownError, type MetricsRegistry } from '../runtime/index.js';
import type { OffsetTracker } from './offset-tracker.js';
import type { UpdateRouter } from './update-router.js';

export interface TelegramWebhookOptions {
  /** URL path Telegram posts to (the path of `WEBHOOK_URL`). */
  path: string;
  /** The `secret_token` given to setWebhook; requests without it get 401. */
  secret: string;
  router: UpdateRouter;
  tracker: OffsetTracker;
  metrics: MetricsRegistry;
  /**
   * Longest wait for an update's turn and durable effects before answering
   * 503 (Telegram then delivers it again; the redelivery is recognised).
   */
  answerTimeoutMs?: number;
}

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Registers the webhook route on a Fastify app (the admin HTTP app in
 * production, a bare instance in tests).
 *
 * The secret header is compared in constant time before the body is even
 * parsed. Telegram gets its answer as soon as the update's turn has run and
 * its effects are durable — microseconds without storage, one flush with it —
 * never after the LLM or the reply, so slow handlers cannot trigger
 * Telegram's redelivery storms, and a crash cannot lose an update that was
 * answered 200.
 */
export async function registerTelegramWebhook(app: FastifyInstance, options: TelegramWebhookOptions): Promise<void> {
  const expected = digest(options.secret);
  const timeoutMs = options.answerTimeoutMs ?? 10_000;
  const unauthorized = options.metrics.counter(
    'lekha_telegram_webhook_unauthorized_total',
    'Webhook requests with a missing or wrong secret',
  );
  const deferred = options.metrics.counter(
    'lekha_telegram_webhook_deferred_total',
    'Webhook updates answered 503 so Telegram retries them',
  );

  const checkSecret = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const given = request.headers[SECRET_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      unauthorized.inc();
      await reply.code(401).send({ ok: false, error: 'unauthorized' });
    }
  };

  app.post(options.path, { onRequest: checkSecret, bodyLimit: 1 << 20 }, async (request, reply) => {
    let outcome;
    try {
      outcome = options.router.dispatch(request.body);
    } catch (error) {
      if (error instanceof MailboxFullError || error instanceof ShuttingDownError) {
        deferred.inc();
        return reply.code(503).header('retry-after', '1').send({ ok: false, error: error.code });
      }
      throw error;
    }
    if (outcome === 'queued' || outcome === 'in-flight') {
      const updateId = (request.body as { update_id: number }).update_id;
      const finished = await settlesWithin(options.tracker.whenComplete(updateId), timeoutMs);
      if (!finished) {
        deferred.inc();
        return reply.code(503).header('retry-after', '1').send({ ok: false, error: 'processing' });
      }
    }
    return reply.code(200).send({ ok: true });
  });
}

/** Fixed-length digests, so comparing them leaks neither content nor length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
