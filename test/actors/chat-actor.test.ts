import { describe, expect, it } from 'vitest';
import { type ChatState, emptyChatState } from '../../src/actors/index.js';
import type { Durability } from '../../src/telegram/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

/** Durability the test completes by hand, to see what waits for it. */
class ManualDurability implements Durability<number> {
  waiting: Array<() => void> = [];

  afterFlush(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  flush(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** A state as a crashed incarnation left it: `trigger` was being answered. */
function crashedWhile(chatId: number, phase: 'thinking' | 'sending', nowMs: number): ChatState {
  const state = emptyChatState(chatId, nowMs);
  state.lastUpdateId = 7;
  state.chat.lastMessageId = 700;
  state.chat.history.push({ id: 700, from: 5, ms: nowMs, text: 'Лёха, ты тут?', replyTo: 0, bot: false });
  state.chat.inFlight = {
    triggerId: 700,
    fromId: 5,
    trigger: 'name',
    language: 'ru',
    startedMs: nowMs,
    phase,
    text: phase === 'sending' ? 'maybe sent' : null,
    contextUpToId: 0,
    coalesced: [],
  };
  return state;
}

describe('ChatActor', () => {
  it('answers an addressed message with the model’s reply, quoting it in a group, with the persona prompt and the chat’s history', async () => {
    const { clock, llm, egress, say, acked } = chatActorHarness();
    say(-1, 'просто болтаем');
    const trigger = say(-1, 'Лёха, как дела?');
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    const prompt = llm.requests[0]?.request.messages ?? [];
    expect(prompt[0]?.role).toBe('system');
    expect(prompt[1]?.content).toContain('member "Маша" (id 5): просто болтаем');
    expect(prompt[1]?.content).toContain(`answer to message #${trigger}`);
    llm.requests[0]?.answer('Нормально!');
    await clock.advance(0);
    expect(egress.sent.map(({ text, replyTo }) => ({ text, replyTo }))).toEqual([
      { text: 'Нормально!', replyTo: trigger },
    ]);
    expect(acked).toEqual([1, 2]);
  });

  it('keeps one reply in flight and answers triggers that came meanwhile with one follow-up', async () => {
    const { clock, llm, egress, say, counters } = chatActorHarness();
    say(-2, 'Лёха, раз');
    await clock.advance(0);
    say(-2, 'Лёха, два');
    const last = say(-2, 'Лёха, три');
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    llm.requests[0]?.answer('первый ответ');
    await clock.advance(0);
    expect(llm.requests).toHaveLength(2);
    llm.requests[1]?.answer('второй ответ');
    await clock.advance(0);
    expect(egress.sent.map((s) => s.text)).toEqual(['первый ответ', 'второй ответ']);
    expect(egress.sent[1]?.replyTo).toBe(last);
    expect(counters.coalesced.value).toBe(2);
  });

  it('skips an update it has already processed, and still acknowledges it', async () => {
    const { clock, llm, say, redeliver, acked, state, counters } = chatActorHarness();
    const id = say(3, 'привет');
    redeliver(3, 1, id);
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    expect((await state(3)).processedMessages).toBe(1);
    expect(acked).toEqual([1, 1]);
    expect(counters.redeliveries.value).toBe(1);
  });

  it('sends a reply only after its sending mark is durable', async () => {
    const durability = new ManualDurability();
    const { clock, llm, egress, say } = chatActorHarness({ durability });
    say(4, 'hi');
    await clock.advance(0);
    llm.requests[0]?.answer('hello');
    await clock.advance(0);
    expect(egress.sent).toEqual([]);
    durability.flush();
    await clock.advance(0);
    expect(egress.sent.map((s) => s.text)).toEqual(['hello']);
  });

  it('asks the model again for a reply that was still being thought about at a crash', async () => {
    const crashed = crashedWhile(6, 'thinking', 1_700_000_000_000);
    const { clock, llm, egress, supervisor } = chatActorHarness({ state: crashed });
    supervisor.tell(6, { type: 'TypingDue' });
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    llm.requests[0]?.answer('sorry, where were we');
    await clock.advance(0);
    expect(egress.sent.map((s) => ({ text: s.text, replyTo: s.replyTo }))).toEqual([
      { text: 'sorry, where were we', replyTo: undefined },
    ]);
  });

  it('does not resend a reply that may have gone out before a crash, counts it, and never answers its trigger again', async () => {
    const crashed = crashedWhile(-7, 'sending', 1_700_000_000_000);
    const { clock, llm, egress, state, counters } = chatActorHarness({ state: crashed });
    const after = await state(-7);
    expect(after.repliesInDoubt).toBe(1);
    expect(after.chat.answered).toContain(700);
    await clock.advance(0);
    expect(egress.sent).toEqual([]);
    expect(counters.repliesInDoubt.value).toBe(1);
    expect(llm.requests).toHaveLength(0);
  });

  it('uses the answer of a request still out when the actor is restarted after a failed turn', async () => {
    const store: { persisted?: ChatState } = {};
    const { clock, llm, egress, say, state, failNextTurn } = chatActorHarness({ state: () => store.persisted });
    const trigger = say(9, 'hi');
    await clock.advance(0);
    store.persisted = await state(9);
    expect(store.persisted.chat.inFlight).toMatchObject({ triggerId: trigger, phase: 'thinking' });
    failNextTurn(9);
    // The restart (after its backoff) asks again, finds the chat busy, and waits for the first answer.
    await clock.advance(200);
    expect(llm.requests).toHaveLength(1);
    llm.requests[0]?.answer('the one reply');
    await clock.advance(2000);
    expect(egress.sent.map((s) => s.text)).toEqual(['the one reply']);
  });

  it('refreshes the typing indicator while the model works, and stops after', async () => {
    const { clock, llm, egress, say } = chatActorHarness();
    say(8, 'hi');
    await clock.advance(9000);
    expect(egress.typing).toBe(3);
    llm.requests[0]?.answer('done');
    await clock.advance(9000);
    expect(egress.typing).toBe(3);
  });
});
