import { afterEach, describe, expect, it } from 'vitest';
import { itunesApi, UpstreamEmulator } from '../../../src/sandbox/index.js';

const open: UpstreamEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function itunes() {
  const emulator = await UpstreamEmulator.start({ apis: [itunesApi] });
  open.push(emulator);
  const base = emulator.env()['MUSIC_BASE_URL']!;
  return async (path: string, query: Record<string, string>) => {
    const res = await fetch(`${base}${path}?${new URLSearchParams(query)}`);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: JSON.parse(await res.text()) as { resultCount: number; results: Array<Record<string, unknown>> },
    };
  };
}

describe('the iTunes Search API emulator', () => {
  it('answers songs as text/javascript in the documented shape, priced in the storefront asked', async () => {
    const get = await itunes();
    const { status, type, body } = await get('/search', {
      term: 'Кино Группа крови',
      media: 'music',
      entity: 'song',
      limit: '5',
      country: 'RU',
      lang: 'ru_ru',
    });
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(body.resultCount).toBe(body.results.length);
    expect(body.results[0]).toMatchObject({
      wrapperType: 'track',
      kind: 'song',
      artistName: 'Кино',
      trackName: 'Группа крови',
      collectionName: 'Группа крови',
      releaseDate: '1988-01-01T12:00:00Z',
      country: 'RUS',
      currency: 'RUB',
      primaryGenreName: 'Рок',
    });
    for (const field of ['artistId', 'collectionId', 'trackId', 'trackViewUrl', 'previewUrl', 'trackTimeMillis'])
      expect(body.results[0]).toHaveProperty(field);
  });

  it('finds artists, and looks one up with its albums, newest first with sort=recent', async () => {
    const get = await itunes();
    const artists = (await get('/search', { term: 'metallica', media: 'music', entity: 'musicArtist' })).body;
    expect(artists.results).toEqual([
      expect.objectContaining({
        wrapperType: 'artist',
        artistType: 'Artist',
        artistName: 'Metallica',
        primaryGenreName: 'Metal',
      }),
    ]);
    const id = String(artists.results[0]!['artistId']);
    const lookup = (await get('/lookup', { id, entity: 'album', limit: '5', sort: 'recent' })).body;
    expect(lookup.results.map((r) => [r['wrapperType'], r['collectionName'] ?? r['artistName']])).toEqual([
      ['artist', 'Metallica'],
      ['collection', 'Metallica'],
      ['collection', 'Master of Puppets'],
    ]);
    expect((await get('/lookup', { id: '1', entity: 'album' })).body).toEqual({ resultCount: 0, results: [] });
  });

  it('forgives a search holding only some of the words, and refuses a country it does not sell in', async () => {
    const get = await itunes();
    const near = (await get('/search', { term: 'nirvana smells like roses', entity: 'song' })).body;
    expect(near.results.map((r) => r['trackName'])).toEqual(['Smells Like Teen Spirit']);
    expect((await get('/search', { term: 'zzzz', entity: 'song' })).body).toEqual({ resultCount: 0, results: [] });
    const refused = await get('/search', { term: 'queen', country: 'ZZ' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errorMessage: 'Invalid value(s) for key(s): [country]' });
  });
});
