import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  breakConnection,
  type FaultKind,
  FaultPlan,
  type FaultRates,
  parseFaultRequest,
  type ScriptedFault,
} from './emulator-fault.js';
import { fnv1a } from '../runtime/index.js';
import { drawLatencyMs, type LatencyModel } from './latency-model.js';
import { listenUrl } from './listen-url.js';
import {
  answerFromToolResults,
  checkToolConversation,
  chooseToolCall,
  type EmulatedToolCall,
  scriptedCalls,
  toolCallSchema,
  toolChoiceSchema,
  toolSchema,
  type ToolScript,
  ToolScriptPlan,
  toolScriptSchema,
} from './emulator-tool-calls.js';
import { SeededRandom } from './seeded-random.js';

/** The limits the emulator states when none is configured (it then answers every request). */
const UNLIMITED_REQUESTS_PER_MINUTE = 14_400;
const UNLIMITED_TOKENS_PER_MINUTE = 10_000_000;

export interface GroqEmulatorOptions {
  /** The key the emulator accepts; any non-empty key when unset. */
  apiKey?: string;
  models?: string[];
  latency?: LatencyModel;
  /** Per-model requests per minute answered with 429 beyond; unset: no limit. */
  requestsPerMinute?: number;
  /**
   * Tokens per minute the emulator advertises (`x-ratelimit-limit-tokens`,
   * {@link GroqEmulator.limits}) for clients to budget against; not enforced.
   */
  tokensPerMinute?: number;
  /** How long a "timeout" fault holds a call before dropping the connection. */
  faultHoldMs?: number;
  seed?: number;
  host?: string;
  port?: number;
}

export interface GroqEmulatorStats {
  requests: number;
  completions: number;
  byModel: Record<string, number>;
  faults: Record<FaultKind, number>;
  /** Completions answered with tool calls. */
  toolCallReplies: number;
  promptTokens: number;
  completionTokens: number;
}

const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool', 'developer']),
  // Required (checked with the tool rules) unless an assistant message carries tool calls.
  content: z
    .union([z.string(), z.array(z.looseObject({ type: z.string() }))])
    .nullable()
    .optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().min(1).optional(),
});

const completionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().optional(),
  tools: z.array(toolSchema).max(128).nullable().optional(),
  tool_choice: toolChoiceSchema.nullable().optional(),
});

const RU_OPENERS = ['Ну смотри,', 'Слушай,', 'Ха,', 'Короче,', 'Честно?'];
const EN_OPENERS = ['Well,', 'Look,', 'Ha,', 'Honestly,', 'Okay so,'];

/**
 * An OpenAI-compatible stand-in for Groq's `/openai/v1/chat/completions`, for
 * tests, benches and the sandbox. Answers are derived deterministically from
 * the prompt (they quote the last user message, in its language, so a test
 * can tell which message a reply answers; a last message containing `#long`
 * gets a 9000-character answer), with Groq's usage fields, a configurable
 * latency distribution, per-model request limits answered with 429 and
 * `retry-after`, and injected faults (429, 5xx, timeouts, resets).
 *
 * Tool calling follows the API: `tools` and `tool_choice` are checked, and
 * so is the conversation (`checkToolConversation`: every tool message
 * answers a call of the assistant message before it). A request that offers
 * tools is answered with a call when a test scripted one
 * (`scriptToolCalls`, `POST /_emulator/tool-calls`) or when a tool fits the
 * text being answered (`chooseToolCall`); once the conversation ends with
 * tool results, the answer quotes them.
 */
export class GroqEmulator {
  readonly apiKey: string;
  /**
   * The per-minute limits of the emulated account, as its rate-limit headers
   * state them: what a client budgets for. Without a configured limit the
   * emulator answers everything, so these are generous.
   */
  readonly limits: { readonly requestsPerMinute: number; readonly tokensPerMinute: number };
  private readonly app: FastifyInstance;
  private readonly random: SeededRandom;
  private readonly faults = new FaultPlan();
  private readonly toolScripts = new ToolScriptPlan();
  private readonly models: Set<string>;
  private latency: LatencyModel;
  private readonly minuteCounts = new Map<string, { minute: number; count: number }>();
  private readonly held = new Set<NodeJS.Timeout>();
  private gate: { opened: Promise<void>; open(): void } | null = null;
  private readonly counters = { requests: 0, completions: 0, toolCallReplies: 0, promptTokens: 0, completionTokens: 0 };
  private readonly byModel = new Map<string, number>();
  private faultCounts: Record<FaultKind, number> = { '429': 0, '5xx': 0, timeout: 0, reset: 0 };
  private baseUrl = '';

  private constructor(private readonly options: GroqEmulatorOptions) {
    this.apiKey = options.apiKey ?? `gsk_emulator_${randomBytes(12).toString('hex')}`;
    this.limits = {
      requestsPerMinute: options.requestsPerMinute ?? UNLIMITED_REQUESTS_PER_MINUTE,
      tokensPerMinute: options.tokensPerMinute ?? UNLIMITED_TOKENS_PER_MINUTE,
    };
    this.models = new Set(options.models ?? ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile', 'openai/gpt-oss-20b']);
    this.latency = options.latency ?? 0;
    this.random = new SeededRandom(options.seed);
    this.app = Fastify({ logger: false, forceCloseConnections: true });
    this.app.post('/openai/v1/chat/completions', (request, reply) => this.complete(request, reply));
    this.app.get('/openai/v1/models', async () => ({
      object: 'list',
      data: [...this.models].map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'emulator',
        active: true,
      })),
    }));
    this.app.post('/_emulator/faults', async (request, reply) => {
      const fault = parseFaultRequest(request.body, 'model');
      if (fault === null)
        return reply.code(400).send({
          error: {
            message: 'expected {"kind": "429"|"5xx"|"timeout"|"reset", "count"?: n, "model"?: id, "retry_after"?: s}',
          },
        });
      this.injectFault(fault);
      return { ok: true };
    });
    this.app.post('/_emulator/tool-calls', async (request, reply) => {
      const script = toolScriptSchema.safeParse(request.body);
      if (!script.success)
        return reply.code(400).send({
          error: {
            message:
              'expected {"kind": "call", "calls": [{"name", "arguments"}]} | {"kind": "raw", "toolCalls": [...]} | ' +
              '{"kind": "tool-use-failed"} | {"kind": "text"}, each with an optional "count"',
          },
        });
      this.scriptToolCalls(script.data);
      return { ok: true };
    });
    this.app.delete('/_emulator/tool-calls', async () => {
      this.toolScripts.clear();
      return { ok: true };
    });
    this.app.get('/_emulator/stats', async () => this.stats());
  }

  static async start(options: GroqEmulatorOptions = {}): Promise<GroqEmulator> {
    const emulator = new GroqEmulator(options);
    emulator.baseUrl = await listenUrl(emulator.app, options);
    return emulator;
  }

  /** The base URL to give groq-sdk (`GROQ_BASE_URL`). */
  get baseURL(): string {
    return this.baseUrl;
  }

  /** Queues a fault; `target` names a model (any model when unset). */
  injectFault(fault: ScriptedFault): void {
    this.faults.add(fault);
  }

  /** Queues a scripted answer for the next request that may call a tool (see {@link ToolScript}). */
  scriptToolCalls(script: ToolScript): void {
    this.toolScripts.add(script);
  }

  clearToolScripts(): void {
    this.toolScripts.clear();
  }

  setFaultRates(rates: FaultRates): void {
    this.faults.setRates(rates);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(latency: LatencyModel): void {
    this.latency = latency;
  }

  /**
   * Holds every valid completion until the returned function is called (or
   * the emulator closes): a model that thinks for as long as a test needs.
   * A held request whose client went away is answered into a closed socket.
   */
  hold(): () => void {
    if (this.gate === null) {
      let open = (): void => undefined;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      this.gate = { opened, open };
    }
    const gate = this.gate;
    return () => {
      gate.open();
      if (this.gate === gate) this.gate = null;
    };
  }

  stats(): GroqEmulatorStats {
    return { ...this.counters, byModel: Object.fromEntries(this.byModel), faults: { ...this.faultCounts } };
  }

  async close(): Promise<void> {
    for (const t of this.held) clearTimeout(t);
    this.gate?.open();
    await this.app.close();
  }

  private async complete(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    this.counters.requests++;
    const auth = request.headers.authorization;
    const key = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (key === '' || (this.options.apiKey !== undefined && key !== this.options.apiKey)) {
      return sendError(reply, 401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key');
    }
    const parsed = completionRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(
        reply,
        400,
        `'${issue?.path.join('.') ?? 'body'}': ${issue?.message ?? 'invalid'}`,
        'invalid_request_error',
        'invalid_request',
      );
    }
    const body = parsed.data;
    if (body.stream === true)
      return sendError(
        reply,
        400,
        'streaming is not supported by the emulator',
        'invalid_request_error',
        'invalid_request',
      );
    if (!this.models.has(body.model)) {
      return sendError(
        reply,
        404,
        `The model \`${body.model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
      );
    }
    const fault = this.faults.take(body.model, () => this.random.next());
    if (fault !== null) return this.applyFault(fault.kind, fault.retryAfterS, body.model, request, reply);
    const limited = this.overLimit(body.model);
    if (limited > 0) {
      this.faultCounts['429']++;
      reply.header('retry-after', String(limited));
      return sendError(
        reply,
        429,
        `Rate limit reached for model \`${body.model}\`: requests per minute. Please try again in ${limited}s.`,
        'requests',
        'rate_limit_exceeded',
      );
    }

    const toolProblem = checkToolConversation(body.messages, body.tools ?? undefined, body.tool_choice ?? undefined);
    if (toolProblem !== null) return sendError(reply, 400, toolProblem, 'invalid_request_error', 'invalid_request');

    const started = Date.now();
    await delay(this.sampleLatency());
    if (this.gate !== null) await this.gate.opened;
    const prompt = body.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const answered = answeredText(typeof lastUser?.content === 'string' ? lastUser.content : '');
    const toolCalls = this.toolCallsFor(body, answered, prompt);
    if (toolCalls === 'tool-use-failed')
      return reply.code(400).send({
        error: {
          message: "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
          type: 'invalid_request_error',
          code: 'tool_use_failed',
          failed_generation: '<function=unparseable{"oops": }</function>',
        },
      });
    const content = toolCalls === null ? answerFor(answered, prompt, toolResults(body.messages)) : '';
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const text = maxTokens === undefined ? content : content.slice(0, maxTokens * 4);
    const toolsChars = body.tools === undefined || body.tools === null ? 0 : JSON.stringify(body.tools).length;
    const promptTokens = Math.ceil((prompt.length + toolsChars) / 4) + body.messages.length * 4;
    const completionTokens = Math.ceil((toolCalls === null ? text.length : JSON.stringify(toolCalls).length) / 4);
    this.counters.completions++;
    if (toolCalls !== null) this.counters.toolCallReplies++;
    this.counters.promptTokens += promptTokens;
    this.counters.completionTokens += completionTokens;
    this.byModel.set(body.model, (this.byModel.get(body.model) ?? 0) + 1);
    const totalS = (Date.now() - started) / 1000;
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    reply.header('x-ratelimit-limit-requests', String(this.limits.requestsPerMinute));
    reply.header('x-ratelimit-limit-tokens', String(this.limits.tokensPerMinute));
    return {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [
        {
          index: 0,
          message:
            toolCalls === null
              ? { role: 'assistant', content: text }
              : { role: 'assistant', content: null, tool_calls: toolCalls },
          logprobs: null,
          finish_reason: toolCalls !== null ? 'tool_calls' : text.length < content.length ? 'length' : 'stop',
        },
      ],
      usage: {
        queue_time: 0.0001,
        prompt_tokens: promptTokens,
        prompt_time: totalS / 4,
        completion_tokens: completionTokens,
        completion_time: (totalS * 3) / 4,
        total_tokens: promptTokens + completionTokens,
        total_time: totalS,
      },
      system_fingerprint: 'fp_emulator',
      x_groq: { id: `req_${randomBytes(10).toString('hex')}` },
    };
  }

  /**
   * The tool calls to answer with, `tool-use-failed` for a scripted 400, or
   * null for a text answer: a request that offers tools and allows a call
   * takes the next script; without one, a request that does not end with
   * tool results gets the default choice ({@link chooseToolCall}).
   */
  private toolCallsFor(
    body: z.infer<typeof completionRequestSchema>,
    answered: string,
    prompt: string,
  ): EmulatedToolCall[] | unknown[] | 'tool-use-failed' | null {
    const tools = body.tools ?? [];
    const choice = body.tool_choice ?? undefined;
    if (tools.length === 0 || choice === 'none') return null;
    const script = this.toolScripts.take();
    if (script !== null) {
      switch (script.kind) {
        case 'call':
          return scriptedCalls(script, prompt);
        case 'raw':
          return script.toolCalls;
        case 'tool-use-failed':
          return 'tool-use-failed';
        case 'text':
          return null;
      }
    }
    if (body.messages.at(-1)?.role === 'tool') return null;
    const call = chooseToolCall(answered, tools, choice, prompt);
    return call === null ? null : [call];
  }

  private async applyFault(
    kind: FaultKind,
    retryAfterS: number,
    model: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<unknown> {
    this.faultCounts[kind]++;
    switch (kind) {
      case '429':
        reply.header('retry-after', String(retryAfterS));
        return sendError(
          reply,
          429,
          `Rate limit reached for model \`${model}\`. Please try again in ${retryAfterS}s.`,
          'tokens',
          'rate_limit_exceeded',
        );
      case '5xx':
        return sendError(reply, 503, 'Service Unavailable', 'internal_server_error', 'service_unavailable');
      case 'reset':
      case 'timeout':
        return breakConnection(kind, request, reply, this.options.faultHoldMs ?? 120_000, this.held);
    }
  }

  /** Seconds until the model's per-minute request budget has room again; 0 when it has room now. */
  private overLimit(model: string): number {
    const limit = this.options.requestsPerMinute;
    if (limit === undefined) return 0;
    const minute = Math.floor(Date.now() / 60_000);
    const entry = this.minuteCounts.get(model);
    if (entry === undefined || entry.minute !== minute) {
      this.minuteCounts.set(model, { minute, count: 1 });
      return 0;
    }
    if (entry.count >= limit) return Math.max(1, Math.ceil(((minute + 1) * 60_000 - Date.now()) / 1000));
    entry.count++;
    return 0;
  }

  private sampleLatency(): number {
    return drawLatencyMs(this.latency, this.random);
  }
}

function sendError(reply: FastifyReply, status: number, message: string, type: string, code: string): FastifyReply {
  return reply.code(status).send({ error: { message, type, code } });
}

function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The text being answered: with the persona prompt's transcript ("[#12] Вася
 * (id 5): …" lines and "the answer to message #12"), that message's text;
 * otherwise the whole last user message.
 */
function answeredText(lastUser: string): string {
  const asked = /answer to message #(\d+)/.exec(lastUser)?.[1];
  if (asked === undefined) return lastUser;
  const line = lastUser.split('\n').find((l) => l.startsWith(`[#${asked}]`));
  return line === undefined ? lastUser : line.slice(line.indexOf(': ') + 2);
}

/** The contents of the tool messages that end the conversation (none when it does not end with them). */
function toolResults(messages: ReadonlyArray<{ role: string; content?: unknown }>): string[] {
  const results: string[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--) {
    const content = messages[i]?.content;
    results.unshift(typeof content === 'string' ? content : JSON.stringify(content));
  }
  return results;
}

/**
 * The deterministic answer: an opener picked by the prompt's hash, then a
 * quote of the last user message, or of the tool results when the
 * conversation ends with them.
 */
function answerFor(lastUser: string, prompt: string, results: readonly string[]): string {
  const russian = /[\u0400-\u04FF]/.test(lastUser);
  const openers = russian ? RU_OPENERS : EN_OPENERS;
  const opener = openers[fnv1a(prompt) % openers.length] as string;
  if (results.length > 0) return answerFromToolResults(results, russian, opener);
  const quote = lastUser.replace(/^\[[^\]]*\]\s*/, '').slice(0, 120);
  const answer = russian
    ? `${opener} про «${quote}» — это ты хорошо сказал.`
    : `${opener} about "${quote}" — fair point.`;
  if (!lastUser.includes('#long')) return answer;
  const filler = russian
    ? ' И ещё одно: жизнь длинная, а сообщения у телеги короткие.'
    : ' And one more thing: life is long, but Telegram messages are short.';
  let long = answer;
  while (long.length < 9000) long += filler;
  return long;
}
