import type { FastifyReply, FastifyRequest } from 'fastify';
import { Agent, request as send } from 'undici';
import type { ChatOwner, ClusterView } from '../../ports/index.js';
import type { Counter, MetricsRegistry } from '../../runtime/index.js';
import { HttpError } from '../errors.js';

/** Set on a request one member passes to another: its value is the sender's member id. */
export const FORWARDED_BY_HEADER = 'x-lekha-forwarded-by';

/** Routes about one chat: `/api/chats/:id` and everything under it. */
const chatRoute = /^\/api\/chats\/:id(?:\/|$)/;

/**
 * What the owner needs to run the call as the caller: the credentials
 * (bearer token, or the session and CSRF cookies with the CSRF header) and
 * the body's description. Nothing else crosses, and none of it is logged.
 */
const passedHeaders = [
  'authorization',
  'cookie',
  'csrf-token',
  'x-csrf-token',
  'xsrf-token',
  'x-xsrf-token',
  'content-type',
  'content-length',
  'accept',
  'user-agent',
] as const;

/** What the caller gets back from the owner besides the status and body. */
const relayedHeaders = ['content-type', 'retry-after', 'content-disposition'] as const;

/** How a call about a chat served elsewhere ended, as `lekha_cluster_chat_calls_forwarded_total{outcome}` counts it. */
type ForwardOutcome = 'relayed' | 'failed' | 'not_owned';

export interface ChatForwardingOptions {
  cluster: ClusterView;
  metrics: MetricsRegistry;
  /** How long the owner may take to answer in full before the call fails with 502 (default 5 s). */
  timeoutMs?: number | undefined;
  /** Told when the owner answered a call: the owner ran the route and wrote its audit row, so this member writes none. */
  relayed(request: FastifyRequest): void;
}

/**
 * "Never two actors for one chat" on the admin surface: a call about one
 * chat, once authenticated, is served here only when this member owns the
 * chat's partition; otherwise it goes, as the caller sent it, to the member
 * that does, and that member's answer is relayed. A call that was already
 * forwarded is never forwarded again (the two members disagree about the
 * owner: 503 `CHAT_NOT_OWNED`), nor is one for a chat whose partition is
 * changing hands (503 with `Retry-After`). An owner that cannot be reached
 * in time is a 502 `CLUSTER_FORWARD_FAILED` naming it.
 */
export class ChatForwarding {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000 });
  private readonly timeoutMs: number;
  private readonly outcomes: Record<ForwardOutcome, Counter>;

  constructor(private readonly opts: ChatForwardingOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    const counter = (outcome: ForwardOutcome): Counter =>
      opts.metrics.counter(
        'lekha_cluster_chat_calls_forwarded_total',
        'Admin calls about a chat another member serves: relayed from it, failed to reach it, or refused (nobody owns it now, or already forwarded)',
        { outcome },
      );
    this.outcomes = { relayed: counter('relayed'), failed: counter('failed'), not_owned: counter('not_owned') };
  }

  /** Whether the route registered at `url` (with its `/api` prefix) is about one chat. */
  static appliesTo(url: string): boolean {
    return chatRoute.test(url);
  }

  /** `onRequest`, after the token, role and CSRF checks: serves the call here or answers with the owner's answer. */
  readonly hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const chatId = Number((request.params as { id?: unknown }).id);
    // Not a chat id: the route's schema refuses it here, wherever the chat lives.
    if (!Number.isSafeInteger(chatId)) return;
    const owner = this.ownerOf(chatId);
    if (owner.kind === 'local') return;
    const forwardedBy = request.headers[FORWARDED_BY_HEADER];
    if (owner.kind === 'none')
      throw this.notOwned(reply, `chat ${chatId} is changing hands between members; ask again`);
    if (forwardedBy !== undefined)
      throw this.notOwned(
        reply,
        `chat ${chatId} is not served by member ${this.opts.cluster.memberId} (forwarded by ${String(forwardedBy).slice(0, 100)}, which thinks so); ask again`,
      );
    if (owner.httpUrl === null)
      throw this.forwardFailed(owner.memberId, 'it advertises no admin URL (CLUSTER_ADVERTISE_URL)');
    await this.forward(request, reply, chatId, owner.memberId, owner.httpUrl);
  };

  /** Closes the connections kept to the other members. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private notOwned(reply: FastifyReply, message: string): HttpError {
    this.outcomes.not_owned.inc();
    void reply.header('retry-after', '1');
    return new HttpError(503, 'CHAT_NOT_OWNED', message);
  }

  private forwardFailed(memberId: string, why: string, cause?: unknown): HttpError {
    this.outcomes.failed.inc();
    return new HttpError(
      502,
      'CLUSTER_FORWARD_FAILED',
      `member ${memberId}, which serves the chat, could not be reached: ${why}`,
      cause,
    );
  }

  private ownerOf(chatId: number): ChatOwner {
    try {
      return this.opts.cluster.ownerOf(chatId);
    } catch (error) {
      throw new HttpError(503, 'CLUSTER_UNAVAILABLE', 'this member cannot tell who serves the chat now', error);
    }
  }

  private async forward(
    request: FastifyRequest,
    reply: FastifyReply,
    chatId: number,
    memberId: string,
    httpUrl: string,
  ): Promise<void> {
    const headers: Record<string, string> = { [FORWARDED_BY_HEADER]: this.opts.cluster.memberId };
    for (const name of passedHeaders) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const body = hasBody(request) ? request.raw : null;
    let status: number;
    let answer: Buffer;
    let answerHeaders: Record<string, string | string[] | undefined>;
    try {
      // Appended, never resolved against the address: the path cannot name another host.
      const res = await send(`${httpUrl.replace(/\/+$/, '')}${request.url}`, {
        method: request.method as 'GET',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.statusCode;
      answerHeaders = res.headers;
      answer = Buffer.from(await res.body.arrayBuffer());
    } catch (error) {
      throw this.forwardFailed(memberId, failureName(error, this.timeoutMs), error);
    }
    request.log.debug({ chatId, member: memberId, statusCode: status }, 'chat call served by its owner');
    this.outcomes.relayed.inc();
    this.opts.relayed(request);
    for (const name of relayedHeaders) {
      const value = answerHeaders[name];
      if (value !== undefined) void reply.header(name, value);
    }
    await reply.code(status).send(answer);
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

/** A short name of a transport failure (`ECONNREFUSED`, a timeout), never its request or headers. */
function failureName(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && typeof (cause as { code?: unknown }).code === 'string')
      return String((cause as { code?: unknown }).code);
    return error.name;
  }
  return 'no answer';
}
