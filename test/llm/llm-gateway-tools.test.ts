import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChatTurn, LlmGateway, type LlmGatewayOptions, type LlmRequest } from '../../src/llm/index.js';
import type { ToolSpec } from '../../src/ports/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { GroqEmulator } from '../../src/sandbox/index.js';
import { RecordingGroqProxy } from '../support/recording-groq-proxy.js';

let groq: GroqEmulator;
let proxy: RecordingGroqProxy;

beforeAll(async () => {
  groq = await GroqEmulator.start({ latency: 1 });
  proxy = await RecordingGroqProxy.start(groq.baseURL);
});
afterAll(async () => {
  await proxy.close();
  await groq.close();
});
beforeEach(() => {
  groq.clearFaults();
  groq.clearToolScripts();
  proxy.completions.length = 0;
});

const weather: ToolSpec = {
  name: 'weather',
  description: 'Погода в городе сейчас (current weather in a city)',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function gateway(options: Partial<LlmGatewayOptions> = {}): LlmGateway {
  return new LlmGateway({
    apiKey: groq.apiKey,
    baseURL: proxy.url,
    models: ['llama-3.1-8b-instant'],
    requestsPerMinute: 10_000,
    tokensPerMinute: 10_000_000,
    retryBaseMs: 5,
    clock: new SystemClock(),
    metrics: new MetricsRegistry(),
    ...options,
  });
}

let nextChat = 1;
function ask(text: string, overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    chatId: nextChat++,
    userId: 77,
    messages: [
      { role: 'system', content: 'persona' },
      { role: 'user', content: text },
    ],
    tools: [weather],
    ...overrides,
  };
}

describe('LlmGateway tool calls through the Groq emulator', () => {
  it('offers the tools with tool_choice auto and returns the calls the model asks for, with no text', async () => {
    const llm = gateway();
    const reply = await llm.complete(ask('Лёха, какая погода в Питере?'));
    expect(reply.source).toBe('groq');
    expect(reply.text).toBe('');
    expect(reply.toolCalls).toHaveLength(1);
    const [call] = reply.toolCalls ?? [];
    expect(call?.name).toBe('weather');
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ city: 'Питере' });
    expect(call?.id).toMatch(/^call_/);
    expect(reply.promptTokens).toBeGreaterThan(0);
    expect(reply.completionTokens).toBeGreaterThan(0);

    const sent = proxy.completions[0] as unknown as Record<string, unknown>;
    expect(sent['tool_choice']).toBe('auto');
    expect(sent['tools']).toEqual([{ type: 'function', function: weather }]);
    const stats = llm.stats();
    expect(stats.toolCallReplies).toBe(1);
    expect(stats.recent[0]).toMatchObject({ source: 'groq', toolCalls: 1 });
  });

  it('sends the assistant tool calls and the tool results back and gets a text answer built on them', async () => {
    const llm = gateway();
    const first = await llm.complete(ask('Лёха, какая погода в Питере?'));
    const call = first.toolCalls?.[0];
    if (call === undefined) throw new Error('expected a tool call');
    const messages: ChatTurn[] = [
      { role: 'system', content: 'persona' },
      { role: 'user', content: 'Лёха, какая погода в Питере?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }],
      },
      { role: 'tool', tool_call_id: call.id, content: 'Санкт-Петербург: +3°C, дождь' },
    ];
    const second = await llm.complete(ask('', { messages }));
    expect(second.toolCalls).toBeUndefined();
    expect(second.text).toContain('Санкт-Петербург: +3°C, дождь');
    expect(proxy.completions[1]?.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: call.id,
      content: 'Санкт-Петербург: +3°C, дождь',
    });
  });

  it('asks for a plain answer with tool_choice none', async () => {
    const reply = await gateway().complete(ask('Лёха, какая погода в Питере?', { toolChoice: 'none' }));
    expect(reply.toolCalls).toBeUndefined();
    expect(reply.text).toContain('погода в Питере');
    expect((proxy.completions[0] as unknown as Record<string, unknown>)['tool_choice']).toBe('none');
  });

  it('sends neither tools nor tool_choice when the request has no tools', async () => {
    const reply = await gateway().complete(ask('Лёха, какая погода в Питере?', { tools: [] }));
    expect(reply.toolCalls).toBeUndefined();
    const sent = proxy.completions[0] as unknown as Record<string, unknown>;
    expect(sent['tools']).toBeUndefined();
    expect(sent['tool_choice']).toBeUndefined();
  });

  it('passes arguments that are not valid JSON on as the model wrote them', async () => {
    groq.scriptToolCalls({ kind: 'call', calls: [{ name: 'weather', arguments: '{"city": "Пите' }] });
    const reply = await gateway().complete(ask('hi'));
    expect(reply.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'weather', arguments: '{"city": "Пите' },
    ]);
  });

  it('reads calls with a missing id or arguments written as an object, and drops entries without a function name', async () => {
    groq.scriptToolCalls({
      kind: 'raw',
      toolCalls: [
        { type: 'function', function: { name: 'weather', arguments: { city: 'Москва' } } },
        { id: 'call_x', type: 'function', function: { arguments: '{}' } },
        'nonsense',
      ],
    });
    const llm = gateway();
    const reply = await llm.complete(ask('hi'));
    expect(reply.toolCalls).toEqual([{ id: 'call_0', name: 'weather', arguments: '{"city":"Москва"}' }]);
    expect(llm.stats().malformedToolCalls).toBe(2);
  });

  it('asks again for a plain answer when no tool call of the reply can be read', async () => {
    groq.scriptToolCalls({ kind: 'raw', toolCalls: [{ id: 'call_1', type: 'function', function: { name: '' } }] });
    const llm = gateway();
    const reply = await llm.complete(ask('Лёха, какая погода в Питере?'));
    expect(reply.source).toBe('groq');
    expect(reply.toolCalls).toBeUndefined();
    expect(reply.text.length).toBeGreaterThan(0);
    const choices = proxy.completions.map((c) => (c as unknown as Record<string, unknown>)['tool_choice']);
    expect(choices).toEqual(['auto', 'none']);
    expect(llm.stats()).toMatchObject({ malformedToolCalls: 1, failures: 1 });
  });

  it('asks again for a plain answer when Groq answers 400 tool_use_failed', async () => {
    groq.scriptToolCalls({ kind: 'tool-use-failed' });
    const llm = gateway();
    const reply = await llm.complete(ask('Лёха, какая погода в Питере?'));
    expect(reply).toMatchObject({ source: 'groq' });
    expect(reply.text).toContain('погода в Питере');
    const choices = proxy.completions.map((c) => (c as unknown as Record<string, unknown>)['tool_choice']);
    expect(choices).toEqual(['auto', 'none']);
    expect(llm.stats()).toMatchObject({ malformedToolCalls: 1, failures: 1 });
  });

  it('answers offline, without throwing, when the API refuses the tool conversation', async () => {
    const llm = gateway();
    const messages: ChatTurn[] = [
      { role: 'user', content: 'Лёха, какая погода?' },
      { role: 'tool', tool_call_id: 'call_nowhere', content: '+3°C' },
    ];
    const reply = await llm.complete(ask('', { messages }));
    expect(reply).toMatchObject({ source: 'offline', offlineReason: 'rejected' });
    expect(reply.toolCalls).toBeUndefined();
  });

  it('answers offline, never with tool calls, when there is no key', async () => {
    const offline = new LlmGateway({
      models: ['llama-3.1-8b-instant'],
      clock: new SystemClock(),
      metrics: new MetricsRegistry(),
    });
    const reply = await offline.complete(ask('Лёха, какая погода в Питере?'));
    expect(reply).toMatchObject({ source: 'offline', offlineReason: 'no-api-key' });
    expect(reply.toolCalls).toBeUndefined();
    expect(reply.text.length).toBeGreaterThan(0);
  });

  it('counts the tools in the token estimate it reserves', async () => {
    // After a small call the minute budget lacks a little: enough for the messages, not for the tools as well.
    const big: ToolSpec = { ...weather, description: 'x'.repeat(6000) };
    const llm = gateway({ tokensPerMinute: 1500, maxTokens: 100, budgetWaitMs: 1 });
    expect((await llm.complete(ask('hi', { tools: [] }))).source).toBe('groq');
    expect((await llm.complete(ask('hi', { tools: [] }))).source).toBe('groq');
    const reply = await llm.complete(ask('hi', { tools: [big] }));
    expect(reply).toMatchObject({ source: 'offline', offlineReason: 'account-budget' });
  });
});
