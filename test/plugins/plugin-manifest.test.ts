import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, type PluginSetup } from '../../src/plugins/index.js';
import { PluginInvalidError } from '../../src/runtime/index.js';
import { hostOf } from '../support/plugin-kit.js';

/** A well-formed plugin, with `over` replacing any of its fields. */
function manifest(over: Record<string, unknown> = {}) {
  return {
    name: 'weather',
    version: '1.0.0',
    kind: 'command',
    description: 'Weather',
    settings: z.object({}),
    setup: () => undefined,
    ...over,
  };
}

async function refusal(plugins: unknown[]): Promise<PluginInvalidError> {
  const err = await hostOf(plugins).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PluginInvalidError);
  return err as PluginInvalidError;
}

describe('plugin manifests', () => {
  it.each([
    ['a name with capitals', { name: 'Weather' }, /plugin Weather: name must be 2–32 lower case/],
    ['a one-letter name', { name: 'w' }, /name must be 2–32/],
    ['no version', { version: undefined }, /plugin weather: version undefined is not a semantic version/],
    ['a version that is not semver', { version: '1.0' }, /version "1.0" is not a semantic version/],
    ['an unknown kind', { kind: 'widget' }, /kind must be one of command, listener, integration, job/],
    ['an empty description', { description: '  ' }, /description must be a text/],
    ['a description without English', { description: { ru: 'Погода' } }, /at least `en`/],
    ['settings that are not a zod object', { settings: { units: 'metric' } }, /settings must be a zod object schema/],
    ['no setup', { setup: 'yes' }, /setup must be a function/],
    ['requires that is not a map', { requires: 'help' }, /requires must map plugin names/],
    ['a requirement with a bad name', { requires: { Help: '^1.0.0' } }, /requires names "Help"/],
    [
      'a requirement with a bad range',
      { requires: { help: 'newest' } },
      /requires help "newest", which is not a version range/,
    ],
  ])('refuses %s, naming the plugin and the problem', async (_what, over, message) => {
    const err = await refusal([manifest(over)]);
    expect(err.code).toBe('PLUGIN_INVALID');
    expect(err.message).toMatch(message);
  });

  it('refuses a value that is no object at all', async () => {
    expect((await refusal([42])).message).toBe('plugin test: is not a plugin object');
  });

  it('refuses two plugins of the same name', async () => {
    expect((await refusal([manifest(), manifest({ version: '2.0.0' })])).message).toBe(
      'plugin weather: is loaded twice (names must be unique)',
    );
  });

  it('refuses a requirement that is not loaded, or loaded in a version its range does not take', async () => {
    expect((await refusal([manifest({ requires: { geo: '^1.0.0' } })])).message).toBe(
      'plugin weather: requires geo ^1.0.0, which is not loaded',
    );
    const geo = manifest({ name: 'geo', version: '2.1.0' });
    expect((await refusal([manifest({ requires: { geo: '^1.0.0' } }), geo])).message).toBe(
      'plugin weather: requires geo ^1.0.0, but geo 2.1.0 is loaded',
    );
  });

  it('refuses requirements that form a cycle, showing it', async () => {
    const a = manifest({ name: 'alpha', requires: { beta: '*' } });
    const b = manifest({ name: 'beta', requires: { gamma: '*' } });
    const c = manifest({ name: 'gamma', requires: { alpha: '*' } });
    expect((await refusal([a, b, c])).message).toMatch(/requirements form a cycle: alpha → beta → gamma → alpha/);
  });

  it('sets plugins up after what they require, whatever order they were listed in', async () => {
    const order: string[] = [];
    const plugin = (name: string, requires?: Record<string, string>) =>
      definePlugin({
        name,
        version: '1.2.3',
        kind: 'integration',
        description: name,
        ...(requires === undefined ? {} : { requires }),
        setup: () => {
          order.push(name);
        },
      });
    await hostOf([
      plugin('digest', { weather: '^1.0.0', geo: '>=1.2' }),
      plugin('weather', { geo: '1.x' }),
      plugin('geo'),
    ]);
    expect(order).toEqual(['geo', 'weather', 'digest']);
  });
});

describe('plugin registration', () => {
  const withSetup = (name: string, setup: (p: PluginSetup<Record<string, unknown>>) => void) =>
    definePlugin({ name, version: '1.0.0', kind: 'command', description: name, setup });

  it('refuses a command two plugins register, naming both', async () => {
    const a = withSetup('alpha', (p) => p.command('roll', () => 'a', { description: 'roll' }));
    const b = withSetup('beta', (p) => p.command('roll', () => 'b', { description: 'roll' }));
    expect((await refusal([a, b])).message).toBe('plugin beta: /roll is already a command of alpha');
  });

  it.each([
    [
      'a command name with capitals',
      (p) => p.command('Roll', () => '', { description: 'x' }),
      /command "Roll" must be 1–32/,
    ],
    [
      'a command twice',
      (p) => {
        p.command('roll', () => '', { description: 'x' });
        p.command('roll', () => '', { description: 'x' });
      },
      /registers \/roll twice/,
    ],
    [
      'a command without a description',
      (p) => p.command('roll', () => '', {} as never),
      /command \/roll needs a description/,
    ],
    [
      'a command without a handler',
      (p) => p.command('roll', 'roll' as never, { description: 'x' }),
      /needs a handler function/,
    ],
    [
      'a tool whose parameters are not a zod object',
      (p) =>
        p.command('roll', () => '', {
          description: 'x',
          tool: { description: 'roll', parameters: {} as never, args: () => '' },
        }),
      /parameters must be a zod object schema/,
    ],
    ['a listener of an unknown event', (p) => p.on('edit' as never, () => undefined), /cannot listen to "edit"/],
    ['an interval that is no duration', (p) => p.every('often', () => undefined), /cannot read duration "often"/],
    [
      'an interval in ms',
      (p) => p.every('500ms', () => undefined),
      /cannot read duration "500ms": "s" is not a number/,
    ],
    [
      'a zero interval',
      (p) => p.every('0s', () => undefined),
      /cannot read duration "0s": it must be longer than zero/,
    ],
    ['a bad cron pattern', (p) => p.cron('61 * * * *', () => undefined), /cron pattern "61 \* \* \* \*" is invalid/],
    [
      'two jobs of one name',
      (p) => {
        p.every('1h', () => undefined);
        p.cron('0 9 * * *', () => undefined);
      },
      /has two jobs named default/,
    ],
    ['a bad job name', (p) => p.every('1h', () => undefined, { name: 'daily digest' }), /job name "daily digest"/],
    [
      'a route url without a leading /',
      (p) => p.route({ method: 'GET', url: 'feeds', handler: async () => null }),
      /route url "feeds" must start with \//,
    ],
    [
      'a route url with a query',
      (p) => p.route({ method: 'GET', url: '/feeds?all', handler: async () => null }),
      /route url/,
    ],
    [
      'a route method',
      (p) => p.route({ method: 'TRACE' as never, url: '/feeds', handler: async () => null }),
      /route method "TRACE"/,
    ],
    [
      'a route role',
      (p) => p.route({ method: 'GET', url: '/feeds', role: 'owner' as never, handler: async () => null }),
      /route role "owner"/,
    ],
    [
      'a route twice',
      (p) => {
        p.route({ method: 'GET', url: '/feeds', handler: async () => null });
        p.route({ method: 'GET', url: '/feeds', handler: async () => null });
      },
      /registers GET \/feeds twice/,
    ],
  ] as Array<[string, (p: PluginSetup<Record<string, unknown>>) => void, RegExp]>)(
    'refuses %s',
    async (_what, setup, message) => {
      const err = await refusal([withSetup('rss', setup)]);
      expect(err.message).toMatch(/^plugin rss: /);
      expect(err.message).toMatch(message);
    },
  );

  it('stops the start when a setup throws, with its message, and closes the HTTP clients it made', async () => {
    let client: { getJson(path: string): Promise<unknown> } | undefined;
    const broken = withSetup('rss', (p) => {
      client = p.http({ baseUrl: 'http://127.0.0.1:9' });
      throw new Error('no feeds configured');
    });
    expect((await refusal([broken])).message).toBe('plugin rss: setup failed: no feeds configured');
    // A closed undici agent refuses new requests.
    await expect(client!.getJson('/x')).rejects.toThrow(/upstream 127\.0\.0\.1:9/);
  });

  it('registers commands, listeners, jobs and routes of a good plugin', async () => {
    const { host } = await hostOf([
      withSetup('rss', (p) => {
        p.command('feeds', () => 'none', { description: 'feeds' });
        p.on('message', () => undefined);
        p.every('1h', () => undefined, { name: 'poll' });
        p.cron('0 9 * * *', () => undefined, { name: 'digest', timeZone: 'Europe/Moscow', missedRuns: 'skip' });
        p.route({ method: 'GET', url: '/feeds/:id', role: 'viewer', handler: async () => [] });
      }),
    ]);
    const rss = host.get('rss');
    expect(host.command('feeds')?.plugin).toBe('rss');
    expect(host.listensTo('message')).toBe(true);
    expect(host.listensTo('reaction')).toBe(false);
    expect(host.jobs().map((j) => [j.name, j.schedule, j.missedRuns])).toEqual([
      ['poll', { kind: 'every', everyMs: 3_600_000 }, 'run-once'],
      ['digest', { kind: 'cron', pattern: '0 9 * * *', timeZone: 'Europe/Moscow' }, 'skip'],
    ]);
    expect(rss.routes.map((r) => [r.method, r.url, r.role])).toEqual([['GET', '/feeds/:id', 'viewer']]);
  });
});
