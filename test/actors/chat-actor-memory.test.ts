import { describe, expect, it } from 'vitest';
import type { PromptView } from '../../src/actors/index.js';
import type { MemoryHit } from '../../src/memory/index.js';
import { bot, chatActorHarness } from '../support/chat-actor-harness.js';

const DAY = 86_400_000;

function hit(id: number, text: string, extra: Partial<MemoryHit> = {}): MemoryHit {
  return { id, kind: 'message', text, fromId: 5, ms: 1_700_000_000_000 - DAY, feedback: 0, similarity: 0.8, ...extra };
}

async function lastPrompt(h: ReturnType<typeof chatActorHarness>, chatId: number): Promise<PromptView | null> {
  return h.supervisor.ask<PromptView | null>(chatId, (reply) => ({ type: 'GetLastPrompt', reply }));
}

describe('ChatActor long-term memory', () => {
  it('remembers substantive messages and facts (PII redacted), not acknowledgements or spam', async () => {
    const h = chatActorHarness();
    const fact = h.say(-1, 'Я работаю врачом в городской больнице');
    h.say(-1, 'ок');
    const withPhone = h.say(-1, 'звоните мне по номеру +7 912 345-67-89 насчёт машины завтра');
    h.say(
      -1,
      'Срочно покупайте криптовалюту выгодно дешево https://spam.example https://spam.example https://spam.example',
      { from: { id: 66, firstName: 'Spammer' } },
    );
    await h.clock.advance(0);
    expect(
      h.memory.remembered.map((r) => ({ kind: r.kind, messageId: r.messageId, chatId: r.chatId, fromId: r.fromId })),
    ).toEqual([
      { kind: 'fact', messageId: fact, chatId: -1, fromId: 5 },
      { kind: 'message', messageId: withPhone, chatId: -1, fromId: 5 },
    ]);
    expect(h.memory.remembered[1]?.text).not.toContain('345-67-89');
  });

  it('recalls memories for a reply, ranks them into the prompt, and shows them in the debug view', async () => {
    const h = chatActorHarness();
    h.memory.hits = [
      hit(11, 'Маша говорила, что любит сноуборд и ездит в Шерегеш', { similarity: 0.9 }),
      hit(12, 'Маша говорила, что любит сноуборд и ездит в Шерегеш!', { similarity: 0.85 }),
      hit(13, 'погода сегодня так себе', { similarity: 0.1 }),
    ];
    const trigger = h.say(-2, 'Лёха, куда мне поехать кататься?');
    await h.clock.advance(0);
    expect(h.memory.recalls).toEqual([{ chatId: -2, text: 'Лёха, куда мне поехать кататься?', k: 20 }]);
    expect(h.llm.requests).toHaveLength(1);
    const system = h.llm.requests[0]?.request.messages[0]?.content ?? '';
    expect(system).toContain('любит сноуборд и ездит в Шерегеш');
    expect(system).not.toContain('погода сегодня');
    const view = await lastPrompt(h, -2);
    expect(view?.triggerId).toBe(trigger);
    expect(view?.recall).toBe('answered');
    // Near-duplicates collapse into one; the dissimilar one is dropped.
    expect(view?.memories.map((m) => m.id)).toEqual([11]);
    expect(view?.description).toContain('memories: 1');
    expect(view?.messages[0]?.content).toBe(system);
  });

  it('remembers the sent reply with the memories it used, and turns thanks and reactions into feedback', async () => {
    const h = chatActorHarness();
    h.memory.hits = [hit(21, 'Петя из Томска, учится в политехе')];
    h.say(-3, 'Лёха, откуда Петя?');
    await h.clock.advance(0);
    h.llm.requests[0]?.answer('Петя из Томска, он там учится.');
    await h.clock.advance(0);
    const sent = h.egress.sent[0];
    expect(h.memory.remembered.at(-1)).toMatchObject({
      kind: 'bot',
      text: 'Петя из Томска, он там учится.',
      fromId: bot.id,
      messageId: sent?.messageId,
      recalledIds: [21],
    });

    h.say(-3, 'спасибо, точно!', { replyTo: { messageId: sent?.messageId ?? 0, fromId: bot.id } });
    h.react(-3, sent?.messageId ?? 0, 6, [], ['👍']);
    h.react(-3, sent?.messageId ?? 0, 7, ['👍'], ['💩']);
    h.react(-3, sent?.messageId ?? 0, bot.id, [], ['👍']);
    // A member's message is in the history: reactions to it are no feedback.
    h.react(-3, sent?.messageId === undefined ? 0 : sent.messageId - 1, 6, [], ['👍']);
    await h.clock.advance(0);
    expect(h.memory.feedbacks).toEqual([
      { chatId: -3, messageId: sent?.messageId, delta: 1 },
      { chatId: -3, messageId: sent?.messageId, delta: 1 },
      { chatId: -3, messageId: sent?.messageId, delta: -2 },
    ]);
  });

  it('does not wait for a slow recall longer than the recall timeout', async () => {
    const h = chatActorHarness({ recallTimeoutMs: 200 });
    h.memory.hold = true;
    h.say(-4, 'Лёха, помнишь, о чём мы говорили?');
    await h.clock.advance(199);
    expect(h.llm.requests).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.llm.requests).toHaveLength(1);
    expect((await lastPrompt(h, -4))?.recall).toBe('timed-out');
    h.llm.requests[0]?.answer('Не помню, напомни.');
    await h.clock.advance(0);
    expect(h.egress.sent.map((s) => s.text)).toEqual(['Не помню, напомни.']);
  });

  it('replies without memories when the recall fails', async () => {
    const h = chatActorHarness();
    h.memory.failWith = Object.assign(new Error('memory shard 0 stopped'), { code: 'MEMORY_SHARD_DOWN' });
    h.say(-5, 'Лёха, привет!');
    await h.clock.advance(0);
    expect(h.llm.requests).toHaveLength(1);
    const view = await lastPrompt(h, -5);
    expect(view?.recall).toBe('failed');
    expect(view?.memories).toEqual([]);
  });

  it('has no prompt to show before its first reply', async () => {
    const h = chatActorHarness();
    h.say(-6, 'просто сообщение без обращения');
    await h.clock.advance(0);
    expect(await lastPrompt(h, -6)).toBeNull();
  });
});
