import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BUILTIN_PLUGINS, definePlugin, PluginHttpError } from '../../src/plugins/index.js';
import {
  clip,
  dateTimeFormat,
  formatNumber,
  numberFormat,
  pluralRules,
  upstream,
  yearOf,
} from '../../src/plugins/integrations/integration-kit.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const down = new PluginHttpError('api.example.org', 503, 'answered 503');
const busy = new PluginHttpError('api.example.org', 429, 'answered 429');
const heldBack = new PluginHttpError('api.example.org', 429, "too many requests (the bot's own limit)", {
  failure: 'own-limit',
});

/** `/up <503|429|bug>` fails the way it is told, through the integration kit. */
const flaky = definePlugin({
  name: 'flaky',
  version: '1.0.0',
  kind: 'integration',
  description: 'Flaky',
  setup(p) {
    p.command(
      'up',
      (ctx) =>
        upstream(
          () =>
            Promise.reject(
              ({ '429': busy, own: heldBack, bug: new TypeError('x is undefined') } as Record<string, Error>)[
                ctx.args
              ] ?? down,
            ),
          ctx.language,
          { en: 'The weather service', ru: 'Сервис погоды' },
        ),
      {
        description: 'fails',
        tool: { description: 'fails', parameters: z.object({}), args: () => '503' },
      },
    );
  },
});

describe('the integration kit', () => {
  it("answers an upstream's failure in persona, and counts it against the plugin's breaker", async () => {
    const { host } = await hostOf([...BUILTIN_PLUGINS, flaky], { breaker: { failureThreshold: 3 } });
    const run = async (args: string, language: 'ru' | 'en' = 'ru') =>
      (await host.runCommand(-100, callOf('flaky', 'up', args, language), {}, chatAccess(), live)).texts;
    expect(await run('503')).toEqual(['Сервис погоды сейчас не отвечает. Попробуй чуть позже.']);
    expect(await run('429', 'en')).toEqual(['The weather service says too many requests just now. Give it a minute.']);
    // A bug is not the upstream's: the generic line, not a false excuse.
    expect(await run('bug')).toEqual(['Это у меня сейчас не работает, попробуй чуть позже.']);
    expect(host.info('flaky').stats.failures).toBe(3);
    expect(host.info('flaky').breaker).toBe('open');
  });

  it("answers busy without opening the breaker when the bot's own rate limit held the request back", async () => {
    const { host } = await hostOf([...BUILTIN_PLUGINS, flaky], { breaker: { failureThreshold: 2 } });
    for (let i = 0; i < 4; i++) {
      const { texts } = await host.runCommand(-100, callOf('flaky', 'up', 'own'), {}, chatAccess(), live);
      expect(texts).toEqual(['Сервис погоды говорит, что запросов слишком много. Дай ему минутку.']);
    }
    expect(host.info('flaky').stats.failures).toBe(4);
    expect(host.info('flaky').breaker).toBe('closed');
  });

  it('gives the model the in-persona line of a failed tool', async () => {
    const { host } = await hostOf([...BUILTIN_PLUGINS, flaky]);
    const text = await host.runTool(
      { chatId: -100, userId: 5, language: 'en', messageId: 1 },
      { id: 'c1', name: 'up', arguments: '{}' },
      {},
      chatAccess(),
      live,
    );
    expect(text).toBe("error: The weather service isn't answering right now. Try again a bit later.");
  });

  it('clips long answers at a line end under the limit and formats numbers per language', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of the list`).join('\n');
    const clipped = clip(lines, 1000);
    expect(clipped.length).toBeLessThanOrEqual(1000);
    expect(clipped.endsWith('of the list…')).toBe(true);
    expect(clip('short', 1000)).toBe('short');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatNumber(1234.5, 'ru')).toBe('1\u00a0234,5');
  });

  it('builds each Intl formatter once per locale and options, and formats as a new one would', () => {
    const day = new Date('2024-06-10T00:00:00Z');
    const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
    expect(dateTimeFormat('ru', options)).toBe(dateTimeFormat('ru', { ...options }));
    expect(dateTimeFormat('ru', options)).not.toBe(dateTimeFormat('uk', options));
    expect(dateTimeFormat('ru', options)).not.toBe(dateTimeFormat('ru', { ...options, timeZone: 'Europe/Moscow' }));
    expect(dateTimeFormat('ru', options).format(day)).toBe(new Intl.DateTimeFormat('ru', options).format(day));
    expect(numberFormat('en-US', { useGrouping: false })).toBe(numberFormat('en-US', { useGrouping: false }));
    expect(numberFormat('en-US', { useGrouping: false, maximumFractionDigits: 20 }).format(1.2e-7)).toBe('0.00000012');
    expect(pluralRules('ru')).toBe(pluralRules('ru'));
    expect([1, 3, 5].map((n) => pluralRules('ru').select(n))).toEqual(['one', 'few', 'many']);
  });

  it('reads the year of the dates APIs give, and nothing of an empty or odd one', () => {
    expect(yearOf('2021-09-15')).toBe('2021');
    expect(yearOf('1988-01-01T12:00:00Z')).toBe('1988');
    expect(yearOf('1999')).toBe('1999');
    expect(yearOf('')).toBeNull();
    expect(yearOf(null)).toBeNull();
    expect(yearOf('20210915')).toBeNull();
  });
});
