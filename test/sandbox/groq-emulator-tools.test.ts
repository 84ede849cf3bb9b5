import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GroqEmulator } from '../../src/sandbox/index.js';

let groq: GroqEmulator;

beforeAll(async () => {
  groq = await GroqEmulator.start();
});
afterAll(async () => {
  await groq.close();
});
beforeEach(() => {
  groq.clearToolScripts();
});

const weather = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Погода в городе',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' } },
      required: ['city', 'days'],
    },
  },
};
const coin = { type: 'function', function: { name: 'coin_flip', description: 'Flip a coin' } };

interface Completion {
  status: number;
  body: {
    choices?: Array<{
      message: {
        content: string | null;
        tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
      };
      finish_reason: string;
    }>;
    error?: { message: string; code: string };
  };
}

async function complete(body: Record<string, unknown>): Promise<Completion> {
  const response = await fetch(`${groq.baseURL}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${groq.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'llama-3.1-8b-instant', ...body }),
  });
  return { status: response.status, body: (await response.json()) as Completion['body'] };
}

const user = (content: string) => ({ role: 'user', content });
const callMessage = (id: string) => ({
  role: 'assistant',
  content: null,
  tool_calls: [{ id, type: 'function', function: { name: 'weather', arguments: '{}' } }],
});

describe('Groq emulator tool calls', () => {
  it('calls the tool whose description keyword the message uses, filling required arguments from the rest', async () => {
    const { status, body } = await complete({
      messages: [user('Лёха, какая погода на 3 дня в Питере?')],
      tools: [coin, weather],
    });
    expect(status).toBe(200);
    const choice = body.choices?.[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls?.[0]?.function.name).toBe('weather');
    expect(JSON.parse(choice?.message.tool_calls?.[0]?.function.arguments ?? '')).toEqual({
      city: '3 дня в Питере',
      days: 3,
    });
  });

  it('calls a tool named in the message, and matches inflected keywords', async () => {
    const named = await complete({ messages: [user('do a coin_flip please')], tools: [weather, coin] });
    expect(named.body.choices?.[0]?.message.tool_calls?.[0]?.function.name).toBe('coin_flip');
    const inflected = await complete({ messages: [user('что с погодой?')], tools: [weather] });
    expect(inflected.body.choices?.[0]?.message.tool_calls?.[0]?.function.name).toBe('weather');
  });

  it('answers in text when no tool fits, and with the first tool when a call is required', async () => {
    const free = await complete({ messages: [user('как дела?')], tools: [weather] });
    expect(free.body.choices?.[0]).toMatchObject({ finish_reason: 'stop' });
    expect(free.body.choices?.[0]?.message.content).toContain('как дела?');
    const required = await complete({ messages: [user('как дела?')], tools: [weather], tool_choice: 'required' });
    expect(required.body.choices?.[0]?.message.tool_calls?.[0]?.function.name).toBe('weather');
    const named = await complete({
      messages: [user('как дела?')],
      tools: [weather, coin],
      tool_choice: { type: 'function', function: { name: 'coin_flip' } },
    });
    expect(named.body.choices?.[0]?.message.tool_calls?.[0]?.function.name).toBe('coin_flip');
  });

  it('answers in text with tool_choice none, and keeps its answer for requests without tools', async () => {
    const none = await complete({ messages: [user('какая погода?')], tools: [weather], tool_choice: 'none' });
    const plain = await complete({ messages: [user('какая погода?')] });
    expect(none.body.choices?.[0]?.finish_reason).toBe('stop');
    expect(none.body.choices?.[0]?.message.content).toBe(plain.body.choices?.[0]?.message.content);
    expect(plain.body.choices?.[0]?.message.content).toContain('какая погода?');
  });

  it('quotes the tool results once the conversation ends with them', async () => {
    const { status, body } = await complete({
      messages: [
        user('какая погода в Питере?'),
        callMessage('call_1'),
        { role: 'tool', tool_call_id: 'call_1', content: '+3°C, дождь' },
      ],
      tools: [weather],
    });
    expect(status).toBe(200);
    expect(body.choices?.[0]?.finish_reason).toBe('stop');
    expect(body.choices?.[0]?.message.content).toContain('+3°C, дождь');
  });

  it('answers with scripted calls first, each script for its count of requests', async () => {
    groq.scriptToolCalls({ kind: 'call', calls: [{ name: 'coin_flip', arguments: 'not json' }], count: 2 });
    for (let i = 0; i < 2; i++) {
      const { body } = await complete({ messages: [user('как дела?')], tools: [weather, coin] });
      expect(body.choices?.[0]?.message.tool_calls?.[0]?.function).toEqual({
        name: 'coin_flip',
        arguments: 'not json',
      });
    }
    const after = await complete({ messages: [user('как дела?')], tools: [weather, coin] });
    expect(after.body.choices?.[0]?.finish_reason).toBe('stop');
  });

  it('scripts through its control route, answers tool_use_failed as Groq does, and clears scripts', async () => {
    const post = (body: unknown) =>
      fetch(`${groq.baseURL}/_emulator/tool-calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ kind: 'call', calls: [] })).status).toBe(400);
    expect((await post({ kind: 'tool-use-failed' })).status).toBe(200);
    const failed = await complete({ messages: [user('какая погода?')], tools: [weather] });
    expect(failed.status).toBe(400);
    expect(failed.body.error?.code).toBe('tool_use_failed');
    expect((await post({ kind: 'text', count: 3 })).status).toBe(200);
    await fetch(`${groq.baseURL}/_emulator/tool-calls`, { method: 'DELETE' });
    const cleared = await complete({ messages: [user('какая погода?')], tools: [weather] });
    expect(cleared.body.choices?.[0]?.finish_reason).toBe('tool_calls');
  });

  const invalid: Array<{ name: string; body: Record<string, unknown>; message: RegExp }> = [
    {
      name: 'a tool message without tool_call_id',
      body: { messages: [user('x'), callMessage('call_1'), { role: 'tool', content: 'r' }] },
      message: /'messages\.2'.*tool_call_id/,
    },
    {
      name: 'a tool message with no assistant tool call before it',
      body: { messages: [user('x'), { role: 'tool', tool_call_id: 'call_1', content: 'r' }] },
      message: /'messages\.1\.tool_call_id'/,
    },
    {
      name: 'a tool message answering an id the assistant did not call',
      body: { messages: [user('x'), callMessage('call_1'), { role: 'tool', tool_call_id: 'call_2', content: 'r' }] },
      message: /'call_2' does not answer/,
    },
    {
      name: 'an assistant tool call left unanswered',
      body: { messages: [user('x'), callMessage('call_1'), user('y')] },
      message: /'messages\.1'.*call_1/,
    },
    {
      name: 'tool calls on a user message',
      body: { messages: [{ ...callMessage('call_1'), role: 'user', content: 'x' }] },
      message: /only 'role:assistant'/,
    },
    {
      name: 'an assistant message with neither content nor tool calls',
      body: { messages: [user('x'), { role: 'assistant', content: null }] },
      message: /'messages\.1\.content'/,
    },
    {
      name: 'a tool call without a function name',
      body: {
        messages: [
          user('x'),
          { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }] },
        ],
      },
      message: /messages\.1\.tool_calls\.0\.function\.name/,
    },
    {
      name: 'a tool name outside the allowed characters',
      body: { messages: [user('x')], tools: [{ type: 'function', function: { name: 'weather now' } }] },
      message: /tools\.0\.function\.name/,
    },
    {
      name: 'two tools with one name',
      body: { messages: [user('x')], tools: [weather, weather] },
      message: /duplicate tool name 'weather'/,
    },
    {
      name: 'tool_choice without tools',
      body: { messages: [user('x')], tool_choice: 'auto' },
      message: /'tool_choice'/,
    },
    {
      name: 'a named tool_choice that is not offered',
      body: { messages: [user('x')], tools: [weather], tool_choice: { type: 'function', function: { name: 'nope' } } },
      message: /no tool named 'nope'/,
    },
  ];
  it.each(invalid)('rejects $name with 400 naming the field', async ({ body, message }) => {
    const { status, body: answer } = await complete(body);
    expect(status).toBe(400);
    expect(answer.error?.message).toMatch(message);
  });
});
