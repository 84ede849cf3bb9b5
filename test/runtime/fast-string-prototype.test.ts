import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childReport } from '../support/child-report.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fast-string-prototype-child.ts');

/** What the child saw of String.prototype, in a process of its own (the state is per process). */
function run(which: 'ioredis' | 'wiring'): Promise<Record<string, boolean>> {
  return childReport(child, [which], ['--allow-natives-syntax']);
}

describe('keepStringPrototypeFast', () => {
  it('turns String.prototype back into a fast object after ioredis made it a dictionary', async () => {
    expect(await run('ioredis')).toEqual({
      atStart: true,
      afterIoredis: false,
      afterKeep: true,
      afterAnotherSubclass: true,
    });
  }, 60_000);

  it('is applied by the wiring once everything it imports is loaded', async () => {
    expect(await run('wiring')).toEqual({ atStart: true, afterWiring: true });
  }, 60_000);
});
