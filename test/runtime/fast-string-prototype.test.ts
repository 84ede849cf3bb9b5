import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fast-string-prototype-child.ts');

/** What the child saw of String.prototype, in a process of its own (the state is per process). */
function run(which: 'ioredis' | 'wiring'): Promise<Record<string, boolean>> {
  return new Promise((resolve, reject) => {
    let report: Record<string, boolean> | undefined;
    const proc = fork(child, [which], {
      execArgv: ['--allow-natives-syntax', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.on('message', (message: Record<string, boolean>) => (report = message));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      report !== undefined && code === 0 ? resolve(report) : reject(new Error(`child exited with ${code}`)),
    );
  });
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
