import { fork } from 'node:child_process';

/**
 * Runs the TypeScript module `file` in a Node process of its own (through
 * tsx, with `nodeFlags` before it) and resolves with the one message it
 * sends back over IPC, once it exited with 0. For what holds for a whole
 * process: V8 flags, the state of a shared prototype.
 */
export function childReport<T>(file: string, args: readonly string[], nodeFlags: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    let report: T | undefined;
    const proc = fork(file, [...args], {
      execArgv: [...nodeFlags, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.on('message', (message: T) => (report = message));
    proc.on('error', reject);
    proc.on('exit', (code) =>
      report !== undefined && code === 0 ? resolve(report) : reject(new Error(`child exited with ${code}`)),
    );
  });
}
