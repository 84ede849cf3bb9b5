import { describe, expect, it } from 'vitest';
import {
  chatSettingsSchema,
  CHAT_STATE_VERSION,
  ChatSettingsInvalidError,
  ChatStateInvalidError,
  createChatState,
  DEFAULT_CHAT_SETTINGS,
  patchChatSettings,
  restoreChatState,
} from '../../src/chat/index.js';
import { Codec } from '../../src/runtime/index.js';
import { ChatDriver } from './support/chat-fixture.js';

describe('chat state persistence', () => {
  it('survives a msgpack round trip unchanged and still validates', () => {
    const driver = new ChatDriver();
    const anna = driver.say({ id: 1, name: 'Аня', username: 'anna' }, 'Привет! Кто идёт в кино?');
    driver.say({ id: 2, name: 'Боря' }, 'я иду, спасибо что позвала', { replyTo: anna.id });
    driver.say({ id: 1, name: 'Аня' }, 'Лёха, а ты?');
    const codec = new Codec();
    const restored = restoreChatState(codec.decode(codec.encode(driver.state)));
    expect(restored).toEqual(driver.state);
  });

  it('holds only plain data: no Map, Set or class instances', () => {
    const driver = new ChatDriver();
    driver.say({ id: 1, name: 'Аня' }, 'Лёха, привет');
    const check = (value: unknown, path: string): void => {
      if (value === null || typeof value !== 'object') return;
      const proto = Object.getPrototypeOf(value);
      expect(proto === Object.prototype || proto === Array.prototype, `${path} is plain`).toBe(true);
      for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`);
    };
    check(driver.state, 'state');
  });

  it('restores a chat whose plugins keep data nested deeper than the stack goes, leaving that data as it was', () => {
    let nested: unknown = ['leaf'];
    for (let depth = 0; depth < 200_000; depth++) nested = [nested];
    const state = { ...createChatState(-1, 'group', 0), pluginData: { deep: nested } };
    const restored = restoreChatState(state);
    expect(restored.pluginData?.deep).toBe(nested);
  });

  it('refuses a snapshot of an unknown version with a non-retryable error', () => {
    const state = { ...createChatState(-1, 'group', 0), version: CHAT_STATE_VERSION + 1 };
    expect(() => restoreChatState(state)).toThrow(ChatStateInvalidError);
    try {
      restoreChatState(state);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CHAT_STATE_VERSION_UNKNOWN', retryable: false });
    }
  });

  it('refuses a corrupt snapshot and names the bad field', () => {
    const state = createChatState(-1, 'group', 0) as unknown as { chat: { hours: unknown } };
    state.chat.hours = 'lots';
    expect(() => restoreChatState(state)).toThrow(/chat\.hours/);
    expect(() => restoreChatState('garbage')).toThrow(ChatStateInvalidError);
  });
});

describe('chat settings', () => {
  it('applies a partial change and bumps the revision', () => {
    const next = patchChatSettings(DEFAULT_CHAT_SETTINGS, {
      mode: 'active',
      rateLimit: { capacity: 10 },
      bannedWords: ['Казино*', 'казино*'],
    });
    expect(next.mode).toBe('active');
    expect(next.rateLimit).toEqual({ capacity: 10, refillPerMinute: DEFAULT_CHAT_SETTINGS.rateLimit.refillPerMinute });
    expect(next.bannedWords).toEqual(['казино*']);
    expect(next.revision).toBe(DEFAULT_CHAT_SETTINGS.revision + 1);
  });

  it('rejects bad input with every problem named and changes nothing', () => {
    const before = structuredClone(DEFAULT_CHAT_SETTINGS);
    let error: unknown;
    try {
      patchChatSettings(DEFAULT_CHAT_SETTINGS, {
        mode: 'loud',
        rateLimit: { capacity: 0 },
        bannedWords: ['a b'],
        colour: 'red',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatSettingsInvalidError);
    const issues = (error as ChatSettingsInvalidError).issues.join('\n');
    expect(issues).toMatch(/mode/);
    expect(issues).toMatch(/rateLimit\.capacity/);
    expect(issues).toMatch(/bannedWords\.0/);
    expect(issues).toMatch(/colour/);
    expect(DEFAULT_CHAT_SETTINGS).toEqual(before);
  });

  it('reads settings stored before the reply language existed as auto', () => {
    const { language: _dropped, ...stored } = DEFAULT_CHAT_SETTINGS;
    expect(chatSettingsSchema.parse(stored).language).toBe('auto');
  });

  it('reads a snapshot from before personas (no persona setting) as the default persona, and keeps a chosen one', () => {
    const codec = new Codec();
    const old = new ChatDriver();
    old.say({ id: 1, name: 'Аня' }, 'привет');
    expect('persona' in old.state.settings).toBe(false);
    const restored = restoreChatState(codec.decode(codec.encode(old.state)));
    expect(restored.settings.persona).toBeUndefined();
    expect(restored.version).toBe(CHAT_STATE_VERSION);
    restored.settings = patchChatSettings(restored.settings, { persona: 'Вася' });
    const again = restoreChatState(codec.decode(codec.encode(restored)));
    expect(again.settings.persona).toBe('Вася');
    const reset = patchChatSettings(again.settings, { persona: null });
    expect('persona' in reset).toBe(false);
    expect(() => patchChatSettings(reset, { persona: '' })).toThrow(/persona: a persona name must not be empty/);
  });
});
