import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILTIN_PLUGINS, type CommandContext, definePlugin } from '../../src/plugins/index.js';
import type { ToolCaller } from '../../src/ports/index.js';
import { SystemClock } from '../../src/runtime/index.js';
import { chatAccess, hostOf, live } from '../support/plugin-kit.js';

const caller: ToolCaller = { chatId: -100, userId: 5, language: 'en', messageId: 42 };

/** `/weather <place>` as a tool; `/setmode` tries to change the chat; `/secret` is for admins only. */
function weatherPlugin(seen: Array<CommandContext<{ units: string }>>) {
  return definePlugin({
    name: 'weather',
    version: '1.0.0',
    kind: 'integration',
    description: 'Weather',
    settings: z.object({ units: z.string().default('metric') }),
    setup(p) {
      p.command(
        'weather',
        (ctx) => {
          seen.push(ctx);
          return `${ctx.args}: +3, ${ctx.settings.units}`;
        },
        {
          description: 'weather',
          args: '<place>',
          tool: {
            description: 'Current weather in a place',
            parameters: z.object({ place: z.string().min(2), days: z.number().int().max(7).optional() }),
            args: ({ place, days }) => (days === undefined ? place : `${place} ${days}`),
          },
        },
      );
      p.command(
        'setmode',
        (ctx) => {
          ctx.changeSettings({ mode: 'silent' });
          return 'done';
        },
        { description: 'x', tool: { description: 'Silences the bot', parameters: z.object({}), args: () => '' } },
      );
      p.command('secret', () => 'secret', {
        description: 'x',
        adminOnly: true,
        tool: { description: 'Admin thing', parameters: z.object({}), args: () => '' },
      });
      p.command('slow', () => new Promise<string>(() => undefined), {
        description: 'x',
        tool: { description: 'Never answers', parameters: z.object({}), args: () => '' },
      });
      p.command('quiet', () => undefined, {
        description: 'x',
        tool: { description: 'Answers nothing', parameters: z.object({}), args: () => '' },
      });
    },
  });
}

async function setUp() {
  const seen: Array<CommandContext<{ units: string }>> = [];
  const { host } = await hostOf([...BUILTIN_PLUGINS, weatherPlugin(seen)], { clock: new SystemClock(), timeoutMs: 50 });
  const run = (name: string, args: string, choices?: Record<string, { enabled: boolean }>) =>
    host.runTool(caller, { id: 'c1', name, arguments: args }, choices, chatAccess(), live);
  return { host, seen, run };
}

describe('plugin commands as tools', () => {
  it('offers the tool commands of the plugins on in the chat, with their JSON Schema, never admin-only ones', async () => {
    const { host } = await setUp();
    const tools = host.toolsIn(undefined);
    expect(tools.map((t) => t.name)).toEqual(['summary', 'weather', 'setmode', 'slow', 'quiet']);
    expect(tools.find((t) => t.name === 'weather')).toMatchObject({
      description: 'Current weather in a place',
      parameters: {
        type: 'object',
        properties: { place: { type: 'string', minLength: 2 }, days: { type: 'integer' } },
        required: ['place'],
      },
    });
    expect(host.toolsIn({ weather: { enabled: false } }).map((t) => t.name)).toEqual(['summary']);
  });

  it('runs a tool with the arguments its schema made into the command’s text, marked as a tool call', async () => {
    const { run, seen } = await setUp();
    expect(await run('weather', '{"place":"Питер","days":2}')).toBe('Питер 2: +3, metric');
    expect(seen[0]).toMatchObject({
      via: 'tool',
      args: 'Питер 2',
      argv: ['Питер', '2'],
      messageId: 42,
      language: 'en',
    });
    expect(seen[0]!.from).toEqual({ id: 5, name: 'Маша' });
  });

  it.each([
    ['arguments that are not JSON', 'weather', '{place: Питер', 'error: the arguments are not valid JSON'],
    ['arguments the schema refuses', 'weather', '{"place":"P","days":30}', /^error: bad arguments: place: .*; days: /],
    ['a missing argument', 'weather', '{}', /^error: bad arguments: place: /],
    ['an unknown tool', 'forecast', '{}', 'error: there is no tool named "forecast"'],
    ['an admin-only command', 'secret', '{}', 'error: there is no tool named "secret"'],
    ['a command that is no tool', 'top', '{}', 'error: there is no tool named "top"'],
    ['a tool that changes the chat', 'setmode', '{}', 'error: the tool failed'],
    ['a tool that never answers', 'slow', '{}', 'error: the tool timed out'],
    ['a tool that answers nothing', 'quiet', '', '(the tool gave no answer)'],
  ])('answers the model a short text for %s', async (_what, name, args, answer) => {
    const { run } = await setUp();
    const text = await run(name, args);
    if (typeof answer === 'string') expect(text).toBe(answer);
    else expect(text).toMatch(answer);
  });

  it('refuses a tool of a plugin switched off in the chat', async () => {
    const { run } = await setUp();
    expect(await run('weather', '{"place":"Питер"}', { weather: { enabled: false } })).toBe(
      'error: there is no tool named "weather"',
    );
  });

  it('stops offering a plugin’s tools while its breaker is open', async () => {
    const { host } = await hostOf([weatherPlugin([])], {
      clock: new SystemClock(),
      timeoutMs: 20,
      breaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    await host.runTool(caller, { id: 'c', name: 'slow', arguments: '{}' }, undefined, chatAccess(), live);
    expect(host.toolsIn(undefined)).toEqual([]);
  });
});
