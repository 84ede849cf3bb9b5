import type { UpstreamFault } from '../../src/sandbox/index.js';

/**
 * Each fault an upstream can have, with the in-persona line a Russian-speaking
 * member gets for it from an integration calling `service` (as the plugin
 * names it): `it.each(upstreamFaultCases('Сервис фильмов'))(…)`. 429 and 5xx
 * come three times, outlasting the client's two retries.
 */
export function upstreamFaultCases(service: string): Array<[string, UpstreamFault, string]> {
  const down = `${service} сейчас не отвечает. Попробуй чуть позже.`;
  return [
    [
      '429',
      { kind: '429', count: 3, retryAfterS: 0 },
      `${service} говорит, что запросов слишком много. Дай ему минутку.`,
    ],
    ['5xx', { kind: '5xx', count: 3 }, down],
    ['malformed JSON', { kind: 'malformed' }, down],
    ['a timeout', { kind: 'timeout' }, down],
  ];
}
