import { describe, expect, it } from 'vitest';
import { routeOf, telegramUpdateSchema } from '../../src/telegram/index.js';

const chat = { id: -100, type: 'supergroup', title: 'g' };

describe('update validation and routing', () => {
  it.each([
    ['a message', { update_id: 1, message: { message_id: 1, date: 1, chat, text: 'hi' } }, { chatId: -100 }],
    ['an edited message', { update_id: 2, edited_message: { message_id: 1, date: 1, chat } }, { chatId: -100 }],
    [
      'a reaction',
      {
        update_id: 3,
        message_reaction: {
          chat,
          message_id: 1,
          date: 1,
          user: { id: 5, is_bot: false, first_name: 'A' },
          old_reaction: [],
          new_reaction: [
            { type: 'emoji', emoji: '👍' },
            { type: 'custom_emoji', custom_emoji_id: '42' },
          ],
        },
      },
      { chatId: -100 },
    ],
    ['a membership change', { update_id: 4, my_chat_member: { chat } }, { chatId: -100 }],
    [
      'a button press on a message',
      { update_id: 5, callback_query: { id: 'q', from: { id: 7, is_bot: false, first_name: 'A' }, message: { chat } } },
      { chatId: -100 },
    ],
    ['an inline query', { update_id: 6, inline_query: { id: 'x', query: 'q' } }, { ignoredKind: 'inline_query' }],
    ['a poll', { update_id: 7, poll: { id: 'p' } }, { ignoredKind: 'poll' }],
  ])('routes %s', (_name, raw, route) => {
    const parsed = telegramUpdateSchema.parse(raw);
    expect(routeOf(parsed)).toEqual(route);
  });

  it.each([
    ['no update_id', { message: { message_id: 1, date: 1, chat } }],
    ['a chat without an id', { update_id: 1, message: { message_id: 1, date: 1, chat: { type: 'group' } } }],
    ['a chat that is a string', { update_id: 1, message: { message_id: 1, date: 1, chat: 'x' } }],
    ['a negative update_id', { update_id: -4 }],
    ['not an object', 'hello'],
  ])('rejects an update with %s', (_name, raw) => {
    expect(telegramUpdateSchema.safeParse(raw).success).toBe(false);
  });

  it('keeps fields it does not check', () => {
    const parsed = telegramUpdateSchema.parse({
      update_id: 1,
      message: { message_id: 1, date: 1, chat, sticker: { file_id: 'f' } },
    });
    expect((parsed.message as Record<string, unknown>).sticker).toEqual({ file_id: 'f' });
  });
});
