import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PromptView } from '../../src/actors/index.js';
import { LlmGateway } from '../../src/llm/index.js';
import type { ChatTools, ToolCall, ToolCaller, ToolSpec } from '../../src/ports/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { GroqEmulator } from '../../src/sandbox/index.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { waitFor } from '../support/edge-harness.js';

let groq: GroqEmulator;

beforeAll(async () => {
  groq = await GroqEmulator.start();
});
afterAll(async () => {
  await groq.close();
});
beforeEach(() => {
  groq.clearToolScripts();
  groq.clearFaults();
});

const weather: ToolSpec = {
  name: 'weather',
  description: 'Погода в городе',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const FORECAST = 'Санкт-Петербург: +3°C, дождь';

/** A tool host with one tool whose behaviour each test chooses; records every call. */
class FakeTools implements ChatTools {
  readonly calls: Array<{ caller: ToolCaller; call: ToolCall; signal: AbortSignal }> = [];
  lookups: Array<{ chatId: number }> = [];

  constructor(private readonly behave: (call: ToolCall, signal: AbortSignal) => Promise<string>) {}

  available(chatId: number): ToolSpec[] {
    this.lookups.push({ chatId });
    return [weather];
  }

  run(caller: ToolCaller, call: ToolCall, signal: AbortSignal): Promise<string> {
    this.calls.push({ caller, call, signal });
    return this.behave(call, signal);
  }
}

function setUp(tools: FakeTools, extra: { toolRoundTimeoutMs?: number } = {}) {
  const logger = new CapturingLogger();
  const llm = new LlmGateway({
    apiKey: groq.apiKey,
    baseURL: groq.baseURL,
    models: ['llama-3.1-8b-instant'],
    requestsPerMinute: 10_000,
    tokensPerMinute: 10_000_000,
    clock: new SystemClock(),
    metrics: new MetricsRegistry(),
  });
  const h = chatActorHarness({ llm, tools, logger, recallTimeoutMs: 10_000, ...extra });
  const lastPrompt = (chatId: number) =>
    h.supervisor.ask<PromptView | null>(chatId, (reply) => ({ type: 'GetLastPrompt', reply }));
  const sentTo = (chatId: number) => h.egress.sent.filter((m) => m.chatId === chatId);
  return { h, llm, logger, lastPrompt, sentTo };
}

const CHAT = -100_777;

describe('ChatActor with tools, through the gateway and the Groq emulator', () => {
  it('runs the tool the model calls and sends an answer built on its result', async () => {
    const tools = new FakeTools(async () => FORECAST);
    const { h, llm, lastPrompt, sentTo } = setUp(tools);
    const trigger = h.say(CHAT, 'Лёха, какая погода в Питере?');
    await waitFor('the reply', () => sentTo(CHAT).length === 1);

    expect(tools.calls).toHaveLength(1);
    const [ran] = tools.calls;
    expect(ran?.caller).toEqual({ chatId: CHAT, userId: 5, language: 'ru', messageId: trigger });
    expect(ran?.call.name).toBe('weather');
    expect(JSON.parse(ran?.call.arguments ?? '')).toEqual({ city: 'Питере' });
    const [reply] = sentTo(CHAT);
    expect(reply?.text).toContain(FORECAST);
    expect(reply?.replyTo).toBe(trigger);

    expect(h.counters.toolCalls.value).toBe(1);
    expect(h.counters.repliesSent.value).toBe(1);
    expect(llm.stats()).toMatchObject({ toolCallReplies: 1, modelReplies: 2 });
    const prompt = await lastPrompt(CHAT);
    expect(prompt).toMatchObject({ tools: ['weather'], toolChoice: 'auto' });
    expect(prompt?.toolRounds).toEqual([
      { calls: [{ id: ran?.call.id, name: 'weather', arguments: ran?.call.arguments, result: FORECAST }] },
    ]);
    const state = await h.state(CHAT);
    expect(state.chat.inFlight).toBeNull();
    expect(state.chat.answered).toContain(trigger);
  });

  it('tells the model a tool failed when its host rejects, and still replies', async () => {
    const tools = new FakeTools(async () => {
      throw new Error('weather service exploded');
    });
    const { h, logger, sentTo } = setUp(tools);
    h.say(CHAT, 'Лёха, какая погода в Питере?');
    await waitFor('the reply', () => sentTo(CHAT).length === 1);
    expect(sentTo(CHAT)[0]?.text).toContain('error: the tool failed');
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg.includes('tool host rejected'))).toBe(true);
    expect(h.counters.repliesSent.value).toBe(1);
  });

  it('gives up a hanging tool when the round times out: its call is aborted and the reply still goes out', async () => {
    const tools = new FakeTools(
      (_call, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    const { h, sentTo } = setUp(tools, { toolRoundTimeoutMs: 5000 });
    h.say(CHAT, 'Лёха, какая погода в Питере?');
    await waitFor('the tool call', () => tools.calls.length === 1);
    await h.clock.advance(5000);
    await waitFor('the reply', () => sentTo(CHAT).length === 1);
    expect(sentTo(CHAT)[0]?.text).toContain('error: the tool did not answer in time');
    expect(tools.calls[0]?.signal.aborted).toBe(true);
    expect(h.counters.toolTimeouts.value).toBe(1);
  });

  it('asks for a plain answer after the last round when the model keeps calling tools', async () => {
    const tools = new FakeTools(async () => FORECAST);
    const { h, llm, sentTo, lastPrompt } = setUp(tools);
    groq.scriptToolCalls({ kind: 'call', calls: [{ name: 'weather', arguments: { city: 'Питер' } }], count: 10 });
    h.say(CHAT, 'Лёха, какая погода в Питере?');
    await waitFor('the reply', () => sentTo(CHAT).length === 1);
    expect(tools.calls).toHaveLength(3);
    expect(llm.stats()).toMatchObject({ toolCallReplies: 3, modelReplies: 4 });
    const prompt = await lastPrompt(CHAT);
    expect(prompt?.toolChoice).toBe('none');
    expect(prompt?.toolRounds).toHaveLength(3);
    expect(sentTo(CHAT)[0]?.text).toContain(FORECAST);
  });

  it('does not run a call to an unknown tool or one with malformed arguments, and the model hears why', async () => {
    const tools = new FakeTools(async () => FORECAST);
    const { h, sentTo, logger } = setUp(tools);
    groq.scriptToolCalls({
      kind: 'call',
      calls: [
        { name: 'horoscope', arguments: { phone: '+79161234567' } },
        { name: 'weather', arguments: '{"city": "Пит, спросить у +79161234567' },
      ],
    });
    h.say(CHAT, 'Лёха, что думаешь?');
    await waitFor('the reply', () => sentTo(CHAT).length === 1);
    expect(tools.calls).toHaveLength(0);
    const text = sentTo(CHAT)[0]?.text ?? '';
    expect(text).toContain('error: no such tool');
    expect(text).toContain('not a JSON object');
    expect(h.counters.toolCallsRefused.value).toBe(2);
    // The refusal is logged by tool name and reason; what the model wrote in the arguments stays out.
    expect(logger.lines.some((l) => l.msg.includes('not run'))).toBe(true);
    expect(JSON.stringify(logger.lines)).not.toContain('79161234567');
  });

  it('replies in text when Groq cannot parse the call the model wrote', async () => {
    const tools = new FakeTools(async () => FORECAST);
    const { h, llm, sentTo } = setUp(tools);
    groq.scriptToolCalls({ kind: 'tool-use-failed' });
    h.say(CHAT, 'Лёха, какая погода в Питере?');
    await waitFor('the reply', () => sentTo(CHAT).length === 1);
    expect(tools.calls).toHaveLength(0);
    expect(sentTo(CHAT)[0]?.text).toContain('какая погода в Питере');
    expect(llm.stats().malformedToolCalls).toBe(1);
  });
});
