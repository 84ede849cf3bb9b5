import { describe, expect, it } from 'vitest';
import { PrometheusExporter } from '../../src/http/stats/prometheus-exporter.js';
import { BUILTIN_PLUGINS, definePlugin } from '../../src/plugins/index.js';
import { type Counter, type Histogram, ManualClock, MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { waitFor } from '../support/edge-harness.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const DOWN_RU = 'Это у меня сейчас не работает, попробуй чуть позже.';

/** `/boom` throws, `/nope` rejects, `/hang` never ends and ignores its signal; `/fine` answers. */
const flaky = definePlugin({
  name: 'flaky',
  version: '1.0.0',
  kind: 'command',
  description: 'Fails in every way a handler can',
  setup(p) {
    p.command(
      'boom',
      () => {
        throw new Error('boom +79161234567');
      },
      { description: 'throws' },
    );
    p.command('nope', () => Promise.reject(new TypeError('nope')), { description: 'rejects' });
    p.command('hang', () => new Promise<string>(() => undefined), { description: 'hangs' });
    p.command('fine', () => 'fine', { description: 'answers' });
  },
});

const ping = definePlugin({
  name: 'ping',
  version: '1.0.0',
  kind: 'command',
  description: 'Answers pong',
  setup(p) {
    p.command('ping', () => 'pong', { description: 'pong' });
  },
});

const counter = (metrics: MetricsRegistry, name: string, plugin: string) =>
  (metrics.get(name, { plugin }) as Counter | undefined)?.value ?? 0;

describe('plugin isolation in the host', () => {
  it('hands each call a context of its own, with the call’s signal: a command’s without an event, a listener’s with it', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const probe = definePlugin({
      name: 'probe',
      version: '1.0.0',
      kind: 'command',
      description: 'Keeps what it is handed',
      setup(p) {
        p.command(
          'look',
          (ctx) => {
            seen.push({ ...ctx });
            ctx.reply('first');
            return 'second';
          },
          { description: 'looks' },
        );
        p.on('member_joined', (ctx) => {
          seen.push({ ...ctx });
          return `hi ${ctx.event.userIds.join(', ')}`;
        });
      },
    });
    const { host } = await hostOf([probe], { clock: new SystemClock() });
    const stop = new AbortController();
    expect(await host.runCommand(-100, callOf('probe', 'look', 'a  b'), undefined, chatAccess(), stop.signal)).toEqual({
      texts: ['first', 'second'],
    });
    expect(await host.runCommand(-100, callOf('probe', 'look'), undefined, chatAccess(), stop.signal)).toEqual({
      texts: ['first', 'second'],
    });
    const event = { type: 'member_joined', messageId: 9, userIds: [5, 6] } as const;
    expect(await host.notify(-100, event, 'ru', undefined, chatAccess(), stop.signal)).toEqual({ texts: ['hi 5, 6'] });

    const [first, second, listener] = seen as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(first).toMatchObject({ plugin: 'probe', chatId: -100, command: 'look', args: 'a  b', argv: ['a', 'b'] });
    expect('event' in first).toBe(false);
    // Each call's own signal, not the chat's: the host aborts it when the call's time is up.
    for (const ctx of [first, second, listener]) {
      expect(ctx.signal).toBeInstanceOf(AbortSignal);
      expect(ctx.signal).not.toBe(stop.signal);
    }
    expect(first.signal).not.toBe(second.signal);
    expect(first.reply).not.toBe(second.reply);
    expect(listener).toMatchObject({ plugin: 'probe', chatId: -100, language: 'ru', event });
    expect('command' in listener).toBe(false);
  });

  it('turns a throw, a rejection and a hang into the in-persona line, counting each', async () => {
    const metrics = new MetricsRegistry();
    const { host, logger } = await hostOf([flaky, ping], { clock: new SystemClock(), metrics, timeoutMs: 50 });
    for (const command of ['boom', 'nope', 'hang']) {
      const effects = await host.runCommand(-100, callOf('flaky', command), undefined, chatAccess(), live);
      expect(effects).toEqual({ texts: [DOWN_RU] });
    }
    expect((await host.runCommand(-100, callOf('ping', 'ping'), undefined, chatAccess(), live)).texts).toEqual([
      'pong',
    ]);
    expect(counter(metrics, 'lekha_plugin_calls_total', 'flaky')).toBe(3);
    expect(counter(metrics, 'lekha_plugin_failures_total', 'flaky')).toBe(3);
    expect(counter(metrics, 'lekha_plugin_timeouts_total', 'flaky')).toBe(1);
    expect(counter(metrics, 'lekha_plugin_calls_total', 'ping')).toBe(1);
    expect(counter(metrics, 'lekha_plugin_failures_total', 'ping')).toBe(0);
    const latency = metrics.get('lekha_plugin_latency_ms', { plugin: 'flaky' }) as Histogram;
    expect(latency.percentileMs(99)).toBeGreaterThanOrEqual(40);
    // The log names the failure's kind, never what the error said (it may carry a member's words).
    expect(logger.lines.map((l) => [l.msg, (l.obj as { reason: string }).reason])).toEqual([
      ['plugin call failed', 'failed'],
      ['plugin call failed', 'failed'],
      ['plugin call timeout', 'timeout'],
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('79161234567');
  });

  it('gives up a hanging call within its time limit, in English for an English speaker', async () => {
    const { host } = await hostOf([flaky], { clock: new SystemClock(), timeoutMs: 100 });
    const started = performance.now();
    const effects = await host.runCommand(-100, callOf('flaky', 'hang', '', 'en'), undefined, chatAccess(), live);
    expect(effects.texts).toEqual(["That doesn't work for me right now, try again a bit later."]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('answers nothing when the chat stops mid-call, and counts no failure', async () => {
    const metrics = new MetricsRegistry();
    const { host } = await hostOf([flaky], { clock: new SystemClock(), metrics, timeoutMs: 10_000 });
    const stop = new AbortController();
    const call = host.runCommand(-100, callOf('flaky', 'hang'), undefined, chatAccess(), stop.signal);
    stop.abort(new Error('chat stopped'));
    expect(await call).toEqual({ texts: [] });
    expect(counter(metrics, 'lekha_plugin_failures_total', 'flaky')).toBe(0);
  });

  it('opens a plugin’s breaker after repeated failures, refusing calls until its cooldown ends; others keep answering', async () => {
    const metrics = new MetricsRegistry();
    const clock = new ManualClock();
    const { host } = await hostOf([flaky, ping], {
      clock,
      metrics,
      breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    const run = async (command: string) =>
      (
        await host.runCommand(
          -100,
          callOf(command === 'ping' ? 'ping' : 'flaky', command),
          undefined,
          chatAccess(),
          live,
        )
      ).texts;
    await run('boom');
    await run('nope');
    expect(await run('fine')).toEqual([DOWN_RU]);
    expect(await run('fine')).toEqual([DOWN_RU]);
    expect(counter(metrics, 'lekha_plugin_rejected_total', 'flaky')).toBe(2);
    expect(counter(metrics, 'lekha_plugin_calls_total', 'flaky')).toBe(2);
    expect(await run('ping')).toEqual(['pong']);
    expect(counter(metrics, 'lekha_plugin_rejected_total', 'ping')).toBe(0);
    await clock.advance(60_000);
    expect(await run('fine')).toEqual(['fine']);
  });

  it('shows the figures in the Prometheus text, labelled by plugin', async () => {
    const metrics = new MetricsRegistry();
    const { host } = await hostOf([flaky, ping], { clock: new SystemClock(), metrics, timeoutMs: 50 });
    await host.runCommand(-100, callOf('flaky', 'boom'), undefined, chatAccess(), live);
    await host.runCommand(-100, callOf('flaky', 'hang'), undefined, chatAccess(), live);
    await host.runCommand(-100, callOf('ping', 'ping'), undefined, chatAccess(), live);
    const text = await new PrometheusExporter({ metrics, clock: new SystemClock(), defaultMetrics: false }).render();
    expect(text).toMatch(/^lekha_plugin_calls_total\{plugin="flaky"\} 2$/m);
    expect(text).toMatch(/^lekha_plugin_calls_total\{plugin="ping"\} 1$/m);
    expect(text).toMatch(/^lekha_plugin_failures_total\{plugin="flaky"\} 2$/m);
    expect(text).toMatch(/^lekha_plugin_timeouts_total\{plugin="flaky"\} 1$/m);
    expect(text).toMatch(/^lekha_plugin_rejected_total\{plugin="ping"\} 0$/m);
    expect(text).toMatch(/^lekha_plugin_latency_ms_count\{plugin="flaky"\} 2$/m);
  });
});

describe('plugin isolation in a chat actor', () => {
  const G1 = -501;
  const G2 = -502;

  async function setUp() {
    const logger = new CapturingLogger();
    const { host, metrics } = await hostOf([...BUILTIN_PLUGINS, flaky, ping], {
      clock: new SystemClock(),
      timeoutMs: 1500,
      breaker: { failureThreshold: 100, cooldownMs: 1000 },
    });
    const h = chatActorHarness({ plugins: host, logger });
    const sentTo = (chatId: number) => h.egress.sent.filter((s) => s.chatId === chatId);
    return { h, host, metrics, sentTo };
  }

  it('answers the in-persona line for a throw and a rejection, without failing the turn or restarting the actor', async () => {
    const { h, sentTo } = await setUp();
    const boom = h.say(G1, '/boom');
    const nope = h.say(G1, '/nope');
    const fine = h.say(G1, '/fine');
    await h.clock.advance(0);
    await waitFor('three answers', () => sentTo(G1).length === 3);
    const byReply = new Map(sentTo(G1).map((s) => [s.replyTo, s.text]));
    expect(byReply.get(boom)).toBe(DOWN_RU);
    expect(byReply.get(nope)).toBe(DOWN_RU);
    expect(byReply.get(fine)).toBe('fine');
    expect(h.supervisor.stats().restarts).toBe(0);
    expect(h.acked).toHaveLength(3);
  });

  it('keeps the chat and other chats answering while a handler hangs, then answers it with the in-persona line', async () => {
    const { h, sentTo } = await setUp();
    const hang = h.say(G1, '/hang');
    await h.clock.advance(0);
    const pingHere = h.say(G1, '/ping');
    const pingThere = h.say(G2, '/ping');
    const stats = h.say(G2, '/stats');
    await h.clock.advance(0);
    await waitFor('the pongs', () => sentTo(G1).length === 1 && sentTo(G2).length === 2);
    expect(sentTo(G1).map((s) => [s.replyTo, s.text])).toEqual([[pingHere, 'pong']]);
    expect(new Map(sentTo(G2).map((s) => [s.replyTo, s.text])).get(pingThere)).toBe('pong');
    expect(new Map(sentTo(G2).map((s) => [s.replyTo, s.text])).get(stats)).toMatch(/участников: 1/);
    await waitFor('the hung call’s answer', () => sentTo(G1).length === 2);
    expect(sentTo(G1)[1]).toMatchObject({ replyTo: hang, text: DOWN_RU });
    expect(h.supervisor.stats().restarts).toBe(0);
  });

  it('answers the in-persona line at once once a plugin’s breaker is open, and other plugins still answer', async () => {
    const logger = new CapturingLogger();
    const metrics = new MetricsRegistry();
    const { host } = await hostOf([...BUILTIN_PLUGINS, flaky, ping], {
      clock: new SystemClock(),
      metrics,
      logger,
      breaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    const h = chatActorHarness({ plugins: host });
    h.say(G1, '/boom');
    h.say(G1, '/boom');
    await h.clock.advance(0);
    await waitFor('two failures', () => h.egress.sent.length === 2);
    h.say(G1, '/fine');
    h.say(G2, '/ping');
    await h.clock.advance(0);
    await waitFor('two more answers', () => h.egress.sent.length === 4);
    expect(h.egress.sent.filter((s) => s.chatId === G1).map((s) => s.text)).toEqual([DOWN_RU, DOWN_RU, DOWN_RU]);
    expect(h.egress.sent.filter((s) => s.chatId === G2).map((s) => s.text)).toEqual(['pong']);
    expect(counter(metrics, 'lekha_plugin_rejected_total', 'flaky')).toBe(1);
    expect(logger.lines.some((l) => l.msg === 'plugin call refused: its breaker is open')).toBe(true);
  });
});
