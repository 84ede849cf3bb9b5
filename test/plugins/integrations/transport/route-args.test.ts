import { describe, expect, it } from 'vitest';
import { modeOf, parseRouteArgs } from '../../../../src/plugins/integrations/transport/route-args.js';

describe("/route's arguments", () => {
  it.each([
    ['Москва — Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['Москва – Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['Москва—Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['Москва - Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['Москва -> Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['Москва→Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['Москва до Тверь', { from: 'Москва', to: 'Тверь', mode: null }],
    ['от Москвы до Твери', { from: 'Москвы', to: 'Твери', mode: null }],
    ['из Москвы до Твери на машине', { from: 'Москвы', to: 'Твери', mode: 'car' }],
    ['Москва — Тверь car', { from: 'Москва', to: 'Тверь', mode: 'car' }],
    ['Москва — Тверь bike', { from: 'Москва', to: 'Тверь', mode: 'bike' }],
    ['Москва — Тверь foot', { from: 'Москва', to: 'Тверь', mode: 'foot' }],
    ['Москва — Тверь, пешком', { from: 'Москва', to: 'Тверь', mode: 'foot' }],
    ['Москва — Тверь (на велосипеде)', { from: 'Москва', to: 'Тверь', mode: 'bike' }],
    ['пешком Москва — Тверь', { from: 'Москва', to: 'Тверь', mode: 'foot' }],
    ['Ростов-на-Дону — Нижний Новгород', { from: 'Ростов-на-Дону', to: 'Нижний Новгород', mode: null }],
    ['Ростов-на-Дону - Санкт-Петербург авто', { from: 'Ростов-на-Дону', to: 'Санкт-Петербург', mode: 'car' }],
    ['from Paris to Berlin by bike', { from: 'Paris', to: 'Berlin', mode: 'bike' }],
    ['London to Paris on foot', { from: 'London', to: 'Paris', mode: 'foot' }],
    ['New York → Los Angeles driving', { from: 'New York', to: 'Los Angeles', mode: 'car' }],
    ['Москва — Тверь 🚲', { from: 'Москва', to: 'Тверь', mode: 'bike' }],
    ['Москва — Тверь?', { from: 'Москва', to: 'Тверь', mode: null }],
  ])('reads %j', (text, expected) => {
    expect(parseRouteArgs(text)).toEqual(expected);
  });

  it.each(['', 'Москва', 'Москва —', '— Тверь', 'Москва → Тверь → Клин', 'пешком', 'Ростов-на-Дону'])(
    'finds no route in %j',
    (text) => {
      expect(parseRouteArgs(text)).toBeNull();
    },
  );

  it('names modes in English and Russian', () => {
    expect(['car', 'машине', 'авто', 'driving'].map(modeOf)).toEqual(['car', 'car', 'car', 'car']);
    expect(['bike', 'велосипеде', 'велик', 'cycling'].map(modeOf)).toEqual(['bike', 'bike', 'bike', 'bike']);
    expect(['foot', 'пешком', 'walk'].map(modeOf)).toEqual(['foot', 'foot', 'foot']);
    expect(modeOf('Тверь')).toBeNull();
  });
});
