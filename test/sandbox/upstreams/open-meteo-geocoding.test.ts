import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMeteoGeocodingApi } from '../../../src/sandbox/upstreams/open-meteo-geocoding.js';
import { UpstreamEmulator } from '../../../src/sandbox/upstreams/index.js';

let emulator: UpstreamEmulator;
beforeAll(async () => {
  emulator = await UpstreamEmulator.start({ apis: [openMeteoGeocodingApi] });
});
afterAll(async () => {
  await emulator.close();
});

async function search(query: Record<string, string>) {
  const url = new URL(`${emulator.env().GEOCODING_BASE_URL}/search`);
  url.search = new URLSearchParams(query).toString();
  const answer = await fetch(url);
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

type Result = Record<string, unknown>;
const results = (body: Record<string, unknown>) => (body.results ?? []) as Result[];

describe('the Open-Meteo geocoding emulator', () => {
  it("answers the documentation's example in its shape (empty fields left out)", async () => {
    const { status, body } = await search({ name: 'Berlin', count: '1', language: 'en', format: 'json' });
    expect(status).toBe(200);
    expect(results(body)).toEqual([
      {
        id: 2950159,
        name: 'Berlin',
        latitude: 52.52437,
        longitude: 13.41053,
        elevation: 74.0,
        feature_code: 'PPLC',
        country_code: 'DE',
        admin1_id: 2950157,
        admin3_id: 6547383,
        admin4_id: 6547539,
        timezone: 'Europe/Berlin',
        population: 3426354,
        postcodes: ['10967', '13347'],
        country_id: 2921044,
        country: 'Germany',
        admin1: 'Berlin',
        admin3: 'Berlin, Stadt',
        admin4: 'Berlin',
      },
    ]);
    expect(typeof body.generationtime_ms).toBe('number');
  });

  it('answers a search that finds nothing without a results key', async () => {
    const { body } = await search({ name: 'Zzyzxqw', count: '5' });
    expect(Object.keys(body)).toEqual(['generationtime_ms']);
    expect(Object.keys((await search({ name: 'M' })).body)).toEqual(['generationtime_ms']);
    // Two letters match exact names only.
    expect(Object.keys((await search({ name: 'Mo' })).body)).toEqual(['generationtime_ms']);
  });

  it('names places in the language asked, the most populous namesake first', async () => {
    const ru = results((await search({ name: 'Москва', language: 'ru' })).body);
    expect(ru[0]).toMatchObject({ name: 'Москва', country: 'Россия', country_code: 'RU', timezone: 'Europe/Moscow' });
    const en = results((await search({ name: 'Moscow', language: 'en' })).body);
    expect(en.map((r) => [r.name, r.admin1, r.country])).toEqual([
      ['Moscow', 'Moscow', 'Russia'],
      ['Moscow', 'Idaho', 'United States'],
    ]);
    expect(results((await search({ name: 'Moscow', count: '1' })).body)).toHaveLength(1);
  });

  it('finds prefixes, near spellings and old names, and narrows by a region after a comma', async () => {
    expect(results((await search({ name: 'Екатерин', language: 'ru' })).body)[0]?.name).toBe('Екатеринбург');
    expect(results((await search({ name: 'Масква', language: 'ru' })).body)[0]?.name).toBe('Москва');
    expect(results((await search({ name: 'Leningrad' })).body)[0]?.name).toBe('Saint Petersburg');
    expect(results((await search({ name: 'Paris, Texas' })).body).map((r) => r.admin1)).toEqual(['Texas']);
    expect(results((await search({ name: 'Paris', countryCode: 'FR' })).body).map((r) => r.id)).toEqual([2988507]);
  });

  it('refuses bad parameters with the documented error object', async () => {
    expect(await search({ name: 'Berlin', count: '101' })).toEqual({
      status: 400,
      body: { error: true, reason: 'Parameter count must be between 1 and 100.' },
    });
    expect((await search({})).status).toBe(400);
  });
});
