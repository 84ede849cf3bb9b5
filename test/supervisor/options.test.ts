import { describe, expect, it } from 'vitest';
import { RestartPolicy, Supervisor } from '../../src/supervisor/index.js';
import { CounterActor, newProbe } from '../support/counter-actor.js';

describe('supervisor options', () => {
  const create = (key: string) => new CounterActor(key, undefined, newProbe());

  it.each([
    [{ mailboxCapacity: 0 }, 'mailboxCapacity', /mailboxCapacity/],
    [{ idleMs: -1 }, 'idleMs', /idleMs/],
    [{ maxLive: 0 }, 'maxLive', /maxLive/],
    [{ askTimeoutMs: 0 }, 'askTimeoutMs', /askTimeoutMs/],
    [{ restart: { maxFailures: 0 } }, 'restart.maxFailures', /restart.maxFailures/],
    [{ restart: { minBackoffMs: 500, maxBackoffMs: 100 } }, 'restart.maxBackoffMs', /maxBackoffMs/],
    [{ dispatcher: { throughput: 0 } }, 'throughput', /throughput/],
  ])('refuses %o at construction with INVALID_OPTION and a message naming it', (options, option, message) => {
    expect(() => new Supervisor({ create, ...options })).toThrow(message);
    expect(() => new Supervisor({ create, ...options })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option, retryable: false }),
    );
  });

  it('computes exponential backoff capped at the maximum and prunes failures outside the window', () => {
    const policy = new RestartPolicy({ minBackoffMs: 100, maxBackoffMs: 300, maxFailures: 10, windowMs: 1000 });
    const failures: number[] = [];
    expect(policy.onFailure(failures, 0)).toEqual({ quarantine: false, backoffMs: 100 });
    expect(policy.onFailure(failures, 10)).toEqual({ quarantine: false, backoffMs: 200 });
    expect(policy.onFailure(failures, 20)).toEqual({ quarantine: false, backoffMs: 300 });
    expect(policy.onFailure(failures, 5000)).toEqual({ quarantine: false, backoffMs: 100 });
    expect(failures).toEqual([5000]);
  });

  it('spreads restart delays by the jitter its injected random source draws', () => {
    const policy = new RestartPolicy({
      minBackoffMs: 100,
      maxBackoffMs: 300,
      maxFailures: 10,
      windowMs: 1000,
      random: () => 0,
    });
    const failures: number[] = [];
    expect([0, 10, 20].map((at) => policy.onFailure(failures, at))).toEqual([
      { quarantine: false, backoffMs: 50 },
      { quarantine: false, backoffMs: 100 },
      { quarantine: false, backoffMs: 150 },
    ]);
  });
});
