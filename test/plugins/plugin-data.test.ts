import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ChatState, parseChatState } from '../../src/actors/index.js';
import { BUILTIN_PLUGINS, definePlugin } from '../../src/plugins/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { waitFor } from '../support/edge-harness.js';
import { hostOf } from '../support/plugin-kit.js';

const G = -800;
const scores = z.record(z.string(), z.number()).default({});

/** `/point` scores a point for the asker in the chat's data; `/points` lists them; `/huge` tries to store too much. */
const points = definePlugin({
  name: 'points',
  version: '1.0.0',
  kind: 'command',
  description: 'Points',
  setup(p) {
    p.command(
      'point',
      async (ctx) => {
        const after = await ctx.data(scores).update((s) => ({ ...s, [ctx.from.name]: (s[ctx.from.name] ?? 0) + 1 }));
        return `${ctx.from.name}: ${after[ctx.from.name]}`;
      },
      { description: 'a point' },
    );
    p.command(
      'points',
      async (ctx) => {
        const now = await ctx.data(scores).get();
        return Object.entries(now)
          .map(([name, n]) => `${name} ${n}`)
          .join(', ');
      },
      { description: 'the points' },
    );
    p.command(
      'huge',
      async (ctx) => {
        try {
          await ctx.data(z.string().default('')).update(() => 'x'.repeat(70_000));
          return 'stored';
        } catch (err) {
          return `refused: ${(err as { code?: string }).code}`;
        }
      },
      { description: 'too much' },
    );
  },
});

async function setUp(state?: () => ChatState | undefined) {
  const logger = new CapturingLogger();
  const { host } = await hostOf([...BUILTIN_PLUGINS, points], { logger });
  const h = chatActorHarness({ plugins: host, ...(state === undefined ? {} : { state }) });
  const texts = () => h.egress.sent.map((s) => s.text);
  return { h, texts, logger };
}

describe("a plugin's data in a chat", () => {
  it('keeps every change of calls that run at once, in the chat state', async () => {
    const { h, texts } = await setUp();
    // Twelve members at once (one command each: the chat's rate limit is per member).
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    names.forEach((name, i) => h.say(G, '/point', { from: { id: 10 + i, firstName: name } }));
    await waitFor('12 answers', async () => (await h.clock.advance(0), texts().length === 12));
    h.say(G, '/points');
    await waitFor('the list', async () => (await h.clock.advance(0), texts().length === 13));
    expect(texts()[12]).toBe(names.map((name) => `${name} 1`).join(', '));
    expect((await h.state(G)).chat.pluginData).toEqual({ points: Object.fromEntries(names.map((n) => [n, 1])) });
  });

  it('comes back with the chat after a restart from its snapshot', async () => {
    const first = await setUp();
    first.h.say(G, '/point');
    await waitFor('the point', async () => (await first.h.clock.advance(0), first.texts().length === 1));
    // Through the snapshot schema, as storage would read it back; a fresh harness numbers updates and messages from the start again.
    const stored = parseChatState({ ...JSON.parse(JSON.stringify(await first.h.state(G))), lastUpdateId: -1 });
    stored.chat.lastMessageId = 0;
    const second = await setUp(() => stored);
    second.h.say(G, '/point');
    await waitFor('the second point', async () => (await second.h.clock.advance(0), second.texts().length === 1));
    expect(second.texts()[0]).toBe('Маша: 2');
  });

  it('refuses a value too big for a snapshot and keeps what was stored', async () => {
    const { h, texts } = await setUp();
    h.say(G, '/huge');
    await waitFor('the refusal', async () => (await h.clock.advance(0), texts().length === 1));
    expect(texts()[0]).toBe('refused: PLUGIN_DATA_REFUSED');
    expect((await h.state(G)).chat.pluginData).toBeUndefined();
  });

  it('reads what its schema no longer accepts as the default, with a warning', async () => {
    const seeded = await setUp();
    seeded.h.say(G, '/point');
    await waitFor('the point', async () => (await seeded.h.clock.advance(0), seeded.texts().length === 1));
    const state = await seeded.h.state(G);
    state.chat.pluginData = { points: 'not a record' };
    state.lastUpdateId = -1;
    state.chat.lastMessageId = 0;
    const { h, texts, logger } = await setUp(() => parseChatState(JSON.parse(JSON.stringify(state))));
    h.say(G, '/point');
    await waitFor('the point', async () => (await h.clock.advance(0), texts().length === 1));
    expect(texts()[0]).toBe('Маша: 1');
    expect(logger.lines.some((l) => l.msg.includes('no longer fits its schema'))).toBe(true);
  });
});
