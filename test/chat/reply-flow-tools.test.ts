import { describe, expect, it } from 'vitest';
import {
  MAX_TOOL_CALLS_PER_ROUND,
  MAX_TOOL_ROUNDS,
  patchChatSettings,
  REPLY_BUSY_RETRY_MS,
  type ReplyEffect,
  type ReplyEvent,
  type ReplyFlowState,
  TOOL_RESULT_CHARS,
  transitionReply,
} from '../../src/chat/index.js';
import type { ToolCall, ToolSpec } from '../../src/ports/index.js';
import { BOT_ID, ChatDriver, type Person } from './support/chat-fixture.js';

const masha: Person = { id: 5, name: 'Маша' };

const weather: ToolSpec = {
  name: 'weather',
  description: 'Погода в городе',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const rates: ToolSpec = { name: 'rates', description: 'Курс валют', parameters: { type: 'object' } };

type AskModel = Extract<ReplyEffect, { type: 'AskModel' }>;

/** One chat with tools offered, its reply flow run as the actor runs it. */
class ToolFlow {
  readonly driver = new ChatDriver();
  flow: ReplyFlowState = { chat: this.driver.state, work: null };
  toolLookups = 0;
  trigger = 0;

  constructor(private readonly tools: readonly ToolSpec[] = [weather, rates]) {
    this.driver.state.settings = patchChatSettings(this.driver.state.settings, { rateLimit: { capacity: 100 } });
  }

  on(event: ReplyEvent): ReplyEffect[] {
    const { state, effects } = transitionReply(this.flow, event, {
      nowMs: this.driver.nowMs,
      botUserId: BOT_ID,
      tools: () => {
        this.toolLookups++;
        return this.tools;
      },
    });
    this.flow = state;
    return effects;
  }

  /** Маша asks; the recall comes back empty; returns the first model request. */
  ask(text = 'Лёха, какая погода в Питере?'): AskModel {
    const { id, result } = this.driver.say(masha, text, { afterMs: 1000 });
    if (result.decision.kind !== 'reply') throw new Error('expected a reply');
    this.trigger = id;
    this.on({ type: 'ReplyStarted', plan: result.decision.plan });
    return only(this.on({ type: 'MemoriesRecalled', triggerId: id, hits: [] }), 'AskModel');
  }

  calls(toolCalls: ToolCall[]): ReplyEffect[] {
    return this.on({ type: 'ModelAnswered', triggerId: this.trigger, text: '', offline: false, toolCalls });
  }

  finished(round: number, callId: string, result: string): ReplyEffect[] {
    return this.on({ type: 'ToolFinished', triggerId: this.trigger, round, callId, result });
  }
}

function call(id: string, name = 'weather', args = '{"city":"Питер"}'): ToolCall {
  return { id, name, arguments: args };
}

function only<T extends ReplyEffect['type']>(
  effects: readonly ReplyEffect[],
  type: T,
): Extract<ReplyEffect, { type: T }> {
  const found = effects.filter((e) => e.type === type);
  expect(found, `one ${type} in ${effects.map((e) => e.type).join(', ')}`).toHaveLength(1);
  return found[0] as Extract<ReplyEffect, { type: T }>;
}

function counted(effects: readonly ReplyEffect[], counter: string): number {
  return effects.filter((e) => e.type === 'Count' && e.counter === counter).length;
}

describe('reply flow with tools', () => {
  it('offers the chat’s tools with the first model call, looked up once per reply', () => {
    const f = new ToolFlow();
    const ask = f.ask();
    expect(ask.tools.map((t) => t.name)).toEqual(['weather', 'rates']);
    expect(ask.toolChoice).toBe('auto');
    expect(ask.rounds).toEqual([]);
    f.on({ type: 'ModelBusy', triggerId: f.trigger });
    const retried = only(f.on({ type: 'ModelRetryDue', triggerId: f.trigger }), 'AskModel');
    expect(retried.tools).toEqual(ask.tools);
    expect(f.toolLookups).toBe(1);
  });

  it('offers no tools when the chat has none', () => {
    const f = new ToolFlow([]);
    const ask = f.ask();
    expect(ask.tools).toEqual([]);
  });

  it('runs the calls the model asks for, then asks again with the calls and their results', () => {
    const f = new ToolFlow();
    f.ask();
    const effects = f.calls([call('c1'), call('c2', 'rates', '{}')]);
    const run = only(effects, 'RunTools');
    expect(run).toMatchObject({ triggerId: f.trigger, round: 1, fromId: masha.id, language: 'ru' });
    expect(run.calls.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(counted(effects, 'toolCall')).toBe(2);
    expect(effects.map((e) => e.type)).not.toContain('StopTyping');
    expect(f.driver.state.inFlight?.phase).toBe('thinking');

    expect(f.finished(1, 'c2', '1 USD = 90 RUB')).toEqual([]);
    const next = f.finished(1, 'c1', '+3°C, дождь');
    expect(next.map((e) => e.type)).toEqual(['CancelTools', 'AskModel', 'ShowTyping']);
    const ask = only(next, 'AskModel');
    expect(ask.toolChoice).toBe('auto');
    expect(ask.rounds).toEqual([
      { calls: [call('c1'), call('c2', 'rates', '{}')], results: ['+3°C, дождь', '1 USD = 90 RUB'] },
    ]);
  });

  it('sends the final text like any reply once the model answers after the tools', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1')]);
    f.finished(1, 'c1', '+3°C, дождь');
    const effects = f.on({
      type: 'ModelAnswered',
      triggerId: f.trigger,
      text: 'В Питере +3 и дождь, бери зонт',
      offline: false,
    });
    expect(only(effects, 'SendReply').text).toBe('В Питере +3 и дождь, бери зонт');
    expect(f.driver.state.inFlight?.phase).toBe('sending');
  });

  it('sends the offline responder’s line when the model goes offline between rounds', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1')]);
    f.finished(1, 'c1', '+3°C');
    const effects = f.on({ type: 'ModelAnswered', triggerId: f.trigger, text: 'Мозги на перезагрузке', offline: true });
    expect(counted(effects, 'offline')).toBe(1);
    expect(only(effects, 'SendReply').text).toBe('Мозги на перезагрузке');
  });

  it('runs only the good calls of a round and answers a call to an unknown tool itself', () => {
    const f = new ToolFlow();
    f.ask();
    const effects = f.calls([call('c1', 'horoscope', '{}'), call('c2')]);
    expect(only(effects, 'RunTools').calls.map((c) => c.id)).toEqual(['c2']);
    expect(counted(effects, 'toolCallRefused')).toBe(1);
    expect(counted(effects, 'toolCall')).toBe(1);
    const ask = only(f.finished(1, 'c2', '+3°C'), 'AskModel');
    expect(ask.rounds[0]?.calls.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(ask.rounds[0]?.results).toEqual([expect.stringMatching(/^error: no such tool/), '+3°C']);
  });

  it('refuses an unknown tool and malformed arguments with error texts the model sees, asking again at once', () => {
    const f = new ToolFlow();
    f.ask();
    const effects = f.calls([
      call('c1', 'horoscope', '{}'),
      call('c2', 'weather', '{"city": "Пит'),
      call('c3', 'weather', '[1]'),
    ]);
    expect(effects.map((e) => e.type)).not.toContain('RunTools');
    expect(counted(effects, 'toolCallRefused')).toBe(3);
    expect(effects.some((e) => e.type === 'Log' && e.level === 'warn')).toBe(true);
    const ask = only(effects, 'AskModel');
    expect(ask.rounds).toHaveLength(1);
    const [unknown, malformed, notObject] = ask.rounds[0]?.results ?? [];
    expect(unknown).toMatch(/no such tool; the tools are: weather, rates/);
    expect(malformed).toMatch(/not a JSON object/);
    expect(notObject).toMatch(/not a JSON object/);
  });

  it('keeps at most the per-round limit of calls and drops the rest from the conversation', () => {
    const f = new ToolFlow();
    f.ask();
    const many = Array.from({ length: MAX_TOOL_CALLS_PER_ROUND + 2 }, (_, i) => call(`c${i}`));
    const run = only(f.calls(many), 'RunTools');
    expect(run.calls).toHaveLength(MAX_TOOL_CALLS_PER_ROUND);
    let last: ReplyEffect[] = [];
    for (const c of run.calls) last = f.finished(1, c.id, 'ok');
    expect(only(last, 'AskModel').rounds[0]?.calls).toHaveLength(MAX_TOOL_CALLS_PER_ROUND);
  });

  it('gives the model a timeout text for calls still running when the round times out, and ignores their late results', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1'), call('c2', 'rates', '{}')]);
    f.finished(1, 'c1', '+3°C');
    const effects = f.on({ type: 'ToolsTimedOut', triggerId: f.trigger, round: 1 });
    expect(counted(effects, 'toolTimeout')).toBe(1);
    expect(effects.map((e) => e.type)).toContain('CancelTools');
    expect(only(effects, 'AskModel').rounds[0]?.results).toEqual(['+3°C', 'error: the tool did not answer in time']);
    expect(f.finished(1, 'c2', 'too late')).toEqual([]);
    expect(f.on({ type: 'ToolsTimedOut', triggerId: f.trigger, round: 1 })).toEqual([]);
  });

  it('cuts long tool results', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1')]);
    const ask = only(f.finished(1, 'c1', 'x'.repeat(TOOL_RESULT_CHARS * 2)), 'AskModel');
    expect(ask.rounds[0]?.results[0]?.length).toBe(TOOL_RESULT_CHARS + 1);
  });

  it('ignores model answers, busy signals and retries while the tools run, and results of another round or call', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1')]);
    const t = f.trigger;
    expect(f.on({ type: 'ModelAnswered', triggerId: t, text: 'поздно', offline: false })).toEqual([]);
    expect(f.on({ type: 'ModelBusy', triggerId: t })).toEqual([]);
    expect(f.on({ type: 'ModelRetryDue', triggerId: t })).toEqual([]);
    expect(f.on({ type: 'ModelFailed', triggerId: t, error: new Error('late') })).toEqual([]);
    expect(f.finished(2, 'c1', 'other round')).toEqual([]);
    expect(f.finished(1, 'c9', 'other call')).toEqual([]);
    expect(f.on({ type: 'ToolFinished', triggerId: t - 1, round: 1, callId: 'c1', result: 'x' })).toEqual([]);
    expect(f.driver.state.inFlight?.phase).toBe('thinking');
    expect(f.on({ type: 'TypingDue' }).map((e) => e.type)).toEqual(['ShowTyping']);
  });

  it('after the last round asks for a plain answer, and gives the reply up if the model still asks for tools', () => {
    const f = new ToolFlow();
    f.ask();
    let ask: AskModel | null = null;
    for (let round = 1; round <= MAX_TOOL_ROUNDS; round++) {
      f.calls([call(`r${round}`)]);
      ask = only(f.finished(round, `r${round}`, `result ${round}`), 'AskModel');
    }
    expect(ask?.toolChoice).toBe('none');
    expect(ask?.rounds).toHaveLength(MAX_TOOL_ROUNDS);
    expect(ask?.tools.length).toBeGreaterThan(0);

    const more = f.calls([call('again')]);
    expect(counted(more, 'toolRoundsExhausted')).toBe(1);
    expect(more.map((e) => e.type)).not.toContain('RunTools');
    expect(only(more, 'AskModel').toolChoice).toBe('none');

    const stubborn = f.calls([call('again2')]);
    expect(counted(stubborn, 'failed')).toBe(1);
    expect(stubborn.some((e) => e.type === 'Log' && e.level === 'error')).toBe(true);
    expect(f.driver.state.inFlight).toBeNull();
    expect(f.driver.state.answered).toContain(f.trigger);
  });

  it('asks for a plain answer when the model calls tools that were never offered', () => {
    const f = new ToolFlow([]);
    f.ask();
    const effects = f.calls([call('c1')]);
    expect(effects.map((e) => e.type)).not.toContain('RunTools');
    expect(only(effects, 'AskModel').toolChoice).toBe('none');
  });

  it('forgets its tool rounds on a restart and starts the reply again from the recall', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1')]);
    const effects = f.on({ type: 'Restarted' });
    expect(effects.map((e) => e.type)).toContain('RecallMemories');
    expect(f.flow.work?.rounds ?? []).toEqual([]);
    expect(f.finished(1, 'c1', 'from the old incarnation')).toEqual([]);
    const ask = only(f.on({ type: 'MemoriesRecalled', triggerId: f.trigger, hits: [] }), 'AskModel');
    expect(ask.rounds).toEqual([]);
    expect(f.toolLookups).toBe(2);
  });

  it('retries a busy gateway between rounds with the rounds kept', () => {
    const f = new ToolFlow();
    f.ask();
    f.calls([call('c1')]);
    f.finished(1, 'c1', 'ok');
    expect(only(f.on({ type: 'ModelBusy', triggerId: f.trigger }), 'RetryModelLater').delayMs).toBe(
      REPLY_BUSY_RETRY_MS,
    );
    expect(only(f.on({ type: 'ModelRetryDue', triggerId: f.trigger }), 'AskModel').rounds).toHaveLength(1);
  });
});
