import { describe, expect, it } from 'vitest';
import {
  formatDistance,
  formatDuration,
  formatRoute,
  plausible,
} from '../../../../src/plugins/integrations/transport/route-format.js';
import type { Place } from '../../../../src/plugins/integrations/weather/place-choice.js';

const from: Place = { id: 1, name: 'Москва', latitude: 0, longitude: 0, country: 'Россия' };
const to: Place = { id: 2, name: 'Тверь', latitude: 0, longitude: 0, admin1: 'Тверская область', country: 'Россия' };

describe('route answers', () => {
  it('write distances and times as people read them', () => {
    expect(formatDistance(850, 'ru')).toBe('850 м');
    expect(formatDistance(4_350, 'ru')).toBe('4,4 км');
    expect(formatDistance(712_400, 'en')).toBe('712 km');
    expect(formatDuration(20, 'ru')).toBe('1 мин');
    expect(formatDuration(35 * 60, 'en')).toBe('35 min');
    expect(formatDuration(2 * 3600, 'ru')).toBe('2 ч');
    expect(formatDuration(8 * 3600 + 54 * 60, 'ru')).toBe('8 ч 54 мин');
    expect(formatDuration(47 * 3600, 'en')).toBe('1 d 23 h');
    expect(formatDuration(5 * 86_400, 'uk')).toBe('5 доб');
  });

  it("tells a route that cannot be the mode's by its speed", () => {
    expect(plausible('bike', 100_000, 5 * 3600)).toBe(true);
    expect(plausible('bike', 100_000, 3600)).toBe(false);
    expect(plausible('foot', 100_000, 3600)).toBe(false);
    expect(plausible('foot', 1500, 60)).toBe(true);
    expect(plausible('car', 100_000, 1800)).toBe(true);
  });

  it('lists each mode, and says when no road joins the places', () => {
    const route = { kind: 'route', distanceM: 178_000, durationS: 2.5 * 3600 } as const;
    expect(
      formatRoute(
        from,
        to,
        [
          { mode: 'car', outcome: route },
          { mode: 'bike', outcome: route },
          { mode: 'foot', outcome: { kind: 'no-road' } },
        ],
        'ru',
      ),
    ).toBe(
      [
        'Москва, Россия → Тверь, Тверская область, Россия',
        '🚗 На машине: 178 км, 2 ч 30 мин',
        '🚲 На велосипеде: сервер маршрутов считает только для машин',
        '🚶 Пешком: рядом с одной из точек нет дорог',
      ].join('\n'),
    );
    expect(formatRoute(from, to, [{ mode: 'car', outcome: { kind: 'no-route' } }], 'en')).toBe(
      'Москва, Россия → Тверь, Тверская область, Россия: no road joins them (there must be sea in between).',
    );
  });
});
