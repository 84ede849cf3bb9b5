/*
 * Type tests of the public plugin API: `tsc -p tsconfig.json` checks every
 * `expectTypeOf` and `@ts-expect-error` here; the runtime part checks the
 * typed plugin also registers and runs.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type CommandContext,
  definePlugin,
  type JobContext,
  type MemberJoinedEvent,
  type MessageEvent,
  type Plugin,
  type PluginSetup,
  type ReactionEvent,
} from '../../src/plugins/index.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const schema = z.object({
  units: z.enum(['metric', 'imperial']).default('metric'),
  days: z.number().int().default(3),
  key: z.string().optional(),
});
type Settings = z.output<typeof schema>;

const typed = definePlugin({
  name: 'typed',
  version: '1.0.0',
  kind: 'integration',
  description: 'Types',
  settings: schema,
  env: { key: 'TYPED_KEY' },
  setup(p) {
    expectTypeOf(p.settings).toEqualTypeOf<Settings>();
    p.command(
      'forecast',
      (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<CommandContext<Settings>>();
        expectTypeOf(ctx.settings.units).toEqualTypeOf<'metric' | 'imperial'>();
        expectTypeOf(ctx.settings.days).toBeNumber();
        expectTypeOf(ctx.settings.key).toEqualTypeOf<string | undefined>();
        expectTypeOf(ctx.via).toEqualTypeOf<'command' | 'tool' | 'phrase'>();
        return `${ctx.settings.days} ${ctx.settings.units}`;
      },
      {
        description: { en: 'forecast', ru: 'прогноз' },
        tool: {
          description: 'Forecast for a place',
          parameters: z.object({ place: z.string(), days: z.number().default(1) }),
          args: (parameters) => {
            // The schema's output: defaults filled in.
            expectTypeOf(parameters).toEqualTypeOf<{ place: string; days: number }>();
            return `${parameters.place} ${parameters.days}`;
          },
        },
      },
    );
    p.every('1h', (ctx) => {
      expectTypeOf(ctx).toEqualTypeOf<JobContext<Settings>>();
      expectTypeOf(ctx.settings.days).toBeNumber();
      expectTypeOf(ctx.post).returns.resolves.toBeBoolean();
    });
    p.cron(
      '0 9 * * *',
      async (ctx) => {
        expectTypeOf(ctx.settings.units).toEqualTypeOf<'metric' | 'imperial'>();
      },
      { name: 'morning' },
    );
    p.on('reaction', (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<ReactionEvent>();
      expectTypeOf(ctx.event.added).toEqualTypeOf<readonly string[]>();
    });
    p.on('message', (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<MessageEvent>();
      return ctx.event.text;
    });
    p.on('member_joined', (ctx) => {
      expectTypeOf(ctx.event).toEqualTypeOf<MemberJoinedEvent>();
      expectTypeOf(ctx.settings.days).toBeNumber();
    });
  },
});

/** What the compiler refuses; never run (a few would also be refused at registration). */
function misuse(p: PluginSetup<Settings>): void {
  // @ts-expect-error a handler answers a text or nothing
  p.command('count', () => 42, { description: 'x' });
  // @ts-expect-error a command needs a description
  p.command('bare', () => 'x', {});
  // @ts-expect-error units is a string, not a number
  p.command('double', (ctx) => String(ctx.settings.units * 2), { description: 'x' });
  // @ts-expect-error a reaction carries no text
  p.on('reaction', (ctx) => ctx.event.text);
  // @ts-expect-error there is no such event
  p.on('edited', () => undefined);
  p.command('tool', () => '', {
    description: 'x',
    tool: {
      description: 'x',
      parameters: z.object({ count: z.number() }),
      // @ts-expect-error a tool's args make the command's text: a string
      args: ({ count }) => count,
    },
  });
  p.command('tool2', () => '', {
    description: 'x',
    tool: {
      description: 'x',
      parameters: z.object({ count: z.number() }),
      // @ts-expect-error the parameters have no `place`
      args: ({ place }) => String(place),
    },
  });
  // @ts-expect-error a job returns nothing
  p.every('1h', () => 'done');
}

describe('the plugin API’s types', () => {
  it('types a plugin by its settings schema', () => {
    expectTypeOf(typed).toEqualTypeOf<Plugin<typeof schema>>();
    expectTypeOf(typed.settings).toEqualTypeOf<typeof schema>();
    expectTypeOf(misuse).parameter(0).toEqualTypeOf<PluginSetup<Settings>>();
    expect(Object.isFrozen(typed)).toBe(true);
  });

  it('refuses an env map naming no setting, and a manifest without a name', () => {
    const setup = () => undefined;
    definePlugin({
      name: 'a',
      version: '1.0.0',
      kind: 'command',
      description: 'x',
      settings: schema,
      // @ts-expect-error `colour` is no setting of the schema
      env: { colour: 'C' },
      setup,
    });
    // @ts-expect-error a plugin needs a name
    definePlugin({ version: '1.0.0', kind: 'command', description: 'x', setup });
    // @ts-expect-error kinds are command, listener, integration or job
    const bad = definePlugin({ name: 'b', version: '1.0.0', kind: 'widget', description: 'x', setup });
    expect(bad.settings).toBeInstanceOf(z.ZodObject);
  });

  it('registers and runs the typed plugin', async () => {
    const { host } = await hostOf([typed], { env: { PLUGIN_TYPED_DAYS: '5' } });
    const effects = await host.runCommand(-100, callOf('typed', 'forecast'), undefined, chatAccess(), live);
    expect(effects.texts).toEqual(['5 metric']);
    expect(host.jobs().map((j) => j.name)).toEqual(['default', 'morning']);
  });
});
