import { Api, type ApiClientOptions } from 'grammy';
import { TelegramApiError } from './errors.js';

/**
 * A grammY `Api` whose every failed call throws {@link TelegramApiError}
 * instead of grammY's errors, so no error that leaves the Telegram edge
 * carries the request URL (it holds the bot token) or the call's payload.
 */
export function telegramApi(token: string, options: ApiClientOptions = {}): Api {
  const api = new Api(token, options);
  api.config.use(async (prev, method, payload, signal) => {
    let answer;
    try {
      answer = await prev(method, payload, signal);
    } catch (error) {
      throw TelegramApiError.from(method, error, token);
    }
    if (!answer.ok) throw TelegramApiError.refused(method, answer, token);
    return answer;
  });
  return api;
}
