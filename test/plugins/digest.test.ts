import { describe, expect, it } from 'vitest';
import { DerivedCache, LiveChatView, patchChatSettings, type PluginChoices } from '../../src/chat/index.js';
import { BUILTIN_PLUGINS, type PluginOutbox } from '../../src/plugins/index.js';
import { ChatDriver, vocabulary } from '../chat/support/chat-fixture.js';
import { hostOf, live, pluginDataIn } from '../support/plugin-kit.js';

const HOUR = 3_600_000;
const anna = { id: 11, name: 'Аня' };
const boris = { id: 22, name: 'Борис' };

/** An outbox over chats driven through the real pipeline, recording what the job posts. */
function outboxOf(chats: Map<number, { driver: ChatDriver; choices: PluginChoices }>) {
  const posted: Array<{ chatId: number; text: string }> = [];
  const outbox: PluginOutbox = {
    async post(chatId, _plugin, text) {
      posted.push({ chatId, text });
      return true;
    },
    async chatsWith() {
      return [...chats.entries()].filter(([, c]) => c.choices['digest']?.enabled === true).map(([id]) => id);
    },
    async view(chatId) {
      const { driver, choices } = chats.get(chatId)!;
      const view = new LiveChatView(chatId, driver.state, new DerivedCache(), vocabulary, () => driver.nowMs);
      return { view, choices };
    },
    data: (chatId, plugin) => pluginDataIn(chats.get(chatId)!.driver.state)(plugin),
  };
  return { outbox, posted };
}

describe('the daily digest', () => {
  it('posts the day of each chat that switched it on, at its own local hour, and nothing on a quiet day', async () => {
    const { host } = await hostOf(BUILTIN_PLUGINS);
    expect(host.info('digest')).toMatchObject({
      enabledByDefault: false,
      jobs: [{ name: 'daily', schedule: '0 * * * *' }],
    });
    const busy = new ChatDriver();
    busy.say(anna, 'кто идёт в кино вечером?');
    busy.say(boris, 'я иду, кино в семь');
    const quiet = new ChatDriver();
    const off = new ChatDriver();
    off.say(anna, 'тут тоже болтают');
    const chats = new Map([
      [-1, { driver: busy, choices: { digest: { enabled: true, settings: { hour: 21 } } } }],
      [-2, { driver: quiet, choices: { digest: { enabled: true } } }],
      [-3, { driver: off, choices: {} }],
    ]);
    const { outbox, posted } = outboxOf(chats);
    // Local 21:00 at the chats' default UTC+3 is 18:00 UTC.
    const utcMidnight = Math.floor(busy.nowMs / (24 * HOUR)) * 24 * HOUR;
    for (const driver of [busy, quiet, off]) driver.nowMs = utcMidnight + 18 * HOUR;
    await host.runJob('digest', 'daily', utcMidnight + 17 * HOUR, outbox, live);
    expect(posted).toEqual([]);
    await host.runJob('digest', 'daily', utcMidnight + 18 * HOUR, outbox, live);
    expect(posted).toEqual([{ chatId: -1, text: expect.stringMatching(/^🗞 Итоги дня\nЗа 24 часа: 2 сообщ\./) }]);
    expect(posted[0]!.text).toContain('кино');
  });

  it('posts in the chat’s language: its setting, else the one its members write in', async () => {
    const { host } = await hostOf(BUILTIN_PLUGINS);
    const spokenUk = new ChatDriver();
    spokenUk.say(anna, 'хто йде в кіно ввечері?');
    spokenUk.say(boris, 'я йду, кіно о сьомій');
    const setUk = new ChatDriver();
    setUk.state.settings = patchChatSettings(setUk.state.settings, { language: 'uk' });
    setUk.say(anna, 'кто идёт в кино вечером?');
    const spokenRu = new ChatDriver();
    spokenRu.say(anna, 'кто идёт в кино вечером?');
    const on = { digest: { enabled: true, settings: { hour: 21 } } };
    const chats = new Map([
      [-1, { driver: spokenUk, choices: on }],
      [-2, { driver: setUk, choices: on }],
      [-3, { driver: spokenRu, choices: on }],
    ]);
    const { outbox, posted } = outboxOf(chats);
    const utcMidnight = Math.floor(spokenUk.nowMs / (24 * HOUR)) * 24 * HOUR;
    for (const { driver } of chats.values()) driver.nowMs = utcMidnight + 18 * HOUR;
    await host.runJob('digest', 'daily', utcMidnight + 18 * HOUR, outbox, live);
    expect(posted).toEqual([
      { chatId: -1, text: expect.stringMatching(/^🗞 Підсумки дня\nЗа 24 години: 2 повідомл\./) },
      { chatId: -2, text: expect.stringMatching(/^🗞 Підсумки дня\nЗа 24 години: 1 повідомл\./) },
      { chatId: -3, text: expect.stringMatching(/^🗞 Итоги дня\nЗа 24 часа: 1 сообщ\./) },
    ]);
  });
});
