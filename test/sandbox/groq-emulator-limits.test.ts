import { afterEach, describe, expect, it } from 'vitest';
import { GroqEmulator } from '../../src/sandbox/index.js';

const emulators: GroqEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((groq) => groq.close()));
});

async function start(options: Parameters<typeof GroqEmulator.start>[0] = {}): Promise<GroqEmulator> {
  const groq = await GroqEmulator.start(options);
  emulators.push(groq);
  return groq;
}

function complete(groq: GroqEmulator): Promise<Response> {
  return fetch(`${groq.baseURL}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${groq.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'Привет' }] }),
  });
}

describe('the Groq emulator’s account limits', () => {
  it('states the limits it enforces in its headers and to the runtime that budgets against them', async () => {
    const groq = await start({ requestsPerMinute: 2, tokensPerMinute: 9000 });
    expect(groq.limits).toEqual({ requestsPerMinute: 2, tokensPerMinute: 9000 });
    const first = await complete(groq);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('9000');
    expect((await complete(groq)).status).toBe(200);
    const third = await complete(groq);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers every request without a configured limit, and says its limits are generous', async () => {
    const groq = await start();
    expect(groq.limits).toEqual({ requestsPerMinute: 14_400, tokensPerMinute: 10_000_000 });
    const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await complete(groq)).status));
    expect(statuses.every((status) => status === 200)).toBe(true);
  });
});

describe('the Groq emulator holding its answers', () => {
  it('answers nothing while held and everything once released', async () => {
    const groq = await start();
    const release = groq.hold();
    const answers = Promise.all([complete(groq), complete(groq), complete(groq)]);
    await waitUntil(() => groq.stats().requests === 3);
    // Every request arrived; none is answered while the model is held.
    await new Promise((resolve) => setImmediate(resolve));
    expect(groq.stats().completions).toBe(0);
    release();
    expect((await answers).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(groq.stats().completions).toBe(3);
    // Released: the next request is not held.
    expect((await complete(groq)).status).toBe(200);
  });

  it('closes with an answer still held by letting it go, instead of hanging', async () => {
    const groq = await start();
    groq.hold();
    const answer = complete(groq).then((r) => r.status);
    await waitUntil(() => groq.stats().requests === 1);
    await groq.close();
    emulators.splice(emulators.indexOf(groq), 1);
    expect(await answer).toBe(200);
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}
