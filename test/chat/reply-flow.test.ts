import { describe, expect, it } from 'vitest';
import {
  type MemoryHit,
  patchChatSettings,
  REPLY_BUSY_RETRY_MS,
  REPLY_TIMEOUT_MS,
  type ReplyEffect,
  type ReplyEvent,
  type ReplyFlowState,
  transitionReply,
} from '../../src/chat/index.js';
import { BOT_ID, ChatDriver, type Person } from './support/chat-fixture.js';

const masha: Person = { id: 5, name: 'Маша' };
const petya: Person = { id: 6, name: 'Петя' };

/** One chat driven through the real pipeline, with its reply flow run the way the actor runs it. */
class Flow {
  readonly driver = new ChatDriver();
  flow: ReplyFlowState = { chat: this.driver.state, work: null };

  constructor() {
    this.driver.state.settings = patchChatSettings(this.driver.state.settings, { rateLimit: { capacity: 100 } });
  }

  get inFlight() {
    return this.driver.state.inFlight;
  }

  /** A member's message; a reply the pipeline starts for it is fed to the flow. Returns the message id and the effects. */
  say(who: Person, text: string): { id: number; effects: ReplyEffect[] } {
    const { id, result } = this.driver.say(who, text, { afterMs: 1000 });
    const effects =
      result.decision.kind === 'reply' ? this.on({ type: 'ReplyStarted', plan: result.decision.plan }) : [];
    return { id, effects };
  }

  on(event: ReplyEvent): ReplyEffect[] {
    const { state, effects } = transitionReply(this.flow, event, { nowMs: this.driver.nowMs, botUserId: BOT_ID });
    this.flow = state;
    return effects;
  }

  /** A reply to `Маша` up to the given stage. */
  static at(stage: 'recalling' | 'asked' | 'sending'): { f: Flow; trigger: number } {
    const f = new Flow();
    const { id } = f.say(masha, 'Лёха, что думаешь про погоду?');
    if (stage !== 'recalling')
      f.on({ type: 'MemoriesRecalled', triggerId: id, hits: [hit(1, 'погода была хорошая вчера днём')] });
    if (stage === 'sending') f.on({ type: 'ModelAnswered', triggerId: id, text: 'Погода отличная!', offline: false });
    return { f, trigger: id };
  }
}

function hit(id: number, text: string): MemoryHit {
  return { id, kind: 'message', text, fromId: 7, ms: 1_749_999_000_000, similarity: 0.9, feedback: 0 };
}

/** Effects in a compact form for tables: the type, with the counter of a `Count`. */
function names(effects: readonly ReplyEffect[]): string[] {
  return effects.map((e) => (e.type === 'Count' ? `Count:${e.counter}` : e.type === 'Log' ? `Log:${e.level}` : e.type));
}

const finished = ['CancelRecall', 'InvalidateReport', 'MarkDirty'];

describe('reply flow', () => {
  const table: Array<{
    name: string;
    at: 'recalling' | 'asked' | 'sending';
    event: (trigger: number) => ReplyEvent;
    effects: string[];
    phase: 'thinking' | 'sending' | null;
  }> = [
    {
      name: 'memories arrive: the model is asked',
      at: 'recalling',
      event: (t) => ({ type: 'MemoriesRecalled', triggerId: t, hits: [] }),
      effects: ['CancelRecall', 'AskModel', 'ShowTyping'],
      phase: 'thinking',
    },
    {
      name: 'the recall fails: the model is asked without memories',
      at: 'recalling',
      event: (t) => ({ type: 'RecallFailed', triggerId: t, error: new Error('down') }),
      effects: ['CancelRecall', 'Log:warn', 'AskModel', 'ShowTyping'],
      phase: 'thinking',
    },
    {
      name: 'the recall times out: the model is asked without memories',
      at: 'recalling',
      event: (t) => ({ type: 'RecallTimedOut', triggerId: t }),
      effects: ['AskModel', 'ShowTyping'],
      phase: 'thinking',
    },
    {
      name: 'memories of an earlier trigger change nothing',
      at: 'recalling',
      event: (t) => ({ type: 'MemoriesRecalled', triggerId: t - 1, hits: [] }),
      effects: [],
      phase: 'thinking',
    },
    {
      name: 'typing is shown while memories are recalled',
      at: 'recalling',
      event: () => ({ type: 'TypingDue' }),
      effects: ['ShowTyping'],
      phase: 'thinking',
    },
    {
      name: 'a second recall outcome after the model was asked changes nothing',
      at: 'asked',
      event: (t) => ({ type: 'RecallTimedOut', triggerId: t }),
      effects: [],
      phase: 'thinking',
    },
    {
      name: 'the model answers: the reply is marked sending and sent',
      at: 'asked',
      event: (t) => ({ type: 'ModelAnswered', triggerId: t, text: 'Ясно!', offline: false }),
      effects: ['StopTyping', 'MarkDirty', 'SendReply'],
      phase: 'sending',
    },
    {
      name: 'the offline responder answers: counted',
      at: 'asked',
      event: (t) => ({ type: 'ModelAnswered', triggerId: t, text: 'Ясно!', offline: true }),
      effects: ['StopTyping', 'Count:offline', 'MarkDirty', 'SendReply'],
      phase: 'sending',
    },
    {
      name: 'the gateway is busy: asked again later',
      at: 'asked',
      event: (t) => ({ type: 'ModelBusy', triggerId: t }),
      effects: ['RetryModelLater'],
      phase: 'thinking',
    },
    {
      name: 'a retry is due: the model is asked again',
      at: 'asked',
      event: (t) => ({ type: 'ModelRetryDue', triggerId: t }),
      effects: ['AskModel', 'ShowTyping'],
      phase: 'thinking',
    },
    {
      name: 'the model fails: the reply is given up',
      at: 'asked',
      event: (t) => ({ type: 'ModelFailed', triggerId: t, error: new Error('500') }),
      effects: ['StopTyping', 'Count:failed', 'Log:error', ...finished],
      phase: null,
    },
    {
      name: 'typing is refreshed while the model works',
      at: 'asked',
      event: () => ({ type: 'TypingDue' }),
      effects: ['ShowTyping'],
      phase: 'thinking',
    },
    {
      name: 'Telegram took it: counted, timed and remembered',
      at: 'sending',
      event: (t) => ({ type: 'ReplyDelivered', triggerId: t, botMessageId: 900 }),
      effects: ['Count:sent', 'ObserveLatency', 'RememberReply', 'RecordReply', ...finished],
      phase: null,
    },
    {
      name: 'Telegram refused it: counted as failed',
      at: 'sending',
      event: (t) => ({ type: 'DeliveryFailed', triggerId: t, error: new Error('403') }),
      effects: ['Count:failed', 'Log:warn', ...finished],
      phase: null,
    },
    {
      name: 'a late model answer while sending changes nothing',
      at: 'sending',
      event: (t) => ({ type: 'ModelAnswered', triggerId: t, text: 'ещё', offline: false }),
      effects: [],
      phase: 'sending',
    },
    {
      name: 'a retry due while sending changes nothing',
      at: 'sending',
      event: (t) => ({ type: 'ModelRetryDue', triggerId: t }),
      effects: [],
      phase: 'sending',
    },
    {
      name: 'no typing while sending',
      at: 'sending',
      event: () => ({ type: 'TypingDue' }),
      effects: [],
      phase: 'sending',
    },
  ];

  it.each(table)('$at + event → $name', ({ at, event, effects, phase }) => {
    const { f, trigger } = Flow.at(at);
    expect(names(f.on(event(trigger)))).toEqual(effects);
    expect(f.inFlight?.phase ?? null).toBe(phase);
    if (phase === null) expect(f.driver.state.answered).toContain(trigger);
  });

  it('starts a reply by asking memory, or the model straight away when there is nothing to ask', () => {
    const f = new Flow();
    const { id, effects } = f.say(masha, 'Лёха, что нового?');
    expect(names(effects)).toEqual(['Count:started', 'MarkDirty', 'CancelRecall', 'RecallMemories']);
    expect(effects.at(-1)).toMatchObject({ type: 'RecallMemories', triggerId: id });
    expect(f.inFlight).toMatchObject({ triggerId: id, phase: 'thinking', text: null });

    const g = new Flow();
    const { result } = g.driver.say(masha, 'Лёха, что нового?');
    if (result.decision.kind !== 'reply') throw new Error('expected a reply');
    const skipped = g.on({ type: 'ReplyStarted', plan: { ...result.decision.plan, queryText: '  ' } });
    expect(names(skipped)).toEqual(['Count:started', 'MarkDirty', 'CancelRecall', 'AskModel', 'ShowTyping']);
    expect(skipped[3]).toMatchObject({ type: 'AskModel', recall: 'skipped', fromId: masha.id });
  });

  it('keeps the reviewed text with the reply in flight, so the sending mark is the only record of it', () => {
    const { f, trigger } = Flow.at('sending');
    expect(f.inFlight).toMatchObject({ triggerId: trigger, phase: 'sending', text: 'Погода отличная!' });
    const effects = f.on({ type: 'ReplyDelivered', triggerId: trigger, botMessageId: 900 });
    expect(effects).toContainEqual({
      type: 'RememberReply',
      text: 'Погода отличная!',
      botMessageId: 900,
      recalledIds: [1],
    });
    expect(effects).toContainEqual({
      type: 'RecordReply',
      triggerId: trigger,
      botMessageId: 900,
      text: 'Погода отличная!',
      persona: 'Лёха@1',
      template: 'lekha-persona/3',
      experiment: null,
      styleRules: expect.arrayContaining([expect.any(String)]),
    });
    expect(f.driver.state.replies).toEqual([
      expect.objectContaining({ id: 900, triggerId: trigger, followedUp: false, continued: false, windowMs: 600_000 }),
    ]);
    expect(f.driver.state.history.at(-1)).toMatchObject({
      id: 900,
      from: BOT_ID,
      text: 'Погода отличная!',
      replyTo: trigger,
      bot: true,
    });
    expect(f.flow.work).toBeNull();
  });

  it('coalesces triggers that arrive while a reply is in flight into one follow-up for the newest', () => {
    const { f, trigger } = Flow.at('asked');
    const second = f.say(petya, 'Лёха, а завтра?');
    const third = f.say(masha, 'Лёха, и на выходных?');
    expect(second.effects).toEqual([]);
    expect(third.effects).toEqual([]);
    expect(f.inFlight?.coalesced.map((t) => t.id)).toEqual([second.id, third.id]);

    f.on({ type: 'ModelAnswered', triggerId: trigger, text: 'Солнечно.', offline: false });
    const effects = f.on({ type: 'ReplyDelivered', triggerId: trigger, botMessageId: 901 });
    expect(names(effects)).toEqual([
      'Count:sent',
      'ObserveLatency',
      'RememberReply',
      'RecordReply',
      ...finished,
      'Count:started',
      'MarkDirty',
      'CancelRecall',
      'RecallMemories',
    ]);
    expect(effects.at(-1)).toMatchObject({ type: 'RecallMemories', triggerId: third.id });
    expect(f.inFlight).toMatchObject({ triggerId: third.id, phase: 'thinking', coalesced: [] });
    expect(f.driver.state.answered).toEqual(expect.arrayContaining([trigger, second.id]));
  });

  it('needs no follow-up for triggers the prompt already saw', () => {
    const { f, trigger } = Flow.at('recalling');
    const second = f.say(petya, 'Лёха, а завтра?');
    f.on({ type: 'RecallTimedOut', triggerId: trigger });
    f.on({ type: 'ModelAnswered', triggerId: trigger, text: 'И завтра тоже.', offline: false });
    const effects = f.on({ type: 'ReplyDelivered', triggerId: trigger, botMessageId: 902 });
    expect(names(effects)).not.toContain('RecallMemories');
    expect(f.inFlight).toBeNull();
    expect(f.driver.state.answered).toEqual(expect.arrayContaining([trigger, second.id]));
  });

  it('answers coalesced triggers with a follow-up also when the reply failed', () => {
    const { f, trigger } = Flow.at('asked');
    const second = f.say(petya, 'Лёха, а завтра?');
    const effects = f.on({ type: 'ModelFailed', triggerId: trigger, error: new Error('timeout') });
    expect(effects.at(-1)).toMatchObject({ type: 'RecallMemories', triggerId: second.id });
  });

  it('retries a busy model with the memories already recalled, and takes whichever answer comes first', () => {
    const { f, trigger } = Flow.at('asked');
    expect(f.on({ type: 'ModelBusy', triggerId: trigger })).toEqual([
      { type: 'RetryModelLater', triggerId: trigger, delayMs: REPLY_BUSY_RETRY_MS },
    ]);
    const retry = f.on({ type: 'ModelRetryDue', triggerId: trigger });
    expect(retry[0]).toMatchObject({ type: 'AskModel', triggerId: trigger, recall: 'answered', memories: [{ id: 1 }] });
    // The first request's answer arrives; the retry's own answer later is ignored.
    expect(names(f.on({ type: 'ModelAnswered', triggerId: trigger, text: 'Первый ответ.', offline: false }))).toContain(
      'SendReply',
    );
    expect(f.on({ type: 'ModelAnswered', triggerId: trigger, text: 'Второй ответ.', offline: false })).toEqual([]);
    expect(f.on({ type: 'ModelRetryDue', triggerId: trigger })).toEqual([]);
  });

  it('after a restart, never resends a reply that was sending: counted in doubt, its trigger answered, a coalesced trigger followed up', () => {
    const { f, trigger } = Flow.at('asked');
    const second = f.say(petya, 'Лёха, а завтра?');
    f.on({ type: 'ModelAnswered', triggerId: trigger, text: 'Может, ушло.', offline: false });
    // A new incarnation: nothing but the persisted chat state survives.
    f.flow = { chat: structuredClone(f.driver.state), work: null };
    const effects = f.on({ type: 'Restarted' });
    expect(names(effects)).toEqual([
      'Count:inDoubt',
      'Log:warn',
      ...finished,
      'Count:started',
      'MarkDirty',
      'CancelRecall',
      'RecallMemories',
    ]);
    expect(names(effects)).not.toContain('SendReply');
    expect(f.flow.chat.answered).toContain(trigger);
    expect(f.flow.chat.inFlight).toMatchObject({ triggerId: second.id, phase: 'thinking' });
  });

  it('after a restart, asks again for a reply that was still thinking', () => {
    const { f, trigger } = Flow.at('asked');
    f.flow = { chat: structuredClone(f.driver.state), work: null };
    const effects = f.on({ type: 'Restarted' });
    expect(names(effects)).toEqual(['MarkDirty', 'Count:started', 'MarkDirty', 'CancelRecall', 'RecallMemories']);
    expect(effects.at(-1)).toMatchObject({
      type: 'RecallMemories',
      triggerId: trigger,
      queryText: expect.stringContaining('погоду'),
    });
    expect(f.flow.chat.inFlight).toMatchObject({ triggerId: trigger, phase: 'thinking', contextUpToId: 0 });
  });

  it('after a restart, gives up a thinking reply too old to be worth sending', () => {
    const { f, trigger } = Flow.at('asked');
    f.driver.nowMs += REPLY_TIMEOUT_MS;
    f.flow = { chat: f.driver.state, work: null };
    expect(names(f.on({ type: 'Restarted' }))).toEqual(['MarkDirty']);
    expect(f.inFlight).toBeNull();
    expect(f.driver.state.answered).toContain(trigger);
    expect(f.driver.state.counters.abandonedReplies).toBe(1);
  });

  it('does nothing on a restart with no reply in flight', () => {
    const f = new Flow();
    expect(names(f.on({ type: 'Restarted' }))).toEqual(['MarkDirty']);
  });

  it('drops a late model answer for a reply the pipeline gave up', () => {
    const { f, trigger } = Flow.at('asked');
    f.driver.nowMs += REPLY_TIMEOUT_MS;
    f.say(petya, 'ну что там');
    expect(f.inFlight).toBeNull();
    expect(f.on({ type: 'ModelAnswered', triggerId: trigger, text: 'поздно', offline: false })).toEqual([]);
  });
});
