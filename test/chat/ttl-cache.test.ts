import { describe, expect, it } from 'vitest';
import { DerivedCache, TtlCache } from '../../src/chat/index.js';
import { ChatDriver } from './support/chat-fixture.js';

describe('TtlCache', () => {
  it('returns a value until its TTL passes, counting hits and misses', () => {
    const cache = new TtlCache<string>(1000);
    expect(cache.get('a', 0)).toBeUndefined();
    cache.set('a', 'x', 0);
    expect(cache.get('a', 999)).toBe('x');
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, expired: 1, size: 0 });
  });

  it('computes once within the TTL', () => {
    const cache = new TtlCache<number>(1000);
    let calls = 0;
    const compute = (): number => ++calls;
    expect(cache.getOrCompute('k', 0, compute)).toBe(1);
    expect(cache.getOrCompute('k', 500, compute)).toBe(1);
    expect(cache.getOrCompute('k', 1500, compute)).toBe(2);
    expect(calls).toBe(2);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new TtlCache<number>(10_000, 2);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.get('a', 1);
    cache.set('c', 3, 2);
    expect(cache.get('b', 3)).toBeUndefined();
    expect(cache.get('a', 3)).toBe(1);
    expect(cache.stats().evicted).toBe(1);
  });

  it('drops entries on explicit invalidation, by key or prefix, and sweeps expired ones', () => {
    const cache = new TtlCache<number>(1000);
    cache.set('user:1', 1, 0);
    cache.set('user:2', 2, 0);
    cache.set('report', 3, 0, 10_000);
    cache.invalidate('user:1');
    expect(cache.get('user:1', 1)).toBeUndefined();
    cache.invalidatePrefix('user:');
    expect(cache.get('user:2', 1)).toBeUndefined();
    cache.sweep(5000);
    expect(cache.get('report', 5001)).toBe(3);
    expect(cache.stats().invalidated).toBe(2);
  });

  it('goes on serving after a sweep or a clear has emptied it', () => {
    const cache = new TtlCache<number>(1000);
    cache.invalidate('never-set');
    cache.invalidatePrefix('never-');
    cache.sweep(0);
    cache.clear();
    cache.set('a', 1, 0);
    cache.sweep(1000);
    expect(cache.stats()).toMatchObject({ expired: 1, size: 0 });
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('b', 2, 1000);
    expect(cache.get('b', 1500)).toBe(2);
    cache.clear();
    expect(cache.get('b', 1500)).toBeUndefined();
    cache.set('c', 3, 1500);
    expect(cache.get('c', 1600)).toBe(3);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, expired: 1, invalidated: 1, size: 1 });
  });

  it('rejects a non-positive TTL or size at construction', () => {
    expect(() => new TtlCache(0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'defaultTtlMs' }));
    expect(() => new TtlCache(10, 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', option: 'maxEntries' }),
    );
  });
});

describe('DerivedCache', () => {
  it('serves the chat report from cache until a message invalidates it', () => {
    const driver = new ChatDriver();
    const cache = new DerivedCache();
    driver.say({ id: 1, name: 'Аня' }, 'привет всем');
    const first = cache.chatReport(driver.state, driver.nowMs);
    expect(cache.chatReport(driver.state, driver.nowMs)).toBe(first);
    const { result } = driver.say({ id: 2, name: 'Боря' }, 'и тебе привет');
    cache.invalidate(result.change);
    const second = cache.chatReport(driver.state, driver.nowMs);
    expect(second).not.toBe(first);
    expect(second.messages).toBe(2);
    expect(cache.stats().reports).toMatchObject({ hits: 1, misses: 2, invalidated: 1 });
  });

  it('invalidates only the analytics of members a message touched', () => {
    const driver = new ChatDriver();
    const cache = new DerivedCache();
    const anna = driver.say({ id: 1, name: 'Аня' }, 'привет');
    driver.say({ id: 3, name: 'Вика' }, 'всем хорошего дня');
    const vika = cache.userAnalytics(driver.state, 3, driver.nowMs);
    const annaBefore = cache.userAnalytics(driver.state, 1, driver.nowMs);
    const { result } = driver.say({ id: 2, name: 'Боря' }, 'спасибо, Аня!', { replyTo: anna.id, afterMs: 1000 });
    cache.invalidate(result.change);
    expect(cache.userAnalytics(driver.state, 3, driver.nowMs)).toBe(vika);
    expect(cache.userAnalytics(driver.state, 1, driver.nowMs)).not.toBe(annaBefore);
  });

  it('reuses a model reply for an identical prompt within its window only', () => {
    const cache = new DerivedCache({ replyTtlMs: 1000 });
    const messages = [{ role: 'user' as const, content: 'привет' }];
    cache.rememberReply(messages, 'здорово', 0);
    expect(cache.replyFor(messages, 500)).toBe('здорово');
    expect(cache.replyFor([{ role: 'user', content: 'привет!' }], 500)).toBeUndefined();
    expect(cache.replyFor(messages, 1500)).toBeUndefined();
  });
});
