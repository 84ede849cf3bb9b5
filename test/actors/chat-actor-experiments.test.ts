import { describe, expect, it } from 'vitest';
import { type ChatState, type PromptView, parseChatState } from '../../src/actors/index.js';
import { assignVariant, DEFAULT_PERSONA, type PersonaCatalog, personaSchema } from '../../src/chat/index.js';
import type {
  ExperimentRecord,
  ExperimentSource,
  ReplyLedger,
  ReplyRecord,
  ReplySignal,
} from '../../src/ports/index.js';
import { bot, chatActorHarness, type HarnessOptions } from '../support/chat-actor-harness.js';

/** The ledger port in memory: what the actor recorded, in order. */
class RecordingLedger implements ReplyLedger {
  replies: ReplyRecord[] = [];
  signals: ReplySignal[] = [];
  reply(row: ReplyRecord): void {
    this.replies.push(row);
  }
  signal(row: ReplySignal): void {
    this.signals.push(row);
  }
  /** The signals without their chat and time. */
  kinds(): Array<Pick<ReplySignal, 'messageId' | 'kind' | 'value'>> {
    return this.signals.map(({ messageId, kind, value }) => ({ messageId, kind, value }));
  }
}

/** The experiment source an operator switches: whatever `current` holds. */
class SwitchableExperiments implements ExperimentSource {
  constructor(public current: ExperimentRecord | null = null) {}
  running(): ExperimentRecord | null {
    return this.current;
  }
}

const SHORT_RULE = 'Answer in one short sentence, no more.';

function experiment(overrides: Partial<ExperimentRecord> = {}): ExperimentRecord {
  return {
    id: 4,
    name: 'short answers',
    unit: 'chat',
    variants: [
      { name: 'control', share: 1 },
      { name: 'short', share: 1, overrides: { styleRules: [SHORT_RULE] } },
    ],
    minimumEffect: 0.1,
    scoreWindowMs: 600_000,
    status: 'running',
    createdAtMs: 0,
    updatedAtMs: 0,
    stoppedAtMs: null,
    ...overrides,
  };
}

function setUp(options: HarnessOptions & { experiment?: ExperimentRecord | null } = {}) {
  const ledger = new RecordingLedger();
  const experiments = new SwitchableExperiments(options.experiment ?? null);
  const h = chatActorHarness({ replies: ledger, experiments, ...options });
  /** A member addresses the bot; the model answers `answer`; resolves to the bot's message id. */
  const converse = async (
    chatId: number,
    from: { id: number; firstName: string },
    text: string,
    answer: string,
  ): Promise<{ trigger: number; botMessageId: number; system: string }> => {
    const asked = h.llm.requests.length;
    const trigger = h.say(chatId, text, { from });
    await h.clock.advance(0);
    expect(h.llm.requests, `a model call for ${text}`).toHaveLength(asked + 1);
    const { request, answer: release } = h.llm.requests[asked]!;
    const sent = h.egress.sent.length;
    release(answer);
    await h.clock.advance(0);
    expect(h.egress.sent, `the reply to ${text}`).toHaveLength(sent + 1);
    return { trigger, botMessageId: h.egress.sent[sent]!.messageId, system: request.messages[0]?.content ?? '' };
  };
  const lastPrompt = (chatId: number) =>
    h.supervisor.ask<PromptView | null>(chatId, (reply) => ({ type: 'GetLastPrompt', reply }));
  return { h, ledger, experiments, converse, lastPrompt };
}

const G = -100_500;
const masha = { id: 5, firstName: 'Маша' };
const petya = { id: 6, firstName: 'Петя' };

/** Chat (or member) ids, starting at `from` going down or up, that `exp` assigns to `variant`. */
function unitsIn(exp: ExperimentRecord, variant: string, from: number, step: number, count: number): number[] {
  const found: number[] = [];
  for (let id = from; found.length < count; id += step) if (assignVariant(exp, id).name === variant) found.push(id);
  return found;
}

describe('ChatActor replies and A/B experiments', () => {
  it('records every reply with its trigger, persona, template, style rules and PII-redacted text, outside an experiment', async () => {
    const { h, ledger, converse } = setUp();
    const sentAtMs = h.clock.now();
    const { trigger, botMessageId } = await converse(G, masha, 'Лёха, как дела?', 'Норм, пиши на vasya@example.com');
    expect(ledger.replies).toEqual([
      {
        chatId: G,
        messageId: botMessageId,
        triggerMessageId: trigger,
        sentAtMs,
        persona: 'Лёха@1',
        template: 'lekha-persona/3',
        experimentId: null,
        variant: null,
        styleRules: expect.arrayContaining([expect.any(String)]),
        text: expect.stringMatching(/^Норм, пиши на /),
      },
    ]);
    expect(ledger.replies[0]!.text).not.toContain('vasya@example.com');
    const rules = ledger.replies[0]!.styleRules;
    const prompt = await setUpPrompt(h, G);
    expect(prompt?.description).toContain(`[${rules[0]}]`);
    expect(prompt).toMatchObject({ version: 'lekha-persona/3 Лёха@1', experiment: null });
  });

  it('prompts each chat as its variant of a chat-unit experiment and names the variant in the record and the prompt version', async () => {
    const exp = experiment();
    const { ledger, converse, lastPrompt } = setUp({ experiment: exp });
    const [shortChat] = unitsIn(exp, 'short', -200, -1, 1);
    const [controlChat] = unitsIn(exp, 'control', -200, -1, 1);
    const short = await converse(shortChat!, masha, 'Лёха, как дела?', 'Норм.');
    const control = await converse(controlChat!, masha, 'Лёха, как дела?', 'Нормально всё, а у тебя?');
    expect(short.system).toContain(SHORT_RULE);
    expect(control.system).not.toContain(SHORT_RULE);
    expect(ledger.replies.map((r) => [r.chatId, r.experimentId, r.variant, r.persona])).toEqual([
      [shortChat, 4, 'short', 'Лёха@1'],
      [controlChat, 4, 'control', 'Лёха@1'],
    ]);
    expect(await lastPrompt(shortChat!)).toMatchObject({
      version: 'lekha-persona/3 Лёха@1 exp 4/short',
      experiment: { id: 4, variant: 'short' },
    });
    expect((await lastPrompt(controlChat!))?.version).toBe('lekha-persona/3 Лёха@1 exp 4/control');
  });

  it('assigns each member their own variant in a member-unit experiment, in the same chat, and the chat keeps its names', async () => {
    const exp = experiment({ unit: 'member' });
    const { ledger, converse } = setUp({ experiment: exp });
    const [shortMember] = unitsIn(exp, 'short', 10, 1, 1);
    const [controlMember] = unitsIn(exp, 'control', 10, 1, 1);
    const a = await converse(G, { id: shortMember!, firstName: 'Аня' }, 'Лёха, привет', 'Привет.');
    const b = await converse(G, { id: controlMember!, firstName: 'Боря' }, 'Лёха, привет', 'Здорово, Боря!');
    expect(a.system).toContain(SHORT_RULE);
    expect(b.system).not.toContain(SHORT_RULE);
    expect(ledger.replies.map((r) => r.variant)).toEqual(['short', 'control']);
  });

  it('prompts a variant based on another catalog persona as that persona', async () => {
    const vasya = personaSchema.parse({
      name: 'Вася',
      version: 3,
      aliases: ['Вася'],
      character: ['You are {name}, a retired fisherman with a story for every lake.'],
    });
    const catalog: PersonaCatalog = { personas: [DEFAULT_PERSONA, vasya], defaultName: 'Лёха' };
    const exp = experiment({
      variants: [
        { name: 'control', share: 1 },
        { name: 'vasya', share: 1, persona: 'Вася' },
      ],
    });
    const { ledger, converse } = setUp({ experiment: exp, personas: catalog });
    const [chat] = unitsIn(exp, 'vasya', -300, -1, 1);
    const { system } = await converse(chat!, masha, 'Лёха, как клёв?', 'Клюёт!');
    expect(system).toContain('a retired fisherman');
    expect(ledger.replies[0]).toMatchObject({ persona: 'Вася@3', variant: 'vasya' });
  });

  it('leaves a chat that chose or tuned its persona out of the experiment', async () => {
    const exp = experiment();
    const { h, ledger, converse } = setUp({ experiment: exp });
    const [chosen, tuned] = unitsIn(exp, 'short', -400, -1, 2);
    await h.supervisor.ask(chosen!, (reply) => ({ type: 'PatchSettings', patch: { persona: 'Лёха' }, reply }));
    await h.supervisor.ask(tuned!, (reply) => ({
      type: 'PatchSettings',
      patch: { personaTuning: { emoji: 'none' } },
      reply,
    }));
    const a = await converse(chosen!, masha, 'Лёха, как дела?', 'Нормально всё.');
    const b = await converse(tuned!, masha, 'Лёха, как дела?', 'Нормально всё.');
    expect(a.system).not.toContain(SHORT_RULE);
    expect(b.system).not.toContain(SHORT_RULE);
    expect(ledger.replies.map((r) => [r.experimentId, r.variant, r.persona])).toEqual([
      [null, null, 'Лёха@1'],
      [null, null, 'Лёха@1'],
    ]);
  });

  it('assigns nothing while the experiment is paused, and again once it runs', async () => {
    const exp = experiment({ status: 'paused' });
    const { experiments, ledger, converse } = setUp({ experiment: exp });
    const [chat] = unitsIn(exp, 'short', -500, -1, 1);
    const paused = await converse(chat!, masha, 'Лёха, как дела?', 'Нормально всё.');
    experiments.current = { ...exp, status: 'running' };
    const running = await converse(chat!, petya, 'Лёха, а у меня?', 'Тоже.');
    expect(paused.system).not.toContain(SHORT_RULE);
    expect(running.system).toContain(SHORT_RULE);
    expect(ledger.replies.map((r) => r.variant)).toEqual([null, 'short']);
  });

  it('records reactions to the bot’s replies with their feedback, and none to members’ messages', async () => {
    const { h, ledger, converse } = setUp();
    const { trigger, botMessageId } = await converse(G, masha, 'Лёха, как дела?', 'Норм.');
    h.react(G, botMessageId, petya.id, [], ['👍']);
    h.react(G, botMessageId, petya.id, ['👍'], []);
    h.react(G, trigger, petya.id, [], ['👍']);
    await h.clock.advance(0);
    expect(ledger.kinds()).toEqual([
      { messageId: botMessageId, kind: 'reaction', value: 1 },
      { messageId: botMessageId, kind: 'reaction', value: -1 },
    ]);
  });

  it('records a member’s reply to a bot reply with its feedback, and a quote in it', async () => {
    const { h, ledger, converse } = setUp();
    const { botMessageId } = await converse(G, masha, 'Лёха, как дела?', 'Норм, а ты как?');
    h.say(G, 'спасибо, друг', { from: petya, replyTo: { messageId: botMessageId, fromId: bot.id } });
    h.say(G, 'бред какой-то', { from: petya, replyTo: { messageId: botMessageId, fromId: bot.id }, quote: 'Норм' });
    await h.clock.advance(0);
    expect(ledger.kinds()).toEqual([
      { messageId: botMessageId, kind: 'reply', value: 1 },
      { messageId: botMessageId, kind: 'reply', value: -1 },
      { messageId: botMessageId, kind: 'quote', value: 1 },
    ]);
  });

  it('records the trigger author’s thanks right after a reply as a follow-up, once, and their going on talking once', async () => {
    const { h, ledger, converse } = setUp();
    const { botMessageId } = await converse(G, masha, 'Лёха, как дела?', 'Норм.');
    await h.clock.advance(60_000);
    h.say(G, 'спасибо!', { from: masha });
    h.say(G, 'бред', { from: masha });
    h.say(G, 'спасибо', { from: petya });
    await h.clock.advance(0);
    expect(ledger.kinds()).toEqual([
      { messageId: botMessageId, kind: 'followup', value: 1 },
      { messageId: botMessageId, kind: 'continued', value: 1 },
    ]);
    expect(ledger.signals.every((s) => s.chatId === G && s.atMs === h.clock.now())).toBe(true);
  });

  it('takes no follow-up after two minutes and no going on talking after the experiment’s score window', async () => {
    const exp = experiment({ scoreWindowMs: 180_000 });
    const { h, ledger, converse } = setUp({ experiment: exp });
    const { botMessageId } = await converse(G, masha, 'Лёха, как дела?', 'Норм.');
    await h.clock.advance(120_000);
    h.say(G, 'спасибо!', { from: masha });
    await h.clock.advance(0);
    expect(ledger.kinds()).toEqual([{ messageId: botMessageId, kind: 'continued', value: 1 }]);

    const second = await converse(G, petya, 'Лёха, а у меня?', 'И у тебя норм.');
    await h.clock.advance(180_000);
    h.say(G, 'ну ладно', { from: petya });
    await h.clock.advance(0);
    expect(ledger.kinds().filter((s) => s.messageId === second.botMessageId)).toEqual([]);
  });

  it('records /rate 👍 or /rate - as a reply to a bot reply, and explains when it is not', async () => {
    const { h, ledger, converse } = setUp();
    const { trigger, botMessageId } = await converse(G, masha, 'Лёха, как дела?', 'Норм.');
    const toBot = { messageId: botMessageId, fromId: bot.id };
    let rater = 20;
    // Each from someone new: the chat limits a member's pace.
    const answer = async (text: string, replyTo?: { messageId: number; fromId: number }): Promise<string> => {
      const before = h.egress.sent.length;
      const from = { id: rater++, firstName: 'Гость' };
      h.say(G, text, { from, ...(replyTo === undefined ? {} : { replyTo }) });
      for (let i = 0; i < 20 && h.egress.sent.length === before; i++) await h.clock.advance(0);
      return h.egress.sent[before]!.text;
    };
    expect(await answer('/rate 👍', toBot)).toBe('Спасибо, учёл 👍');
    expect(await answer('/rate -', toBot)).toBe('Понял, учёл 👎 Постараюсь лучше.');
    expect(await answer('/rate 👍🏽', toBot)).toBe('Спасибо, учёл 👍');
    expect(await answer('/rate 👍', { messageId: trigger, fromId: masha.id })).toBe(
      'Оценить можно только мои недавние ответы: ответь /rate на моё сообщение.',
    );
    expect(await answer('/rate 👍')).toBe('Ответь на моё сообщение командой /rate 👍 или /rate 👎 (можно + или -).');
    expect(await answer('/rate отлично', toBot)).toBe(
      'Ответь на моё сообщение командой /rate 👍 или /rate 👎 (можно + или -).',
    );
    expect(ledger.kinds()).toEqual([
      { messageId: botMessageId, kind: 'rate', value: 1 },
      { messageId: botMessageId, kind: 'rate', value: -1 },
      { messageId: botMessageId, kind: 'rate', value: 1 },
    ]);
  });

  it('keeps its recent replies through a snapshot round trip: signals after a restart still find them, once-only ones stay once', async () => {
    const first = setUp();
    const { botMessageId } = await first.converse(G, masha, 'Лёха, как дела?', 'Норм.');
    first.h.say(G, 'ага', { from: masha });
    await first.h.clock.advance(0);
    expect(first.ledger.kinds()).toEqual([{ messageId: botMessageId, kind: 'continued', value: 1 }]);
    const saved: ChatState = parseChatState(JSON.parse(JSON.stringify(await first.h.state(G))));
    expect(saved.chat.replies).toEqual([
      expect.objectContaining({ id: botMessageId, authorId: masha.id, continued: true, followedUp: false }),
    ]);

    const second = setUp({ state: saved });
    await second.h.clock.advance(first.h.clock.now() - second.h.clock.now());
    // The new harness numbers updates and messages from the start again: past the ones the chat has seen.
    for (let i = 0; i < 4; i++) second.h.say(G, 'догоняю', { from: { id: 77, firstName: 'Гость' } });
    second.h.react(G, botMessageId, petya.id, [], ['🔥']);
    second.h.say(G, 'спасибо!', { from: masha });
    await second.h.clock.advance(0);
    expect(second.ledger.kinds()).toEqual([
      { messageId: botMessageId, kind: 'reaction', value: 1 },
      { messageId: botMessageId, kind: 'followup', value: 1 },
    ]);
  });

  it('keeps no more than the 50 latest replies', async () => {
    const { h, converse } = setUp();
    for (let i = 0; i < 52; i++) {
      await converse(G, { id: 100 + i, firstName: `Гость ${i}` }, `Лёха, вопрос ${i}`, `ответ ${i}`);
      await h.clock.advance(1000);
    }
    const replies = (await h.state(G)).chat.replies ?? [];
    expect(replies).toHaveLength(50);
    expect(replies[0]?.authorId).toBe(102);
  });
});

async function setUpPrompt(h: ReturnType<typeof chatActorHarness>, chatId: number): Promise<PromptView | null> {
  return h.supervisor.ask<PromptView | null>(chatId, (reply) => ({ type: 'GetLastPrompt', reply }));
}
