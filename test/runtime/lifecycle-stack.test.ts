import { describe, expect, it } from 'vitest';
import { LifecycleStack } from '../../src/runtime/index.js';

function recordingLogger(): {
  logger: { info(): void; warn(): void; error(obj: object, msg: string): void };
  errors: string[];
} {
  const errors: string[] = [];
  return { logger: { info: () => undefined, warn: () => undefined, error: (_obj, msg) => errors.push(msg) }, errors };
}

describe('LifecycleStack', () => {
  it('closes resources in the reverse order of their registration', async () => {
    const closed: string[] = [];
    const stack = new LifecycleStack();
    for (const name of ['storage', 'telegram', 'memory', 'supervisor']) stack.push(name, () => void closed.push(name));
    expect(await stack.close()).toEqual([]);
    expect(closed).toEqual(['supervisor', 'memory', 'telegram', 'storage']);
  });

  it('runs every close when some fail, and reports and logs each failure', async () => {
    const closed: string[] = [];
    const { logger, errors } = recordingLogger();
    const stack = new LifecycleStack(logger);
    const boom = new Error('disk gone');
    stack.push('storage', () => void closed.push('storage'));
    stack.push('memory', () => Promise.reject(boom));
    stack.push('http', () => {
      throw new Error('socket');
    });
    stack.push('intake', () => void closed.push('intake'));
    const failures = await stack.close();
    expect(closed).toEqual(['intake', 'storage']);
    expect(failures.map((f) => f.name)).toEqual(['http', 'memory']);
    expect(failures[1]?.error).toBe(boom);
    expect(errors).toEqual(['closing http failed', 'closing memory failed']);
  });

  it('closes a reserved resource at its reserved place, and skips a place never filled', async () => {
    const closed: string[] = [];
    const stack = new LifecycleStack();
    stack.push('storage', () => void closed.push('storage'));
    const closeHttp = stack.reserve('http');
    stack.reserve('webhook');
    stack.push('telegram', () => void closed.push('telegram'));
    closeHttp(() => void closed.push('http'));
    stack.push('intake', () => void closed.push('intake'));
    await stack.close();
    expect(closed).toEqual(['intake', 'telegram', 'http', 'storage']);
  });

  it('closes nothing a second time', async () => {
    let closes = 0;
    const stack = new LifecycleStack();
    stack.push('pool', () => void closes++);
    await stack.close();
    await stack.close();
    expect(closes).toBe(1);
  });
});
