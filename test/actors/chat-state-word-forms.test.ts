import { describe, expect, it } from 'vitest';
import { CHAT_SNAPSHOTS, type ChatState, parseChatState } from '../../src/actors/index.js';
import { userAnalytics } from '../../src/chat/index.js';
import { Codec } from '../../src/runtime/index.js';
import { SnapshotFormat } from '../../src/storage/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const G = -701;
const masha = { id: 5, firstName: 'Маша' };
const format = new SnapshotFormat<ChatState>(CHAT_SNAPSHOTS);

async function mashaTalked(): Promise<ChatState> {
  const h = chatActorHarness();
  for (const text of ['Пицца с ананасами лучшая', 'Опять пиццу на обед', 'Кот спит, пицца остыла'])
    h.say(G, text, { from: masha });
  await h.clock.advance(0);
  return h.state(G);
}

const pizzaOf = (words: Record<string, unknown>): string => Object.keys(words).find((s) => s.startsWith('пицц'))!;

describe("a member's words: counted by stem, surface forms kept apart, stored as one table", () => {
  it('counts a stem once per use and keeps the form it was first written in', async () => {
    const state = await mashaTalked();
    const member = state.chat.members[String(masha.id)]!;
    const pizza = pizzaOf(member.words);
    expect(member.words[pizza]).toBe(3);
    expect(member.forms[pizza]).toBe('пицца');
    // A form equal to its stem is not kept twice.
    for (const [stem, form] of Object.entries(member.forms)) expect(form).not.toBe(stem);
    expect(userAnalytics(state.chat, masha.id, Date.now())!.favouriteWords[0]).toEqual({ word: 'пицца', count: 3 });
  });

  it('stores `stem → [count, form]`, the shape earlier builds wrote and read, and reads it back split', async () => {
    const state = await mashaTalked();
    const bytes = format.encode(state);
    const stored = new Codec().decode(bytes) as { chat: { members: Record<string, Record<string, unknown>> } };
    const member = stored.chat.members[String(masha.id)]!;
    expect(member).not.toHaveProperty('forms');
    const live = state.chat.members[String(masha.id)]!;
    for (const [stem, count] of Object.entries(live.words))
      expect((member.words as Record<string, unknown>)[stem]).toEqual([count, live.forms[stem] ?? stem]);

    const back = format.decode(`chat:${G}`, CHAT_SNAPSHOTS.version, bytes).chat.members[String(masha.id)]!;
    expect({ ...back.words }).toEqual({ ...live.words });
    expect({ ...back.forms }).toEqual({ ...live.forms });
  });

  it('goes on counting from what an earlier build stored (its form: the latest one written)', async () => {
    const state = await mashaTalked();
    const stored = new Codec().decode(format.encode(state)) as ChatState;
    const words = stored.chat.members[String(masha.id)]!.words as unknown as Record<string, [number, string]>;
    words[pizzaOf(words)] = [3, 'пиццу'];
    const restored = parseChatState(stored);
    // The new harness numbers its updates and messages from the start again, as if never seen.
    restored.lastUpdateId = 0;
    restored.chat.lastMessageId = 0;
    const h = chatActorHarness({ state: restored });
    h.say(G, 'Пицца — это жизнь', { from: masha });
    await h.clock.advance(0);
    const member = (await h.state(G)).chat.members[String(masha.id)]!;
    expect(member.words[pizzaOf(member.words)]).toBe(4);
    expect(member.forms[pizzaOf(member.words)]).toBe('пиццу');
  });

  it('refuses a snapshot whose words or forms are corrupt instead of resetting the chat', async () => {
    const state = await mashaTalked();
    const stored = new Codec().decode(format.encode(state)) as ChatState;
    (stored.chat.members[String(masha.id)]!.words as Record<string, unknown>)['пицц'] = ['three', 'пицца'];
    expect(() => parseChatState(stored)).toThrow(/members\.5\.words/);
    const live = structuredClone(state);
    (live.chat.members[String(masha.id)]!.forms as Record<string, unknown>)['пицц'] = 3;
    expect(() => parseChatState(live)).toThrow(/forms/);
  });
});
