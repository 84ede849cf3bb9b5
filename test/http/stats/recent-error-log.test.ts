import { describe, expect, it } from 'vitest';
import { RecentErrorLog } from '../../../src/http/index.js';

describe('RecentErrorLog', () => {
  it('keeps warnings and errors from pino lines, newest first, up to its capacity', () => {
    const log = new RecentErrorLog(2);
    log.write(`${JSON.stringify({ level: 30, time: 1, msg: 'info is not an alert' })}\n`);
    log.write(JSON.stringify({ level: 50, time: 2, msg: 'first', err: { message: 'x' } }));
    log.write(JSON.stringify({ level: 60, time: 3, msg: 'second', code: 'E_FATAL' }));
    log.write(JSON.stringify({ level: 40, time: 4, msg: 'third', chatId: -7 }));
    expect(log.recent(10)).toEqual([
      { at: new Date(4).toISOString(), level: 'warn', message: 'third', code: null, detail: 'chatId=-7' },
      { at: new Date(3).toISOString(), level: 'fatal', message: 'second', code: 'E_FATAL', detail: null },
    ]);
    expect(log.recent(1)).toHaveLength(1);
  });

  it('counts lines it cannot read instead of throwing into the logger', () => {
    const log = new RecentErrorLog();
    log.write('not json');
    log.write('42');
    expect(log.unreadable).toBe(2);
    expect(log.recent(5)).toEqual([]);
  });
});
