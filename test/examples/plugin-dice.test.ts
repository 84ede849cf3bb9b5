import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRoll } from '../../examples/plugin-dice/index.js';
import { BUILTIN_PLUGINS, loadPluginModules, type PluginOutbox } from '../../src/plugins/index.js';
import type { PluginRouteRequest } from '../../src/ports/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { waitFor } from '../support/edge-harness.js';
import { callOf, chatAccess, hostOf, live, pluginDataIn } from '../support/plugin-kit.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function dice(env: Record<string, string> = {}) {
  const loaded = await loadPluginModules(['./examples/plugin-dice/index.ts'], root);
  return hostOf(
    loaded.map((l) => l.plugin),
    { env },
  );
}

/** The faces and total of a `/roll` answer (`🎲 3 + 5 = 8`, `🎲 4`). */
function faces(text: string): { faces: number[]; total: number } {
  const [shown, total] = text.replace(/^\S+ /, '').split(' = ');
  const list = shown!.split(' + ').map(Number);
  return { faces: list, total: Number(total ?? list[0]) };
}

const request = (query: Record<string, string> = {}): PluginRouteRequest =>
  ({ params: {}, query, body: undefined, signal: live }) as unknown as PluginRouteRequest;

describe('the dice example plugin', () => {
  it('loads from its module and registers a command with a tool, a listener, a job and a route', async () => {
    const { host } = await dice();
    const hosted = host.get('dice');
    expect(hosted.plugin.version).toBe('1.0.0');
    expect(hosted.commands.map((c) => [c.name, c.tool !== null])).toEqual([['roll', true]]);
    expect([...hosted.listeners.keys()]).toEqual(['reaction']);
    expect(host.jobs()).toEqual([
      expect.objectContaining({
        plugin: 'dice',
        name: 'report',
        schedule: { kind: 'every', everyMs: 3_600_000 },
        missedRuns: 'skip',
      }),
    ]);
    expect(hosted.routes.map((r) => [r.method, r.url, r.role])).toEqual([['GET', '/stats', 'viewer']]);
  });

  it('rolls the dice asked for, each face within its sides and the total their sum', async () => {
    const { host } = await dice();
    const roll = async (args: string, language: 'ru' | 'en' = 'ru') =>
      (await host.runCommand(-100, callOf('dice', 'roll', args, language), undefined, chatAccess(), live)).texts[0]!;
    const three = faces(await roll('3d20'));
    expect(three.faces).toHaveLength(3);
    expect(three.faces.every((face) => face >= 1 && face <= 20)).toBe(true);
    expect(three.total).toBe(three.faces.reduce((a, b) => a + b, 0));
    expect(faces(await roll('')).faces[0]).toBeLessThanOrEqual(6);
    expect(await roll('xyz')).toBe('Пиши так: /roll, /roll 3 или /roll 2d20');
    expect(await roll('11')).toBe('Можно от 1 до 10 кубиков, от 2 до 1000 граней');
    expect(await roll('11', 'en')).toBe('1 to 10 dice of 2 to 1000 sides');
  });

  it('reads its settings from the environment, its own variable included', async () => {
    const { host } = await dice({ DICE_SIDES: '2', PLUGIN_DICE_MAX_DICE: '50', PLUGIN_DICE_EMOJI: '🎯' });
    const text = (await host.runCommand(-100, callOf('dice', 'roll', '40'), undefined, chatAccess(), live)).texts[0]!;
    expect(text.startsWith('🎯 ')).toBe(true);
    expect(faces(text).faces.every((f) => f === 1 || f === 2)).toBe(true);
    expect(faces(text).faces).toHaveLength(40);
  });

  it('answers the model as a tool, its arguments made into the command’s text', async () => {
    const { host } = await dice();
    expect(host.toolsIn(undefined).map((t) => t.name)).toEqual(['roll']);
    const call = { id: 't', name: 'roll', arguments: '{"count":2,"sides":100}' };
    const text = await host.runTool(
      { chatId: -100, userId: 5, language: 'ru', messageId: 3 },
      call,
      undefined,
      chatAccess(),
      live,
    );
    expect(faces(text).faces).toHaveLength(2);
    expect(
      await host.runTool(
        { chatId: -100, userId: 5, language: 'ru', messageId: 3 },
        { ...call, arguments: '{"count":0}' },
        undefined,
        chatAccess(),
        live,
      ),
    ).toMatch(/^error: bad arguments: count: /);
  });

  it('tallies dice reactions, posts the rolls from its job, and shows both on its admin route', async () => {
    const { host } = await dice();
    for (let i = 0; i < 2; i++) await host.runCommand(-100, callOf('dice', 'roll'), undefined, chatAccess(-100), live);
    await host.runCommand(-200, callOf('dice', 'roll'), undefined, chatAccess(-200), live);
    const react = (emoji: string[]) =>
      host.notify(
        -100,
        { type: 'reaction', messageId: 1, userId: 5, added: emoji, removed: [] },
        'ru',
        undefined,
        chatAccess(),
        live,
      );
    for (let i = 0; i < 9; i++) expect((await react(['🎲'])).texts).toEqual([]);
    expect((await react(['👍'])).texts).toEqual([]);
    expect((await react(['🎲'])).texts).toEqual(['10 кубиков в реакциях!']);

    const posts: Array<[number, string]> = [];
    const outbox: PluginOutbox = {
      chatsWith: async () => [-100, -200, -300],
      view: async (chatId) => ({ view: chatAccess(chatId).view, choices: {} }),
      data: (_chatId, plugin) => pluginDataIn()(plugin),
      post: async (chatId, _plugin, text) => {
        posts.push([chatId, text]);
        return chatId !== -200;
      },
    };
    await host.runJob('dice', 'report', 0, outbox, live);
    expect(posts).toEqual([
      [-100, '🎲 бросков за это время: 2'],
      [-200, '🎲 бросков за это время: 1'],
    ]);
    posts.length = 0;
    await host.runJob('dice', 'report', 3_600_000, outbox, live);
    // -100 was told; -200's post did not go out, so it is told again.
    expect(posts).toEqual([[-200, '🎲 бросков за это время: 1']]);

    const route = host.get('dice').routes[0]!;
    expect(await route.handler(request())).toEqual([
      { chatId: -100, rolls: 2, reactions: 10 },
      { chatId: -200, rolls: 1, reactions: 0 },
    ]);
    expect(await route.handler(request({ chat: '-200' }))).toEqual([{ chatId: -200, rolls: 1, reactions: 0 }]);
  });

  it('answers /roll in a chat through the chat actor, and /help lists it', async () => {
    const loaded = await loadPluginModules(['./examples/plugin-dice/index.ts'], root);
    const { host: withBuiltins } = await hostOf([...BUILTIN_PLUGINS, ...loaded.map((l) => l.plugin)]);
    const h = chatActorHarness({ plugins: withBuiltins });
    const roll = h.say(-900, '/roll 2d6');
    h.say(-900, '/help');
    await h.clock.advance(0);
    await waitFor('two answers', () => h.egress.sent.length === 2);
    expect(h.egress.sent.find((s) => s.replyTo === roll)?.text).toMatch(/^🎲 [1-6] \+ [1-6] = \d+$/);
    expect(h.egress.sent.find((s) => s.replyTo !== roll)?.text).toContain(
      '/roll [сколько][d<граней>] — бросить кубики',
    );
  });
});

describe('parseRoll', () => {
  it.each([
    ['', { count: 1, sides: 6 }],
    ['3', { count: 3, sides: 6 }],
    ['d20', { count: 1, sides: 20 }],
    ['2D8', { count: 2, sides: 8 }],
    ['d', null],
    ['2d', null],
    ['-1', null],
  ])('reads %j', (text, expected) => {
    expect(parseRoll(text, 6)).toEqual(expected);
  });
});
