import { describe, expect, it } from 'vitest';
import { parseForecastArgs } from '../../../../src/plugins/integrations/weather/weather-args.js';

describe("/forecast's arguments", () => {
  it.each([
    ['Москва', { place: 'Москва', days: 3 }],
    ['Москва 5', { place: 'Москва', days: 5 }],
    ['Нижний Новгород 2 дня', { place: 'Нижний Новгород', days: 2 }],
    ['в Казани на 4 дня', { place: 'Казани', days: 4 }],
    ['Paris for 2 days', { place: 'Paris', days: 2 }],
    ['London, 4 days', { place: 'London', days: 4 }],
    ['New York 1d', { place: 'New York', days: 1 }],
    ['Москва 10', { place: 'Москва', days: 7 }],
    ['Москва 0', { place: 'Москва', days: 1 }],
    ['5', { place: '', days: 5 }],
    ['', { place: '', days: 3 }],
    ['Москва5', { place: 'Москва5', days: 3 }],
  ])('reads %j', (args, expected) => {
    expect(parseForecastArgs(args)).toEqual(expected);
  });
});
