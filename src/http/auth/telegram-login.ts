import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A Telegram user whose login data carried a valid signature. */
export interface TelegramLoginUser {
  id: number;
  username: string | undefined;
  firstName: string | undefined;
}

export type TelegramLoginCheck =
  { ok: true; user: TelegramLoginUser } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/** Login data may be dated this far in the future (clock skew between Telegram and us). */
const futureSkewS = 300;

/**
 * Checks the data the Telegram Login Widget hands the browser
 * (https://core.telegram.org/widgets/login#checking-authorization): the
 * `hash` is HMAC-SHA256 of the data-check-string (every other field as
 * `key=value`, sorted by key, joined by newlines) under SHA-256 of the
 * bot's token, compared in constant time; `auth_date` must be at most
 * `maxAgeS` old.
 */
export function checkTelegramLogin(
  fields: Readonly<Record<string, unknown>>,
  botToken: string,
  nowMs: number,
  maxAgeS: number,
): TelegramLoginCheck {
  const hash = fields.hash;
  const data: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'hash') continue;
    if (!/^[a-z_]{1,32}$/.test(key) || typeof value !== 'string') return { ok: false, reason: 'malformed' };
    data.push([key, value]);
  }
  const id = Number(fields.id);
  const authDate = Number(fields.auth_date);
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || !Number.isSafeInteger(id) || id <= 0)
    return { ok: false, reason: 'malformed' };
  if (!Number.isSafeInteger(authDate)) return { ok: false, reason: 'malformed' };

  data.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const checkString = data.map(([key, value]) => `${key}=${value}`).join('\n');
  const key = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', key).update(checkString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'bad-signature' };

  const ageS = nowMs / 1000 - authDate;
  if (ageS > maxAgeS || ageS < -futureSkewS) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    user: {
      id,
      username: typeof fields.username === 'string' ? fields.username : undefined,
      firstName: typeof fields.first_name === 'string' ? fields.first_name : undefined,
    },
  };
}
