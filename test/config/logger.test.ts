import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/config/index.js';
import { RecentErrorLog } from '../../src/http/index.js';

describe('createLogger with a tap', () => {
  it('copies warnings and errors to the tap even when LOG_LEVEL hides them from the output', () => {
    const tap = new RecentErrorLog();
    const logger = createLogger({ LOG_LEVEL: 'silent' }, { pretty: false, tap });
    logger.info('not copied');
    logger.warn({ chatId: -1 }, 'slow chat');
    logger.error({ err: new Error('disk full'), ADMIN_TOKEN: 'should-not-leak-0000' }, 'persist failed');
    const events = tap.recent(10);
    expect(events.map((e) => [e.level, e.message])).toEqual([
      ['error', 'persist failed'],
      ['warn', 'slow chat'],
    ]);
    expect(events[0]?.detail).toContain('disk full');
    expect(JSON.stringify(events)).not.toContain('should-not-leak');
  });
});
