import { describe, expect, it } from 'vitest';
import { isAddressed } from '../../src/actors/index.js';
import type { BotIdentity, TelegramMessage } from '../../src/telegram/index.js';

const bot: BotIdentity = { id: 999, username: 'lekha_bot', firstName: 'Лёха', canReadAllGroupMessages: true };
const human = { id: 1, is_bot: false, first_name: 'Маша' };
const group = { id: -10, type: 'supergroup' as const, title: 'g' };

function message(text: string, extra: Partial<TelegramMessage> = {}): TelegramMessage {
  return { message_id: 1, date: 1, chat: group, from: human, text, ...extra };
}

describe('isAddressed', () => {
  it.each([
    ['his name', 'Лёха, привет', true],
    ['his name without ё', 'леха ты где', true],
    ['a vocative form', 'Лёх, скажи', true],
    ['another case', 'спроси у Лёхи', true],
    ['the Latin name', 'hey Lekha what do you think', true],
    ['his @username', 'что думает @Lekha_Bot?', true],
    ['/start', '/start', true],
    ['/help for him', '/help@lekha_bot', true],
    ['/help for another bot', '/help@other_bot', false],
    ['a word that contains the name', 'алёхаааа', false],
    ['an unrelated message', 'кто едет на дачу?', false],
  ])('in a group, %s → %s', (_name, text, expected) => {
    expect(isAddressed(message(text), bot)).toBe(expected);
  });

  it('answers everything in a private chat', () => {
    expect(isAddressed(message('просто текст', { chat: { id: 1, type: 'private' } }), bot)).toBe(true);
  });

  it('answers a reply to one of its messages', () => {
    expect(isAddressed(message('ага', { reply_to_message: { message_id: 5, from: { id: 999, is_bot: true, first_name: 'Лёха' } } }), bot)).toBe(true);
  });

  it('never answers another bot', () => {
    expect(isAddressed(message('Лёха!', { from: { id: 5, is_bot: true, first_name: 'Spam' } }), bot)).toBe(false);
  });
});
