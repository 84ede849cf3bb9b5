import { describe, expect, it } from 'vitest';
import { summariseChat } from '../../src/chat/index.js';
import { ChatDriver, vocabulary } from './support/chat-fixture.js';

const anna = { id: 11, name: 'Аня', username: 'anna' };
const boris = { id: 22, name: 'Борис' };
const dima = { id: 33, name: 'Дима' };

describe('catch-up summary', () => {
  it('covers what happened since the asker last wrote, with what was said to them', async () => {
    const driver = new ChatDriver();
    driver.say(boris, 'утро всем');
    const mine = driver.say(anna, 'я на работу, вечером буду');
    const reply = driver.say(boris, 'Аня, удачи! Вечером пицца?', { replyTo: mine.id, afterMs: 600_000 });
    driver.say(dima, 'пицца это тема, я за пиццу', { replyTo: reply.id });
    driver.say(boris, 'закажем пиццу на всех', { replyTo: reply.id });
    driver.say(dima, '@anna ты с нами?');
    const ask = await driver.ask(anna, 'Лёха, что тут было?', { afterMs: 3_600_000 });
    expect(ask.result.decision).toMatchObject({ kind: 'plugin', call: { plugin: 'summary' } });
    const [text] = ask.texts;
    expect(text).toMatch(/^Пока тебя не было: 4 сообщ\. Больше всех писали: Борис \(2\), Дима \(2\)\./);
    expect(text).toContain('Обсуждали: еду, пиццу');
    expect(text).toContain('Зацепило всех: Борис: «Аня, удачи! Вечером пицца?»');
    expect(text).toContain('Тебе писал(а) Борис: «Аня, удачи! Вечером пицца?»');
    expect(text).toContain('Тебе писал(а) Дима: «@anna ты с нами?»');
  });

  it('falls back to the last hours when the asker has nothing to catch up on, and honours /summary N', async () => {
    const driver = new ChatDriver();
    driver.say(boris, 'кто смотрел матч?');
    driver.say(dima, 'я смотрел, отличный матч');
    const ask = await driver.ask(boris, '/summary');
    expect(ask.texts).toEqual([expect.stringMatching(/^За 3 часа: 2 сообщ\./)]);
    const s = summariseChat(driver.state, boris.id, 0, 1, driver.nowMs + 2 * 3_600_000, vocabulary);
    expect(s).toMatchObject({ basis: 'last-hours', hours: 1, messages: 0 });
  });

  it('answers in English for an English speaker', async () => {
    const driver = new ChatDriver();
    driver.say(boris, 'кто смотрел матч?');
    const ask = await driver.ask({ id: 5, name: 'Frank' }, 'Lekha, what did I miss?');
    expect(ask.texts).toEqual([expect.stringMatching(/^Last 3 h: 1 messages\./)]);
  });
});
