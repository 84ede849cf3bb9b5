import { describe, expect, it } from 'vitest';
import { llmBreakers, readinessProbes } from '../src/health-ports.js';
import type { LlmGateway } from '../src/llm/index.js';
import type { TelegramEdge } from '../src/telegram/index.js';

type Status = ReturnType<TelegramEdge['status']>;

function telegram(over: Partial<Status>): Pick<TelegramEdge, 'status'> {
  const status = { mode: 'polling', ingressRunning: true, lastPollError: null, ...over } as Status;
  return { status: () => status };
}

describe('readiness probes', () => {
  it('report ready when the database answers and Telegram ingress runs', async () => {
    const probes = readinessProbes({ ping: async () => undefined }, telegram({}));
    expect(probes.map((p) => p.name)).toEqual(['storage', 'telegram']);
    expect(await Promise.all(probes.map((p) => p.check()))).toEqual([{ ready: true }, { ready: true }]);
  });

  it('let a failing database ping fail the storage probe with its error', async () => {
    const [storage] = readinessProbes(
      { ping: async () => Promise.reject(new Error('connection refused')) },
      telegram({}),
    );
    await expect(Promise.resolve(storage?.check())).rejects.toThrow('connection refused');
  });

  it('name the mode and the last poll error when Telegram ingress is not running', async () => {
    const probes = readinessProbes(null, telegram({ ingressRunning: false, lastPollError: '401 Unauthorized' }));
    expect(probes.map((p) => p.name)).toEqual(['telegram']);
    expect(await probes[0]?.check()).toEqual({
      ready: false,
      reason: 'Telegram polling ingress is not running: 401 Unauthorized',
    });
  });
});

describe('readiness probes in cluster mode', () => {
  it('do not expect polling on a member that is not the leader, and do on the leader', async () => {
    const stopped = telegram({ ingressRunning: false, stalled: true, stalledForMs: 90_000 });
    let leader = false;
    const [probe] = readinessProbes(null, stopped, { pollsHere: () => leader });
    expect(await probe?.check()).toEqual({ ready: true });
    leader = true;
    expect(await probe?.check()).toMatchObject({ ready: false });
  });

  it('still expect the webhook route on every member', async () => {
    const [probe] = readinessProbes(null, telegram({ mode: 'webhook', ingressRunning: false }), {
      pollsHere: () => false,
    });
    expect(await probe?.check()).toMatchObject({ ready: false, reason: expect.stringContaining('webhook') });
  });
});

describe('LLM breaker on the alerts panel', () => {
  it('shows the gateway breaker state in the API spelling with the failure count', () => {
    const stats = { breaker: 'half-open', failures: 7 } as ReturnType<LlmGateway['stats']>;
    expect(llmBreakers({ stats: () => stats }).breakers()).toEqual([
      { name: 'groq', state: 'half_open', since: null, failures: 7 },
    ]);
  });
});
