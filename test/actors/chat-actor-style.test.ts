import { describe, expect, it } from 'vitest';
import {
  CHAT_STATE_UPGRADES,
  CHAT_STATE_VERSION,
  type ChatState,
  emptyChatState,
  parseChatState,
  type PromptView,
} from '../../src/actors/index.js';
import { PERSONA_TEMPLATE, STYLE_FEEDBACK } from '../../src/chat/index.js';
import type { LlmPort } from '../../src/llm/index.js';
import { SnapshotFormat } from '../../src/storage/index.js';
import { bot, chatActorHarness } from '../support/chat-actor-harness.js';

const G = -700;
const masha = { id: 5, firstName: 'Маша' };
const admin = { id: 50, firstName: 'Админ' };
type Harness = ReturnType<typeof chatActorHarness>;

function format(): SnapshotFormat<ChatState> {
  return new SnapshotFormat<ChatState>({
    version: CHAT_STATE_VERSION,
    upgrades: CHAT_STATE_UPGRADES,
    parse: parseChatState,
  });
}

/** Masha asks the bot something; the model answers; resolves to the id of the sent reply. */
async function botReply(h: Harness, chatId = G): Promise<number> {
  const asked = h.llm.requests.length;
  const sent = h.egress.sent.length;
  h.say(chatId, 'Лёха, как дела?', { from: masha });
  await h.clock.advance(0);
  h.llm.requests[asked]!.answer('Нормально, сам как?');
  await h.clock.advance(0);
  return h.egress.sent[sent]!.messageId;
}

/** `n` different members put 👎 on message `messageId`. */
async function thumbsDown(h: Harness, messageId: number, n: number, chatId = G): Promise<void> {
  for (let i = 0; i < n; i++) h.react(chatId, messageId, 600 + i, [], ['👎']);
  await h.clock.advance(0);
}

function lastPrompt(h: Harness, chatId = G): Promise<PromptView | null> {
  return h.supervisor.ask<PromptView | null>(chatId, (reply) => ({ type: 'GetLastPrompt', reply }));
}

describe('ChatActor learning style from feedback', () => {
  it('remembers the rule keys of a sent reply, and a 👎 on it lowers exactly those', async () => {
    const h = chatActorHarness();
    const replyId = await botReply(h);
    const state = await h.state(G);
    const keys = state.chat.styledReplies.find(([id]) => id === replyId)?.[1];
    expect(keys).toEqual(['length:short', 'humour:light']);

    await thumbsDown(h, replyId, 1);
    const after = await h.state(G);
    expect(Object.keys(after.chat.styleWeights).sort()).toEqual(['humour:light', 'length:short']);
    for (const [weight] of Object.values(after.chat.styleWeights)) expect(weight).toBeCloseTo(STYLE_FEEDBACK.factor);
    // Memory feedback still gets the same judgement.
    expect(h.memory.feedbacks).toEqual([{ chatId: G, messageId: replyId, delta: -1 }]);
  });

  it('counts a reply to the bot that rejects it ("бред") as a complaint too, and a 👎 taken back undoes one', async () => {
    const h = chatActorHarness();
    const replyId = await botReply(h);
    h.say(G, 'бред какой-то', { from: { id: 6, firstName: 'Петя' }, replyTo: { messageId: replyId, fromId: bot.id } });
    h.react(G, replyId, 7, [], ['👎']);
    h.react(G, replyId, 7, ['👎'], []);
    await h.clock.advance(0);
    const weights = (await h.state(G)).chat.styleWeights;
    expect(weights['length:short']?.[0]).toBeCloseTo(STYLE_FEEDBACK.factor);
  });

  it('mutes a rule after repeated complaints: the next prompt asks for something milder and the debug view says why', async () => {
    const h = chatActorHarness();
    const replyId = await botReply(h);
    const first = h.llm.requests[0]!.request.messages[0]!.content;
    expect(first).toContain('Answer in one or two short sentences.');

    await thumbsDown(h, replyId, 5);
    await botReply(h);
    const system = h.llm.requests[1]!.request.messages[0]!.content;
    expect(system).not.toContain('Answer in one or two short sentences.');
    expect(system).not.toContain('A light touch of humour is fine.');
    expect(system).toContain('Answer in two to four sentences.');
    expect(system).toContain('Reply in Russian.');
    const view = await lastPrompt(h);
    expect(view?.description).toContain('muted style rules (left out of the prompt):');
    expect(view?.description).toMatch(
      /\[length:short\] Answer in one or two short sentences\. — muted by feedback in this chat \(weight 0\.44/,
    );
    // The new reply carried the fallback's key, so feedback on it weighs that.
    expect((await h.state(G)).chat.styledReplies.at(-1)?.[1]).toEqual(['length:medium']);
  });

  it('does not weigh style for a reply the model did not write (the offline responder)', async () => {
    const offline: LlmPort = {
      complete: async () => ({
        text: 'Сейчас не могу ответить.',
        source: 'offline',
        promptTokens: 0,
        completionTokens: 0,
        latencyMs: 1,
        costUsd: 0,
      }),
    };
    const h = chatActorHarness({ llm: offline });
    h.say(G, 'Лёха, как дела?', { from: masha });
    await h.clock.advance(0);
    const replyId = h.egress.sent[0]!.messageId;
    await thumbsDown(h, replyId, 2);
    const state = await h.state(G);
    expect(state.chat.styledReplies).toEqual([]);
    expect(state.chat.styleWeights).toEqual({});
  });

  it('does not weigh style for the leak guard’s neutral line sent instead of a blocked reply', async () => {
    const h = chatActorHarness();
    h.say(G, 'Лёха, как дела?', { from: masha });
    await h.clock.advance(0);
    h.llm.requests[0]!.answer(`Конечно! ${PERSONA_TEMPLATE.canary}`);
    await h.clock.advance(0);
    const sent = h.egress.sent[0]!;
    expect(sent.text).not.toContain(PERSONA_TEMPLATE.canary);
    await thumbsDown(h, sent.messageId, 1);
    const state = await h.state(G);
    expect(state.chat.styledReplies).toEqual([]);
    expect(state.chat.styleWeights).toEqual({});
  });

  it('/style lists what was lowered; /style reset is for admins and restores every rule', async () => {
    const h = chatActorHarness({ admins: [admin.id] });
    expect(await h.ask(G, '/style', masha)).toMatch(/^Стиль как обычно/);
    const replyId = await botReply(h);
    await thumbsDown(h, replyId, 5);

    const shown = await h.ask(G, '/style', masha);
    expect(shown).toContain('• коротко (length:short): 0.44 — не делаю');
    expect(shown).toContain('• с лёгким юмором (humour:light): 0.44 — не делаю');
    expect(await h.ask(G, '/style reset', masha)).toBe('Сбросить стиль могут только админы чата.');
    expect(Object.keys((await h.state(G)).chat.styleWeights)).toHaveLength(2);
    expect(await h.ask(G, '/style что', admin)).toMatch(/^Так: \/style/);

    expect(await h.ask(G, '/style reset', admin)).toBe('Готово: забыл, что вам не нравилось, стиль снова как обычно.');
    expect((await h.state(G)).chat.styleWeights).toEqual({});
    await botReply(h);
    expect(h.llm.requests.at(-1)!.request.messages[0]!.content).toContain('Answer in one or two short sentences.');
    expect(await h.ask(G, '/style reset', admin)).toBe('Забывать нечего: стиль и так обычный.');
  });

  it('answers /style in the asker’s language: English and Ukrainian too', async () => {
    const h = chatActorHarness();
    const frank = { id: 8, firstName: 'Frank' };
    const olya = { id: 9, firstName: 'Оля' };
    h.say(G, 'Hello everyone, what is new here today?', { from: frank });
    h.say(G, 'Привіт усім, що нового? Як справи у вас?', { from: olya });
    await h.clock.advance(0);
    expect(await h.ask(G, '/style', frank)).toMatch(/^Style as usual/);
    expect(await h.ask(G, '/style', olya)).toMatch(/^Стиль як завжди/);
  });

  it('keeps the weights and remembered replies across a snapshot and restore; feedback on an old reply still counts', async () => {
    const h = chatActorHarness();
    const replyId = await botReply(h);
    await thumbsDown(h, replyId, 2);
    const state = await h.state(G);
    const f = format();
    const restored = f.decode(`chat:${G}`, CHAT_STATE_VERSION, f.encode(state));
    expect(restored.chat.styleWeights).toEqual(state.chat.styleWeights);
    expect(restored.chat.styledReplies).toEqual(state.chat.styledReplies);

    // The new harness numbers its updates from 1 again: as a fresh process would see them, never seen before.
    restored.lastUpdateId = 0;
    const again = chatActorHarness({ state: restored });
    await thumbsDown(again, replyId, 1);
    const weight = (await again.state(G)).chat.styleWeights['length:short']?.[0];
    expect(weight).toBeCloseTo(STYLE_FEEDBACK.factor ** 3);
  });

  it('upgrades a version-4 snapshot: no weights, no replies remembered, and it learns from there', async () => {
    const current = emptyChatState(G, 1_700_000_000_000);
    const { styleWeights: _w, styledReplies: _r, ...chat } = current.chat;
    const v4 = { ...current, version: 4, chat: { ...chat, version: 3 } };
    const bytes = new SnapshotFormat<unknown>({ version: 4, parse: (v) => v }).encode(v4);
    const upgraded = format().decode(`chat:${G}`, 4, bytes);
    expect(upgraded.version).toBe(CHAT_STATE_VERSION);
    expect(upgraded.chat.version).toBe(current.chat.version);
    expect(upgraded.chat.styleWeights).toEqual({});
    expect(upgraded.chat.styledReplies).toEqual([]);

    const h = chatActorHarness({ state: upgraded });
    const replyId = await botReply(h);
    await thumbsDown(h, replyId, 1);
    expect(Object.keys((await h.state(G)).chat.styleWeights)).toContain('length:short');
  });

  it('refuses a snapshot whose style table is corrupt instead of resetting it', () => {
    const state = emptyChatState(G, 1_700_000_000_000);
    (state.chat as { styledReplies: unknown }).styledReplies = [[1, 'length:short']];
    expect(() => parseChatState(structuredClone(state))).toThrow(/styledReplies/);
  });
});
