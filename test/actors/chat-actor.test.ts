import { describe, expect, it } from 'vitest';
import { ChatActor, ChatActorCounters, type ChatMsg, chatOverflowPolicy, type ChatState, emptyChatState, isAddressed } from '../../src/actors/index.js';
import { LlmChatBusyError, type LlmPort, type LlmReply, type LlmRequest } from '../../src/llm/index.js';
import { ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import type { BotIdentity, ChatEgress, Durability, SentReply, TelegramUpdate } from '../../src/telegram/index.js';

const bot: BotIdentity = { id: 999, username: 'lekha_bot', firstName: 'Лёха', canReadAllGroupMessages: true };

/** An LLM whose answers the test releases by hand; like the gateway, one request per chat at a time. */
class HeldLlm implements LlmPort {
  requests: Array<{ request: LlmRequest; answer: (text: string) => void }> = [];
  private readonly busy = new Set<number>();

  complete(request: LlmRequest): Promise<LlmReply> {
    if (this.busy.has(request.chatId)) return Promise.reject(new LlmChatBusyError(request.chatId));
    this.busy.add(request.chatId);
    return new Promise((resolve) => {
      this.requests.push({
        request,
        answer: (text) => {
          this.busy.delete(request.chatId);
          resolve({ text, source: 'groq', promptTokens: 1, completionTokens: 1, latencyMs: 1, costUsd: 0 });
        },
      });
    });
  }
}

class RecordingEgress implements ChatEgress {
  sent: Array<{ chatId: number; text: string; replyTo: number | undefined }> = [];
  typing = 0;

  async sendReply(chatId: number, text: string, options: { replyToMessageId?: number } = {}): Promise<SentReply> {
    this.sent.push({ chatId, text, replyTo: options.replyToMessageId });
    return { messageIds: [this.sent.length] };
  }

  sendTyping(): void {
    this.typing++;
  }
}

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

function setup(options: { state?: ChatState | (() => ChatState | undefined); durability?: Durability<number>; failOn?: string } = {}) {
  const clock = new ManualClock();
  const llm = new HeldLlm();
  const egress = new RecordingEgress();
  const acked: number[] = [];
  const metrics = new MetricsRegistry();
  const counters = new ChatActorCounters(metrics);
  const durability = options.durability ?? { afterFlush: () => undefined };
  let failOn = options.failOn;
  const supervisor = new Supervisor<number, ChatMsg, ChatState>({
    create: (chatId, state) =>
      new ChatActor(chatId, state, {
        bot,
        llm,
        egress,
        acks: { processed: (_c, id) => acked.push(id) },
        durability,
        counters,
        shouldReply: (message, me) => {
          if (failOn !== undefined && message.text === failOn) {
            failOn = undefined;
            throw new Error('a turn fails once');
          }
          return isAddressed(message, me);
        },
      }),
    load: () => (typeof options.state === 'function' ? options.state() : options.state),
    overflowPolicy: chatOverflowPolicy,
    clock,
  });
  let nextUpdate = 100;
  const say = (chatId: number, text: string, updateId = nextUpdate++): number => {
    const update: TelegramUpdate = {
      update_id: updateId,
      message: { message_id: updateId, date: 1, chat: { id: chatId, type: chatId > 0 ? 'private' : 'supergroup' }, from: { id: 5, is_bot: false, first_name: 'Маша' }, text },
    };
    supervisor.tell(chatId, { type: 'UpdateReceived', updateId, update });
    return updateId;
  };
  const state = (chatId: number) => supervisor.ask<ChatState>(chatId, (reply) => ({ type: 'GetChatState', reply }));
  return { clock, llm, egress, acked, counters, supervisor, say, state };
}

describe('ChatActor', () => {
  it('answers an addressed message with the model’s reply, quoting it in a group', async () => {
    const { clock, llm, egress, say, acked } = setup();
    say(-1, 'просто болтаем');
    const trigger = say(-1, 'Лёха, как дела?');
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    const prompt = llm.requests[0]?.request.messages ?? [];
    expect(prompt[0]?.role).toBe('system');
    expect(prompt.slice(1).map((m) => m.content)).toEqual(['[id:5 Маша] просто болтаем', '[id:5 Маша] Лёха, как дела?']);
    llm.requests[0]?.answer('Нормально!');
    await clock.advance(0);
    expect(egress.sent).toEqual([{ chatId: -1, text: 'Нормально!', replyTo: trigger }]);
    expect(acked).toEqual([100, 101]);
  });

  it('keeps one reply in flight and folds later triggers into the next reply', async () => {
    const { clock, llm, egress, say, counters } = setup();
    say(-2, 'Лёха, раз');
    say(-2, 'Лёха, два');
    const last = say(-2, 'Лёха, три');
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    llm.requests[0]?.answer('первый ответ');
    await clock.advance(0);
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[1]?.request.messages.at(-1)).toEqual({ role: 'assistant', content: 'первый ответ' });
    llm.requests[1]?.answer('второй ответ');
    await clock.advance(0);
    expect(egress.sent.map((s) => s.text)).toEqual(['первый ответ', 'второй ответ']);
    expect(egress.sent[1]?.replyTo).toBe(last);
    expect(counters.coalesced.value).toBe(1);
  });

  it('skips an update it has already processed, and still acknowledges it', async () => {
    const { clock, llm, say, acked, state, counters } = setup();
    say(3, 'привет', 500);
    say(3, 'привет', 500);
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    expect((await state(3)).processedMessages).toBe(1);
    expect(acked).toEqual([500, 500]);
    expect(counters.redeliveries.value).toBe(1);
  });

  it('sends a reply only after its sending mark is durable', async () => {
    const durability = new ManualDurability();
    const { clock, llm, egress, say } = setup({ durability });
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
    const crashed: ChatState = { ...emptyChatState(), lastUpdateId: 700, pending: { updateId: 700, messageId: 700, userId: 5, phase: 'thinking', text: null } };
    const { clock, llm, egress, supervisor } = setup({ state: crashed });
    supervisor.tell(6, { type: 'TypingDue' });
    await clock.advance(0);
    expect(llm.requests).toHaveLength(1);
    llm.requests[0]?.answer('sorry, where were we');
    await clock.advance(0);
    expect(egress.sent.map((s) => s.text)).toEqual(['sorry, where were we']);
  });

  it('does not resend a reply that may have gone out before a crash, and counts it', async () => {
    const crashed: ChatState = {
      ...emptyChatState(),
      lastUpdateId: 800,
      pending: { updateId: 800, messageId: 800, userId: 5, phase: 'sending', text: 'maybe sent' },
      next: { updateId: 801, messageId: 801, userId: 5 },
    };
    const { clock, llm, egress, state, counters } = setup({ state: crashed });
    expect((await state(7)).repliesInDoubt).toBe(1);
    await clock.advance(0);
    expect(egress.sent).toEqual([]);
    expect(counters.repliesInDoubt.value).toBe(1);
    // The trigger that came after it is answered.
    expect(llm.requests).toHaveLength(1);
  });

  it('uses the answer of a request still out when the actor is restarted after a failed turn', async () => {
    const store: { persisted?: ChatState } = {};
    const { clock, llm, egress, say, supervisor } = setup({ state: () => store.persisted, failOn: 'boom' });
    const trigger = say(9, 'hi');
    await clock.advance(0);
    store.persisted = await supervisor.ask<ChatState>(9, (reply) => ({ type: 'GetChatState', reply }));
    expect(store.persisted.pending).toMatchObject({ updateId: trigger, phase: 'thinking' });
    say(9, 'boom');
    // The restart (after its backoff) asks again, finds the chat busy, and waits for the first answer.
    await clock.advance(200);
    expect(llm.requests).toHaveLength(1);
    llm.requests[0]?.answer('the one reply');
    await clock.advance(2000);
    expect(egress.sent.map((s) => s.text)).toEqual(['the one reply']);
  });

  it('refreshes the typing indicator while the model works, and stops after', async () => {
    const { clock, llm, egress, say } = setup();
    say(8, 'hi');
    await clock.advance(9000);
    expect(egress.typing).toBe(3);
    llm.requests[0]?.answer('done');
    await clock.advance(9000);
    expect(egress.typing).toBe(3);
  });
});
