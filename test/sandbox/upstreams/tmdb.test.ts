import { afterEach, describe, expect, it } from 'vitest';
import { TMDB_INVALID_KEY, tmdbApi, UpstreamEmulator } from '../../../src/sandbox/index.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl';
const INVALID_BODY = {
  status_code: 7,
  status_message: 'Invalid API key: You must be granted a valid key.',
  success: false,
};
const NOT_FOUND_BODY = {
  status_code: 34,
  status_message: 'The resource you requested could not be found.',
  success: false,
};

const open: UpstreamEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function tmdb() {
  const emulator = await UpstreamEmulator.start({ apis: [tmdbApi] });
  open.push(emulator);
  const base = emulator.env()['TMDB_BASE_URL']!;
  return async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

describe('the TMDB emulator', () => {
  it('takes a key as api_key and a read access token as a Bearer header, refusing anything else with the real 401', async () => {
    const get = await tmdb();
    expect((await get('/movie/550?api_key=abc123')).status).toBe(200);
    expect((await get('/movie/550', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    for (const [path, headers] of [
      ['/movie/550', {}],
      [`/movie/550?api_key=${TMDB_INVALID_KEY}`, {}],
      [`/movie/550?api_key=${TOKEN}`, {}],
      ['/movie/550', { authorization: 'Bearer abc123' }],
      ['/movie/550', { authorization: `Bearer ${TOKEN.replace(/[^.]+$/, TMDB_INVALID_KEY)}` }],
      ['/nowhere', {}],
    ] as const) {
      expect(await get(path, headers)).toEqual({ status: 401, body: INVALID_BODY });
    }
  });

  it('answers an unknown film or path with the real 404', async () => {
    const get = await tmdb();
    expect(await get('/movie/999999999?api_key=k')).toEqual({ status: 404, body: NOT_FOUND_BODY });
    expect(await get('/movie/abc/watch/providers?api_key=k')).toEqual({ status: 404, body: NOT_FOUND_BODY });
    expect(await get('/tv/1399?api_key=k')).toEqual({ status: 404, body: NOT_FOUND_BODY });
  });

  it('searches titles in any language, in the documented page shape, and filters by year', async () => {
    const get = await tmdb();
    const { body } = await get(`/search/movie?api_key=k&language=ru-RU&query=${encodeURIComponent('дюна')}`);
    expect(Object.keys(body)).toEqual(['page', 'results', 'total_pages', 'total_results']);
    const results = body['results'] as Array<Record<string, unknown>>;
    expect(results.map((r) => [r['id'], r['title']])).toEqual([
      [438631, 'Дюна'],
      [841, 'Дюна'],
      [693134, 'Дюна: Часть вторая'],
    ]);
    expect(Object.keys(results[0]!).sort()).toEqual(
      [
        'adult',
        'backdrop_path',
        'genre_ids',
        'id',
        'original_language',
        'original_title',
        'overview',
        'popularity',
        'poster_path',
        'release_date',
        'title',
        'video',
        'vote_average',
        'vote_count',
      ].sort(),
    );
    const in1984 = await get('/search/movie?api_key=k&query=dune&primary_release_year=1984');
    expect((in1984.body['results'] as Array<{ title: string }>).map((r) => r.title)).toEqual(['Dune']);
    expect((await get('/search/movie?api_key=k&query=qwertyuiop')).body).toEqual({
      page: 1,
      results: [],
      total_pages: 1,
      total_results: 0,
    });
  });

  it('gives details with localized genres, trending films as movies, and offers by region', async () => {
    const get = await tmdb();
    const details = (await get('/movie/603?api_key=k&language=ru-RU')).body;
    expect(details).toMatchObject({
      id: 603,
      title: 'Матрица',
      original_title: 'The Matrix',
      runtime: 136,
      status: 'Released',
      genres: [
        { id: 28, name: 'боевик' },
        { id: 878, name: 'фантастика' },
      ],
    });
    const trending = (await get('/trending/movie/week?api_key=k')).body;
    expect((trending['results'] as Array<{ media_type: string }>).every((r) => r.media_type === 'movie')).toBe(true);
    expect(trending['total_results']).toBeGreaterThanOrEqual(30);
    const offers = (await get('/movie/603/watch/providers?api_key=k')).body as {
      id: number;
      results: Record<string, { link: string; flatrate?: Array<Record<string, unknown>> }>;
    };
    expect(offers.id).toBe(603);
    expect(offers.results['US']?.link).toBe('https://www.themoviedb.org/movie/603-the-matrix/watch?locale=US');
    expect(Object.keys(offers.results['US']?.flatrate?.[0] ?? {}).sort()).toEqual([
      'display_priority',
      'logo_path',
      'provider_id',
      'provider_name',
    ]);
  });
});
