import { describe, expect, it } from 'vitest';
import { LastPrompts, type PromptView } from '../../src/actors/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const view = (triggerId: number): PromptView => ({
  triggerId,
  builtAtMs: 0,
  version: 'v',
  persona: 'Лёха@1',
  experiment: null,
  description: '',
  messages: [],
  memories: [],
  recall: 'skipped',
  tools: [],
  toolChoice: 'auto',
  toolRounds: [],
});

describe('LastPrompts', () => {
  it('keeps the chats that prompted most recently, up to its capacity', () => {
    const prompts = new LastPrompts(2);
    prompts.record(-1, view(1));
    prompts.record(-2, view(2));
    prompts.record(-1, view(3)); // -1 is now the most recent
    prompts.record(-3, view(4)); // so -2 goes
    expect([prompts.get(-1)?.triggerId, prompts.get(-2), prompts.get(-3)?.triggerId]).toEqual([3, null, 4]);
    expect(prompts.size).toBe(2);
    prompts.forget(-3);
    expect(prompts.get(-3)).toBeNull();
    expect(prompts.size).toBe(1);
  });

  it('keeps nothing at capacity 0 and refuses a capacity that is not a count', () => {
    const none = new LastPrompts(0);
    none.record(-1, view(1));
    expect(none.get(-1)).toBeNull();
    expect(() => new LastPrompts(-1)).toThrow(/non-negative integer, got -1/);
    expect(() => new LastPrompts(1.5)).toThrow(/non-negative integer, got 1.5/);
  });
});

describe('the last prompt of a chat (debug view)', () => {
  const lastPrompt = (h: ReturnType<typeof chatActorHarness>, chatId: number) =>
    h.supervisor.ask<PromptView | null>(chatId, (reply) => ({ type: 'GetLastPrompt', reply }));

  async function prompted(h: ReturnType<typeof chatActorHarness>, chatId: number, text: string): Promise<number> {
    const trigger = h.say(chatId, text);
    await h.clock.advance(0);
    const pending = h.llm.requests.at(-1);
    expect(pending?.request.chatId).toBe(chatId);
    pending?.answer('ага');
    await h.clock.advance(0);
    return trigger;
  }

  it('is kept for the chats that prompted most recently, across every chat of the process', async () => {
    const h = chatActorHarness({ prompts: new LastPrompts(2) });
    const first = await prompted(h, -1, 'Лёха, как дела?');
    expect((await lastPrompt(h, -1))?.triggerId).toBe(first);
    await prompted(h, -2, 'Лёха, что нового?');
    const third = await prompted(h, -3, 'Лёха, ты тут?');
    expect(await lastPrompt(h, -1)).toBeNull();
    expect((await lastPrompt(h, -3))?.triggerId).toBe(third);
    expect(h.prompts.size).toBe(2);
  });

  it('is let go of when a member is forgotten (it may quote them) and when the chat stops', async () => {
    const h = chatActorHarness();
    await prompted(h, -4, 'Лёха, запомни: меня зовут Петя');
    expect((await lastPrompt(h, -4))?.messages[1]?.content).toContain('меня зовут Петя');
    const forgotten = await h.supervisor.ask<boolean>(-4, (reply) => ({ type: 'ForgetMember', userId: 5, reply }));
    expect(forgotten).toBe(true);
    expect(await lastPrompt(h, -4)).toBeNull();

    await prompted(h, -4, 'Лёха, ну что?');
    expect(h.prompts.get(-4)).not.toBeNull();
    expect(h.supervisor.drop((chatId) => chatId === -4)).toBe(1);
    expect(h.prompts.get(-4)).toBeNull();
    expect(h.prompts.size).toBe(0);
  });
});
