import { describe, expect, it } from 'vitest';
import {
  choosePlace,
  type Place,
  placeLabel,
  placeNotFound,
  placeQuery,
} from '../../../../src/plugins/integrations/weather/place-choice.js';

const place = (id: number, name: string, admin1?: string, country?: string): Place => ({
  id,
  name,
  latitude: 0,
  longitude: 0,
  ...(admin1 === undefined ? {} : { admin1 }),
  ...(country === undefined ? {} : { country }),
});

const moscow = place(1, 'Москва', 'Москва', 'Россия');
const moscowIdaho = place(2, 'Москоу', 'Айдахо', 'США');
const paris = place(3, 'Париж', 'Иль-де-Франс', 'Франция');
const parisTexas = place(4, 'Париж', 'Техас', 'США');

describe('choosing a place among the geocoder answers', () => {
  it('takes the first place named so and lists its namesakes', () => {
    expect(choosePlace('Париж', [paris, parisTexas])).toEqual({ kind: 'found', place: paris, others: [parisTexas] });
  });

  it('accepts a prefix, an inflected form, another spelling of dashes and ё', () => {
    expect(choosePlace('Моск', [moscow])).toMatchObject({ kind: 'found', place: moscow });
    expect(choosePlace('Москве', [moscow, moscowIdaho])).toEqual({ kind: 'found', place: moscow, others: [] });
    expect(choosePlace('Твери', [place(5, 'Тверь')])).toMatchObject({ kind: 'found' });
    expect(choosePlace('Санкт Петербурга', [place(6, 'Санкт-Петербург')])).toMatchObject({ kind: 'found' });
    expect(choosePlace('Королев', [place(7, 'Королёв')])).toMatchObject({ kind: 'found' });
  });

  it('trusts a name in another script than the query', () => {
    expect(choosePlace('Moscow', [moscow, moscowIdaho])).toEqual({
      kind: 'found',
      place: moscow,
      others: [moscowIdaho],
    });
  });

  it('offers near matches when none is the place named, and nothing when there are none', () => {
    expect(choosePlace('Масква', [moscow])).toEqual({ kind: 'unsure', suggestions: [moscow] });
    expect(choosePlace('Lodnon', [place(8, 'London')])).toMatchObject({ kind: 'unsure' });
    expect(choosePlace('Зюзюкино', [])).toEqual({ kind: 'none' });
  });

  it('compares only the name before a comma', () => {
    expect(choosePlace('Париж, Техас', [parisTexas])).toMatchObject({ kind: 'found', place: parisTexas });
  });

  it('labels a place with its region, unless that is the place itself, and its country', () => {
    expect(placeLabel(moscow)).toBe('Москва, Россия');
    expect(placeLabel(parisTexas)).toBe('Париж, Техас, США');
    expect(placeLabel(place(9, 'Nowhere'))).toBe('Nowhere');
  });

  it("reads the place out of a member's words", () => {
    expect(placeQuery('  в Москве? ')).toBe('Москве');
    expect(placeQuery('in London!')).toBe('London');
    expect(placeQuery('«Нижний Новгород»')).toBe('Нижний Новгород');
    expect(placeQuery('Вена')).toBe('Вена');
  });

  it('answers a place it cannot find with suggestions or a hint', () => {
    expect(
      placeNotFound('Масква', { kind: 'unsure', suggestions: [moscow, moscowIdaho] }, 'ru', '/weather Москва'),
    ).toBe('Не нашёл «Масква». Может, ты про: Москва, Россия; Москоу, Айдахо, США?');
    expect(placeNotFound('Xyz', { kind: 'none' }, 'en', '/weather London')).toBe(
      'I couldn\'t find "Xyz" on the map. Check the spelling or write the full name, like /weather London',
    );
  });
});
