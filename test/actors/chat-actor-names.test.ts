import { describe, expect, it } from 'vitest';
import { type ChatState, emptyChatState, parseChatState } from '../../src/actors/index.js';
import type { TelegramUpdate } from '../../src/telegram/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { ChatDriver } from '../chat/support/chat-fixture.js';

const G = -400;
const ivan = { id: 7, firstName: 'Ivan +79161234567 ivan@example.com', username: 'ivan_89161234567' };
const PERSONAL = /79161234567|89161234567|ivan@example\.com|ola@mail\.ru/;

describe('ChatActor names', () => {
  it('redacts personal data in a member’s names before the prompt, the chat state and the archive', async () => {
    const h = chatActorHarness();
    const trigger = h.say(G, 'Лёха, привет!', { from: ivan, newMembers: [{ id: 8, firstName: 'Оля ola@mail.ru' }] });
    await h.clock.advance(0);

    expect(h.archive.users.map((u) => [u.userId, u.firstName, u.username])).toEqual([
      [7, 'Ivan [phone] [email]', 'ivan_[phone]'],
      [8, 'Оля [email]', null],
    ]);
    const state: ChatState = await h.state(G);
    expect(state.chat.members['7']).toMatchObject({ name: 'Ivan [phone] [email]', username: 'ivan_[phone]' });
    expect(state.chat.members['8']?.name).toBe('Оля [email]');

    const prompt = h.llm.requests[0]?.request.messages.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain(`[#${trigger}] member "Ivan [phone] [email]" (id 7): Лёха, привет!`);
    expect(JSON.stringify(state)).not.toMatch(PERSONAL);
    expect(prompt).not.toMatch(PERSONAL);
  });

  it('redacts personal data in the chat title, the chat’s username and a member’s last name before they are archived', async () => {
    const h = chatActorHarness();
    const update: TelegramUpdate = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 1_750_000_000,
        chat: { id: G, type: 'supergroup', title: 'Продам гараж +7 916 123-45-67', username: 'garage_89161234567' },
        from: { id: 9, is_bot: false, first_name: 'Петя', last_name: 'карта 4276 3800 1234 5679' },
        text: 'кто купит?',
      },
    };
    h.supervisor.tell(G, { type: 'UpdateReceived', updateId: 1, update });
    await h.clock.advance(0);

    expect(h.archive.chats.map((c) => [c.title, c.username])).toEqual([['Продам гараж [phone]', 'garage_[phone]']]);
    expect(h.archive.users.map((u) => [u.firstName, u.lastName])).toEqual([['Петя', 'карта [card]']]);
    expect((await h.state(G)).title).toBe('Продам гараж [phone]');
  });

  it('rewrites the archived name of a member whose profile was saved before names were redacted, once, when they next write', async () => {
    // A snapshot from before: the profile holds the raw name.
    const driver = new ChatDriver();
    driver.say({ id: ivan.id, name: ivan.firstName, username: ivan.username }, 'привет');
    const snapshot: ChatState = { ...emptyChatState(G, driver.nowMs), chat: driver.state };
    const h = chatActorHarness({ state: () => parseChatState(structuredClone(snapshot)) });

    h.say(G, 'я снова тут', { from: ivan });
    h.say(G, 'и ещё раз', { from: ivan });
    await h.clock.advance(0);

    expect(h.archive.users.map((u) => [u.userId, u.firstName, u.username])).toEqual([
      [7, 'Ivan [phone] [email]', 'ivan_[phone]'],
    ]);
    expect(JSON.stringify(await h.state(G))).not.toMatch(PERSONAL);
  });
});
