import { describe, expect, it } from 'vitest';
import { createChatState, forgetMember, memberChatData } from '../../src/chat/index.js';
import { ChatDriver, T0 } from './support/chat-fixture.js';

const zara = { id: 9001, name: 'Зарема', username: 'zarema' };
const petr = { id: 9002, name: 'Пётр' };

/** A group where Зарема and Пётр talk, reply to each other and quarrel, with one word only she uses. */
function chatWithBoth(): ChatDriver {
  const chat = new ChatDriver();
  const first = chat.say(zara, 'Я обожаю флюгельгорн и играю на нём каждый вечер');
  chat.say(petr, 'Привет всем, как выходные прошли у вас?', { replyTo: first.id });
  const second = chat.say(petr, 'ты дура и идиотка, отстань уже', { replyTo: first.id });
  chat.say(zara, 'сам ты идиот, отстань от меня флюгельгорн', { replyTo: second.id });
  chat.say(petr, 'Всем хорошего вечера и выходных, друзья');
  return chat;
}

describe('forgetMember', () => {
  it('removes the member’s profile, edges, history, fingerprints, pairs and words only they used', () => {
    const chat = chatWithBoth();
    const state = chat.state;
    expect(JSON.stringify(state)).toContain('флюгельгорн');
    expect(Object.keys(state.edges).some((e) => e.includes(String(zara.id)))).toBe(true);
    expect(state.chat.fingerprints.some(([, from]) => from === zara.id)).toBe(true);
    expect(forgetMember(state, zara.id, chat.nowMs)).toBe(true);

    expect(Object.keys(state.members)).toEqual([String(petr.id)]);
    expect(Object.keys(state.edges).filter((e) => e.includes(String(zara.id)))).toEqual([]);
    expect(state.history.map((h) => h.from)).not.toContain(zara.id);
    expect(state.chat.fingerprints.map(([, from]) => from)).not.toContain(zara.id);
    expect(state.chat.hostilePairs.flatMap(([a, b]) => [a, b])).not.toContain(zara.id);
    const text = JSON.stringify(state);
    expect(text).not.toContain('флюгельгорн');
    expect(text).not.toContain(zara.name);
    expect(text).not.toContain(String(zara.id));
    // Пётр's own messages stay.
    expect(state.history.filter((h) => h.from === petr.id)).toHaveLength(3);
  });

  it('is idempotent: erasing again (or a member never seen) changes nothing', () => {
    const chat = chatWithBoth();
    forgetMember(chat.state, zara.id, chat.nowMs);
    const after = structuredClone(chat.state);
    expect(forgetMember(chat.state, zara.id, chat.nowMs)).toBe(false);
    expect(forgetMember(chat.state, 424242, chat.nowMs)).toBe(false);
    expect(chat.state).toEqual(after);
  });

  it('resets the member’s private chat to a blank state, keeping only the ids that recognise redeliveries', () => {
    const chat = new ChatDriver(undefined, 'private');
    chat.state.chatId = zara.id;
    chat.say(zara, 'Мой флюгельгорн самый лучший');
    const { lastMessageId } = chat.state;
    expect(forgetMember(chat.state, zara.id, chat.nowMs)).toBe(true);
    const blank = createChatState(zara.id, 'private', chat.nowMs);
    expect({ ...chat.state, revision: 0, lastMessageId: 0, answered: [] }).toEqual(blank);
    expect(chat.state.lastMessageId).toBe(lastMessageId);
  });
});

describe('memberChatData', () => {
  it('holds the member’s profile, analytics and history, others by id only; null for a stranger', () => {
    const chat = chatWithBoth();
    const data = memberChatData(chat.state, zara.id, chat.nowMs);
    expect(data?.profile?.messages).toBe(2);
    // Words as the stored profile keeps them: each stem's count with the form she wrote it in.
    const words = Object.values(data!.profile!.words);
    expect(words).toContainEqual([2, 'флюгельгорн']);
    expect(data?.profile).not.toHaveProperty('forms');
    expect(data?.history.map((h) => h.text).join(' ')).toContain('флюгельгорн');
    expect(JSON.stringify(data)).not.toContain(petr.name);
    expect(memberChatData(chat.state, 424242, T0)).toBeNull();
  });
});
