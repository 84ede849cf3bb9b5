import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { breakConnection, FaultPlan, type FaultRates, type ScriptedFault } from '../emulator-fault.js';
import { drawLatencyMs, type LatencyModel } from '../latency-model.js';
import { listenUrl } from '../listen-url.js';
import { SeededRandom } from '../seeded-random.js';

/**
 * What an upstream emulator can answer a call with instead of handling it:
 * the Bot API emulator's faults, and `malformed` (a 200 whose JSON body is
 * cut short, as a proxy that drops the connection mid-body leaves it).
 */
export type UpstreamFaultKind = '429' | '5xx' | 'timeout' | 'reset' | 'malformed';

/** A fault for the next calls to one upstream (all of them when `upstream` is unset). */
export type UpstreamFault = ScriptedFault<UpstreamFaultKind> & { upstream?: string };

/** What an emulated API is handed to build its answers. */
export interface UpstreamContext {
  /** Seeded, so a run can be repeated exactly. */
  readonly random: SeededRandom;
  /** This API's base URL on the emulator (`http://127.0.0.1:port/open-meteo`), for links in its answers. */
  baseUrl(): string;
}

/** One emulated public API, mounted under `/<name>` on the emulator. */
export interface UpstreamApi {
  /** Lower case, also its path prefix (`open-meteo`). */
  readonly name: string;
  /**
   * The environment variables that point the plugins at it, each with the
   * path under the prefix where the real API's base URL maps
   * (`{ WEATHER_BASE_URL: '/v1' }` → `http://…/open-meteo/v1`), or with a
   * function of the API's base URL here that makes the whole value (a JSON
   * list of feed URLs under it).
   */
  readonly env: Readonly<Record<string, string | ((baseUrl: string) => string)>>;
  /**
   * What sandbox mode adds so the plugin works against the emulator with no
   * setup (`{ TMDB_API_KEY: 'sandbox-demo-key' }`): given only while the API's
   * own variables point here, so a demo key never reaches the real service.
   */
  readonly demoEnv?: Readonly<Record<string, string>>;
  /** Registers its routes (paths as the real API has them, under the prefix). */
  routes(app: FastifyInstance, ctx: UpstreamContext): void;
}

export interface UpstreamEmulatorOptions {
  apis: readonly UpstreamApi[];
  /** Every call's latency before it is answered (default 0). */
  latency?: LatencyModel;
  /** How long a `timeout` fault holds a call before dropping it (default 30 s). */
  faultHoldMs?: number;
  seed?: number;
  host?: string;
  port?: number;
}

export interface UpstreamStats {
  /** Calls each API received (faulted ones included), by name. */
  requests: Record<string, number>;
  /** Calls answered with a fault, by kind. */
  faults: Record<UpstreamFaultKind, number>;
}

const faultSchema = z.object({
  kind: z.enum(['429', '5xx', 'timeout', 'reset', 'malformed']),
  upstream: z.string().optional(),
  count: z.number().int().min(1).max(1_000_000).optional(),
  retry_after: z.number().int().min(0).max(3600).optional(),
});

const latencySchema = z.union([
  z.number().min(0).max(60_000),
  z.object({ medianMs: z.number().positive(), p99Ms: z.number().positive() }),
]);

/**
 * Emulators of the public APIs the integration plugins call (weather,
 * prices, films…), on one local server: each API under its own prefix
 * answering its real paths with the real service's JSON shapes. Tests,
 * sandbox mode and benches point the plugins here through the environment
 * ({@link UpstreamEmulator.env}), with latency and scripted faults (429,
 * 5xx, hung and dropped connections, malformed JSON) per API.
 *
 * Control routes (for other processes, such as a bench driving `lekha
 * start`): `POST /_emulator/faults` (`{"kind", "upstream"?, "count"?,
 * "retry_after"?}`), `DELETE /_emulator/faults`, `PUT /_emulator/latency`
 * (`{"latency": ms | {medianMs, p99Ms}}`) and `GET /_emulator/stats`.
 */
export class UpstreamEmulator {
  private readonly faults = new FaultPlan<UpstreamFaultKind>();
  private readonly random: SeededRandom;
  private readonly held = new Set<NodeJS.Timeout>();
  private latency: LatencyModel;
  private readonly counts: UpstreamStats;
  private root = '';

  private constructor(
    private readonly app: FastifyInstance,
    private readonly options: UpstreamEmulatorOptions,
  ) {
    this.random = new SeededRandom(options.seed);
    this.latency = options.latency ?? 0;
    this.counts = {
      requests: Object.fromEntries(options.apis.map((api) => [api.name, 0])),
      faults: { '429': 0, '5xx': 0, timeout: 0, reset: 0, malformed: 0 },
    };
  }

  static async start(options: UpstreamEmulatorOptions): Promise<UpstreamEmulator> {
    const names = new Set<string>();
    for (const api of options.apis) {
      if (!/^[a-z][a-z0-9-]*$/.test(api.name) || api.name === '_emulator' || names.has(api.name))
        throw new Error(`upstream emulator: ${JSON.stringify(api.name)} is not a free lower-case name`);
      names.add(api.name);
    }
    const app = Fastify({ logger: false, forceCloseConnections: true });
    const emulator = new UpstreamEmulator(app, options);
    emulator.registerControl();
    for (const api of options.apis) {
      const ctx: UpstreamContext = { random: emulator.random, baseUrl: () => `${emulator.root}/${api.name}` };
      await app.register(
        async (scope) => {
          scope.addHook('onRequest', (request, reply) => emulator.intercept(api.name, request, reply));
          api.routes(scope, ctx);
        },
        { prefix: `/${api.name}` },
      );
    }
    emulator.root = await listenUrl(app, options);
    return emulator;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return this.root;
  }

  /** The base URL standing in for one API's real one, for its environment variable. */
  baseUrl(api: string, path = ''): string {
    if (!(api in this.counts.requests)) throw new Error(`upstream emulator: no API named ${api}`);
    return `${this.root}/${api}${path}`;
  }

  /** Every API's environment variables pointing here (`WEATHER_BASE_URL=http://…/open-meteo/v1`). */
  env(): Record<string, string> {
    return Object.fromEntries(this.options.apis.flatMap((api) => this.envOf(api)));
  }

  /**
   * The environment sandbox mode runs the plugins with, under the real one
   * (`{ ...sandboxEnv(env), ...env }`): each API's variables pointing here
   * and its demo credentials, except for an API the real environment already
   * points somewhere (the operator's choice, kept whole: no demo key goes
   * with it).
   */
  sandboxEnv(real: Readonly<Record<string, string | undefined>>): Record<string, string> {
    return Object.fromEntries(
      this.options.apis
        .filter((api) => Object.keys(api.env).every((name) => real[name] === undefined || real[name] === ''))
        .flatMap((api) => [...this.envOf(api), ...Object.entries(api.demoEnv ?? {})]),
    );
  }

  /** One API's variables pointing here: each a path under its base URL, or what its function makes of that URL. */
  private envOf(api: UpstreamApi): Array<[string, string]> {
    return Object.entries(api.env).map(([name, value]) => [
      name,
      typeof value === 'string' ? this.baseUrl(api.name, value) : value(this.baseUrl(api.name)),
    ]);
  }

  /** Answers the next matching calls with a fault (see {@link UpstreamFault}). */
  fault(fault: UpstreamFault): void {
    const { upstream, ...rest } = fault;
    this.faults.add({ ...rest, ...(upstream === undefined ? {} : { target: upstream }) });
  }

  /** Random faults on every API: the probability of each kind per call. */
  setFaultRates(rates: FaultRates<UpstreamFaultKind>): void {
    this.faults.setRates(rates);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(latency: LatencyModel): void {
    this.latency = latency;
  }

  stats(): UpstreamStats {
    return structuredClone(this.counts);
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    await this.app.close();
  }

  /** Counts the call, waits out its latency, then plays a fault if one is due. */
  private async intercept(api: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    this.counts.requests[api] = (this.counts.requests[api] ?? 0) + 1;
    const delay = drawLatencyMs(this.latency, this.random);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const fault = this.faults.take(api, () => this.random.next());
    if (fault === null) return;
    this.counts.faults[fault.kind]++;
    switch (fault.kind) {
      case '429':
        await reply
          .code(429)
          .header('retry-after', String(fault.retryAfterS))
          .send({ error: 'Too Many Requests', status: 429 });
        return;
      case '5xx':
        await reply.code(503).send({ error: 'Service Unavailable', status: 503 });
        return;
      case 'malformed':
        await reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{"results": [{"name": "');
        return;
      case 'timeout':
      case 'reset':
        await breakConnection(fault.kind, request, reply, this.options.faultHoldMs ?? 30_000, this.held);
        return;
    }
  }

  private registerControl(): void {
    this.app.post('/_emulator/faults', async (request, reply) => {
      const parsed = faultSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad fault', issues: parsed.error.issues });
      const { kind, upstream, count, retry_after } = parsed.data;
      if (upstream !== undefined && !(upstream in this.counts.requests))
        return reply.code(404).send({ error: `no upstream named ${upstream}` });
      this.fault({
        kind,
        ...(upstream === undefined ? {} : { upstream }),
        ...(count === undefined ? {} : { count }),
        ...(retry_after === undefined ? {} : { retryAfterS: retry_after }),
      });
      return { ok: true };
    });
    this.app.delete('/_emulator/faults', async () => {
      this.clearFaults();
      return { ok: true };
    });
    this.app.put('/_emulator/latency', async (request, reply) => {
      const parsed = latencySchema.safeParse((request.body as { latency?: unknown } | undefined)?.latency);
      if (!parsed.success) return reply.code(400).send({ error: 'bad latency', issues: parsed.error.issues });
      this.setLatency(parsed.data);
      return { ok: true };
    });
    this.app.get('/_emulator/stats', async () => this.stats());
  }
}
