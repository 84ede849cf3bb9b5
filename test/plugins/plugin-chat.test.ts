import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryAuditLog } from '../../src/http/index.js';
import { BUILTIN_PLUGINS, definePlugin, type PluginEvent } from '../../src/plugins/index.js';
import { MetricsRegistry } from '../../src/runtime/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { waitFor } from '../support/edge-harness.js';
import { hostOf } from '../support/plugin-kit.js';

const G = -700;
const admin = { id: 6, firstName: 'Петя' };
const member = { id: 5, firstName: 'Маша' };
const BOT_TOKEN = '123456789:AAH8fQ2x7Lm_ZpQw3eRtYuIoPaSdFgHjKlZ';

/** Records what every listener is handed; `/leak` answers a token, `/phone` a phone number. */
function listening() {
  const heard: Array<{ plugin: string; event: PluginEvent }> = [];
  const echo = definePlugin({
    name: 'echo',
    version: '1.0.0',
    kind: 'listener',
    description: { en: 'Echoes the chat', ru: 'Повторяет за чатом' },
    setup(p) {
      p.on('message', (ctx) => {
        heard.push({ plugin: 'echo', event: ctx.event });
        return `эхо: ${ctx.event.text}`;
      });
      p.on('member_joined', (ctx) => {
        heard.push({ plugin: 'echo', event: ctx.event });
        ctx.reply(`привет, ${ctx.event.userIds.join(', ')}`);
      });
      p.on('reaction', (ctx) => {
        heard.push({ plugin: 'echo', event: ctx.event });
        return `реакция ${ctx.event.added.join('')}`;
      });
      p.command('leak', () => `мой токен ${BOT_TOKEN}`, { description: { en: 'leaks', ru: 'сливает' } });
      p.command('phone', () => 'звони Маше: +7 916 123-45-67', { description: { en: 'phone', ru: 'телефон' } });
    },
  });
  return { heard, echo };
}

async function setUp() {
  const { heard, echo } = listening();
  const audit = new MemoryAuditLog();
  const { host } = await hostOf([...BUILTIN_PLUGINS, echo], { audit, metrics: new MetricsRegistry() });
  const h = chatActorHarness({ plugins: host, admins: [admin.id] });
  const texts = () => h.egress.sent.map((s) => s.text);
  return { h, host, heard, audit, texts };
}

describe('plugins switched per chat from Telegram', () => {
  it('lets a chat admin switch a plugin off and on, auditing each switch, and refuses a member', async () => {
    const { h, audit, texts } = await setUp();
    h.say(G, '/plugin off top', { from: member });
    await h.clock.advance(0);
    await waitFor('the refusal', () => texts().length === 1);
    expect(texts()[0]).toBe('Это могут только админы чата.');
    h.say(G, '/plugin off top', { from: admin });
    await h.clock.advance(0);
    await waitFor('the switch', () => texts().length === 2);
    expect(texts()[1]).toBe('Плагин top выключен.');
    h.say(G, '/top', { from: member });
    await h.clock.advance(0);
    await waitFor('the answer', () => texts().length === 3);
    expect(texts()[2]).toBe('/top в этом чате выключена. Админы включают плагины командой /plugin on <имя>.');
    expect((await h.state(G)).chat.plugins).toEqual({ top: { enabled: false } });
    h.say(G, '/plugin on top', { from: admin });
    await h.clock.advance(0);
    await waitFor('the switch back', () => texts().length === 4);
    expect(texts()[3]).toBe('Плагин top включён.');
    const entries = (await audit.query({ action: 'plugin.*' }, { cursor: undefined, limit: 10 })).items;
    expect(entries.map((e) => [e.action, e.target, e.actor.tokenId, e.details])).toEqual([
      ['plugin.chat.enabled.set', `chat:${G}`, `telegram:${admin.id}`, { plugin: 'top', enabled: true }],
      ['plugin.chat.enabled.set', `chat:${G}`, `telegram:${admin.id}`, { plugin: 'top', enabled: false }],
    ]);
  });

  it('never switches off help or plugins, and says so', async () => {
    const { h, texts } = await setUp();
    h.say(G, '/plugin off help', { from: admin });
    h.say(G, '/plugin off plugins', { from: admin });
    h.say(G, '/plugin off nosuch', { from: admin });
    await h.clock.advance(0);
    await waitFor('three answers', () => texts().length === 3);
    // Each answer is sent when its call ends, so their order is not the commands'.
    expect([...texts()].sort()).toEqual([
      'help нужен всегда, его не выключить.',
      'plugins нужен всегда, его не выключить.',
      'Плагина «nosuch» нет. Список: /plugins',
    ]);
    expect((await h.state(G)).chat.plugins ?? {}).toEqual({});
  });

  it('lists the plugins with their state, and /help lists only the commands of the plugins on, in the asker’s language', async () => {
    const { h, texts } = await setUp();
    h.say(G, '/plugin off stats', { from: admin });
    await h.clock.advance(0);
    h.say(G, '/plugins', { from: member });
    h.say(G, '/help', { from: member });
    await h.clock.advance(0);
    await waitFor('the list and help', () => texts().length === 3);
    const list = texts().find((t) => t.startsWith('Плагины:'))!;
    const helpRu = texts().find((t) => t.startsWith('Я Лёха'))!;
    expect(list).toContain('⛔ stats — Статистика чата и участников');
    expect(list).toContain('✅ top — Самые активные и любимые слова чата');
    expect(list).toContain('✅ echo — Повторяет за чатом');
    expect(helpRu).toContain('/top — самые активные');
    expect(helpRu).toContain('/leak — сливает');
    expect(helpRu).not.toContain('/stats');
    const english = { id: 8, firstName: 'John' };
    h.say(G, 'Hello everyone, how are you doing today?', { from: english });
    h.say(G, 'I think we should go to the cinema tonight', { from: english });
    await h.clock.advance(0);
    const before = texts().length;
    h.say(G, '/help', { from: english });
    await h.clock.advance(0);
    await waitFor('English help', () => texts().some((t, i) => i >= before && t.startsWith("I'm Lekha")));
    const helpEn = texts().find((t, i) => i >= before && t.startsWith("I'm Lekha"))!;
    expect(helpEn).toContain('/top — most active members');
    expect(helpEn).toContain('/leak — leaks');
    expect(helpEn).not.toContain('/stats');
  });
});

describe('plugin listeners in a chat', () => {
  it('hands a message to listeners with personal data redacted, and sends what they answer', async () => {
    const { h, heard, texts } = await setUp();
    const id = h.say(G, 'мой номер +7 916 123-45-67, звоните', { from: member });
    await h.clock.advance(0);
    await waitFor('the echo', () => texts().length === 1);
    expect(heard).toEqual([
      {
        plugin: 'echo',
        event: { type: 'message', messageId: id, fromId: member.id, text: 'мой номер [phone], звоните' },
      },
    ]);
    expect(h.egress.sent[0]).toMatchObject({ text: 'эхо: мой номер [phone], звоните', replyTo: id });
  });

  it('hands new members and reactions to listeners', async () => {
    const { h, heard, texts } = await setUp();
    h.say(G, '', { from: member, newMembers: [{ id: 41, firstName: 'Оля' }] });
    await h.clock.advance(0);
    await waitFor('the greeting', () => texts().length === 1);
    expect(texts()[0]).toBe('привет, 41');
    h.react(G, 77, member.id, [], ['🔥']);
    await h.clock.advance(0);
    await waitFor('the reaction answer', () => texts().length === 2);
    expect(texts()[1]).toBe('реакция 🔥');
    expect(heard.map((x) => x.event.type)).toEqual(['member_joined', 'reaction']);
    expect(heard[1]!.event).toEqual({ type: 'reaction', messageId: 77, userId: member.id, added: ['🔥'], removed: [] });
  });

  it('does not call the listeners of a plugin switched off in the chat', async () => {
    const { h, heard, texts } = await setUp();
    h.say(G, '/plugin off echo', { from: admin });
    await h.clock.advance(0);
    await waitFor('the switch', () => texts().length === 1);
    h.say(G, 'кто идёт в кино?', { from: member });
    h.say(G, '/top', { from: member });
    await h.clock.advance(0);
    await waitFor('the answer to /top', () => texts().length === 2);
    expect(heard).toEqual([]);
  });
});

describe('plugin texts through the leak guard', () => {
  it('blocks a plugin text carrying a bot token and redacts a phone number', async () => {
    const { h, texts } = await setUp();
    h.say(G, '/leak', { from: member });
    const phone = h.say(G, '/phone', { from: member });
    await h.clock.advance(0);
    await waitFor('the guard’s verdicts', () => h.counters.leakBlocks.value === 1 && texts().length === 1);
    expect(h.egress.sent).toEqual([expect.objectContaining({ replyTo: phone, text: 'звони Маше: [phone]' })]);
  });
});

describe('plugin settings changed per chat from Telegram', () => {
  /** `/sky` answers with the settings in effect; chats may change `units` and `city`, never `apiKey`. */
  const sky = definePlugin({
    name: 'sky',
    version: '1.0.0',
    kind: 'integration',
    description: { en: 'Sky', ru: 'Небо' },
    settings: z.object({
      units: z.enum(['metric', 'imperial']).default('metric'),
      city: z.string().max(40).default(''),
      apiKey: z.string().default('k-123'),
    }),
    chatSettings: ['units', 'city'],
    setup(p) {
      p.command('sky', (ctx) => `${ctx.settings.units} ${ctx.settings.city || '-'}`, { description: 'sky' });
    },
  });

  async function skyChat() {
    const audit = new MemoryAuditLog();
    const { host } = await hostOf([...BUILTIN_PLUGINS, sky], { audit });
    const h = chatActorHarness({ plugins: host, admins: [admin.id] });
    const texts = () => h.egress.sent.map((s) => s.text);
    const ask = async (text: string, from = admin) => {
      const before = texts().length;
      h.say(G, text, { from });
      await waitFor(text, async () => (await h.clock.advance(0), texts().length > before));
      return texts().at(-1);
    };
    return { h, ask, audit };
  }

  it('lets a chat admin set, show and reset the settings the plugin offers, and audits each change', async () => {
    const { h, ask, audit } = await skyChat();
    expect(await ask('/plugin settings sky', member)).toBe(
      'Настройки sky в этом чате:\n• units = metric\n• city = \nПоменять (админы): /plugin set sky <настройка> <значение>',
    );
    expect(await ask('/plugin set sky units imperial', member)).toBe('Это могут только админы чата.');
    expect(await ask('/plugin set sky units imperial')).toBe('sky: units = imperial в этом чате.');
    expect(await ask('/plugin set sky city Нижний Новгород')).toBe('sky: city = Нижний Новгород в этом чате.');
    expect(await ask('/sky', { id: 7, firstName: 'Оля' })).toBe('imperial Нижний Новгород');
    expect((await h.state(G)).chat.plugins).toEqual({
      sky: { settings: { units: 'imperial', city: 'Нижний Новгород' } },
    });
    expect(await ask('/plugin reset sky units')).toBe('sky: units снова по умолчанию.');
    expect(await ask('/sky', { id: 8, firstName: 'Коля' })).toBe('metric Нижний Новгород');
    expect(await ask('/plugin reset sky', { id: admin.id, firstName: admin.firstName })).toBe(
      'sky: в этом чате снова настройки по умолчанию.',
    );
    expect(await ask('/sky', { id: 9, firstName: 'Ира' })).toBe('metric -');
    const entries = (await audit.query({ action: 'plugin.chat.settings.set' }, { cursor: undefined, limit: 10 })).items;
    expect(entries.map((e) => e.details)).toEqual([
      { plugin: 'sky', settings: {} },
      { plugin: 'sky', settings: { city: 'Нижний Новгород' } },
      { plugin: 'sky', settings: { units: 'imperial', city: 'Нижний Новгород' } },
      { plugin: 'sky', settings: { units: 'imperial' } },
    ]);
  });

  it('refuses settings the plugin keeps for operators and values its schema refuses, changing nothing', async () => {
    const { h, ask } = await skyChat();
    expect(await ask('/plugin set sky apiKey stolen')).toBe('«apiKey» у sky в чате не меняется. Можно: units, city.');
    expect(await ask('/plugin set sky units kelvin')).toMatch(/^sky: «units» так не получится \(.+\)\.$/);
    expect(await ask('/plugin set sky')).toMatch(/^Так: \/plugin on\|off/);
    expect((await h.state(G)).chat.plugins).toBeUndefined();
  });

  it('refuses at start a plugin offering chats an address or a credential', async () => {
    const leaky = definePlugin({
      name: 'leaky',
      version: '1.0.0',
      kind: 'integration',
      description: 'Leaky',
      settings: z.object({ baseUrl: z.string().default('https://api.example.org') }),
      chatSettings: ['baseUrl'],
      setup: () => undefined,
    });
    await expect(hostOf([leaky])).rejects.toThrow(
      "plugin leaky: chatSettings may not offer baseUrl to chats: credentials and addresses are the operator's",
    );
  });
});
