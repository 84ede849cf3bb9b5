import type { Logger } from '../../src/runtime/index.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: object;
  msg: string;
}

/** A `Logger` that keeps every line, for tests that check what an operator would read. */
export class CapturingLogger implements Logger {
  readonly lines: LogLine[] = [];

  info(obj: object, msg: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }

  warn(obj: object, msg: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }

  error(obj: object, msg: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
}
