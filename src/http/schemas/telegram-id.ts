import { type TInteger, Type } from 'typebox';

/**
 * Telegram ids as the admin API accepts them. Telegram documents ids as
 * fitting in 52 significant bits (a double holds them exactly); anything
 * beyond, like `1e23` or 2^63, names no chat or user and is refused here,
 * before it reaches a query. Chat ids are negative for groups, user ids
 * positive.
 */
export const TelegramId = {
  maxAbs: 2 ** 52,

  chat(description = 'Telegram chat id (negative for groups)'): TInteger {
    return Type.Integer({ minimum: -TelegramId.maxAbs, maximum: TelegramId.maxAbs, description });
  },

  user(description = 'Telegram user id'): TInteger {
    return Type.Integer({ minimum: 1, maximum: TelegramId.maxAbs - 1, description });
  },
};
