import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type Clock,
  LekhaError,
  type MetricsRegistry,
} from '../runtime/index.js';
import { PluginFailure } from './plugin-api.js';
import { PluginMetrics } from './plugin-metrics.js';

/** A handler call that did not finish within its time limit. */
export class PluginTimeoutError extends LekhaError {
  declare readonly code: 'PLUGIN_TIMEOUT';

  constructor(
    readonly plugin: string,
    readonly timeoutMs: number,
  ) {
    super('PLUGIN_TIMEOUT', `plugin ${plugin} did not finish within ${timeoutMs} ms`);
  }
}

/** How one call ended. `stopped`: the caller went away (the chat stopped); not the plugin's fault. */
export type Invocation<T> =
  { ok: true; value: T } | { ok: false; reason: 'failed' | 'timeout' | 'breaker-open' | 'stopped'; error?: unknown };

/**
 * Runs one plugin's handlers in isolation: each call gets an abort signal
 * that fires at its time limit (or when the caller's does) and is given up
 * then even if the handler ignores it; a throw, a rejection or a timeout is
 * an outcome, never an exception; after repeated failures the plugin's
 * breaker opens and calls are refused at once until its cooldown ends.
 */
export class PluginInvoker {
  readonly metrics: PluginMetrics;
  readonly breaker: CircuitBreaker;

  constructor(
    readonly plugin: string,
    private readonly clock: Clock,
    metrics: MetricsRegistry,
    private readonly timeoutMs: number,
    breaker: CircuitBreakerOptions,
  ) {
    this.metrics = new PluginMetrics(metrics, plugin);
    this.breaker = new CircuitBreaker(breaker);
  }

  /** Whether a call would be let through now. */
  allows(): boolean {
    return this.breaker.allows(this.clock.now());
  }

  async invoke<T>(run: (signal: AbortSignal) => T | Promise<T>, callerSignal: AbortSignal): Promise<Invocation<T>> {
    if (callerSignal.aborted) return { ok: false, reason: 'stopped' };
    if (!this.breaker.allows(this.clock.now())) {
      this.metrics.rejected.inc();
      return { ok: false, reason: 'breaker-open' };
    }
    this.metrics.calls.inc();
    const controller = new AbortController();
    const timer = this.clock.setTimer(
      () => controller.abort(new PluginTimeoutError(this.plugin, this.timeoutMs)),
      this.timeoutMs,
    );
    const onCallerAbort = () => controller.abort(callerSignal.reason);
    callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    const started = performance.now();
    try {
      const value = await Promise.race([
        Promise.resolve().then(() => run(controller.signal)),
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        }),
      ]);
      this.breaker.success();
      return { ok: true, value };
    } catch (error) {
      if (callerSignal.aborted) return { ok: false, reason: 'stopped', error };
      const timedOut = error instanceof PluginTimeoutError;
      this.metrics.failures.inc();
      if (timedOut) this.metrics.timeouts.inc();
      // Held back by the bot's own rate limit, the upstream is not at fault: its breaker stays as it is.
      if (!(error instanceof PluginFailure && !error.upstreamFault)) this.breaker.failure(this.clock.now());
      return { ok: false, reason: timedOut ? 'timeout' : 'failed', error };
    } finally {
      this.clock.clearTimer(timer);
      callerSignal.removeEventListener('abort', onCallerAbort);
      this.metrics.latency.recordMs(performance.now() - started);
    }
  }
}
