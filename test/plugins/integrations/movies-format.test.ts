import { describe, expect, it } from 'vitest';
import { asksForTrending, parseMovieQuery } from '../../../src/plugins/integrations/movies/movies-args.js';
import {
  bestMatch,
  formatMovie,
  formatNotFound,
  formatTrending,
  offersLine,
  plotOf,
  ratingLine,
  runtimeText,
  titleLine,
} from '../../../src/plugins/integrations/movies/movies-format.js';
import { tmdbCredential } from '../../../src/plugins/integrations/movies/tmdb-client.js';
import type { ListedMovie, MovieDetails } from '../../../src/plugins/integrations/movies/tmdb-client.js';

const listed = (id: number, title: string, date: string, original = title): ListedMovie => ({
  id,
  title,
  original_title: original,
  release_date: date,
  vote_average: 7.8,
  vote_count: 12560,
});

describe('reading /movie arguments', () => {
  it.each([
    ['Дюна', { title: 'Дюна', year: null }],
    ['Дюна 2021', { title: 'Дюна', year: 2021 }],
    ['Дюна (1984)', { title: 'Дюна', year: 1984 }],
    ['«Dune», 1984', { title: 'Dune', year: 1984 }],
    ['1917', { title: '1917', year: null }],
    ['1917 (2019)', { title: '1917', year: 2019 }],
    ['Брат 2', { title: 'Брат 2', year: null }],
    ['Брат 2 2000', { title: 'Брат 2', year: 2000 }],
    ['Blade Runner 2049', { title: 'Blade Runner', year: 2049 }],
    ['Матрица 0999', { title: 'Матрица 0999', year: null }],
    ['', { title: '', year: null }],
  ])('reads %j', (text, expected) => {
    expect(parseMovieQuery(text)).toEqual(expected);
  });

  it('takes /movies alone and its trending words as the trending list, anything else as a title', () => {
    for (const text of ['', 'trending', 'Тренды', ' топ ']) expect(asksForTrending(text)).toBe(true);
    for (const text of ['Дюна', 'top gun']) expect(asksForTrending(text)).toBe(false);
  });
});

describe('a TMDB credential', () => {
  it('goes as a Bearer header when it is a read access token (a JWT), else as the api_key parameter', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJhYmMifQ.c2lnbmF0dXJl';
    expect(tmdbCredential(` ${token} `)).toEqual({
      kind: 'read access token',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(tmdbCredential('0123456789abcdef0123456789abcdef')).toEqual({
      kind: 'api key',
      query: { api_key: '0123456789abcdef0123456789abcdef' },
    });
  });
});

describe('a film answer', () => {
  const details: MovieDetails = {
    id: 438631,
    title: 'Дюна',
    original_title: 'Dune',
    release_date: '2021-09-15',
    runtime: 155,
    genres: [
      { id: 878, name: 'фантастика' },
      { id: 12, name: 'приключения' },
    ],
    overview: 'Первое. Второе! Третье? Четвёртое.',
    vote_average: 7.8,
    vote_count: 12560,
  };

  it('shows the title with the original and year, rating, genres, runtime, plot, offers and other matches', () => {
    const text = formatMovie(
      details,
      {
        region: 'US',
        offers: { flatrate: [{ provider_name: 'Max' }], rent: [], buy: [{ provider_name: 'Apple TV' }] },
      },
      [listed(841, 'Дюна', '1984-12-14', 'Dune')],
      'ru',
    );
    expect(text).toBe(
      [
        '🎬 Дюна (Dune, 2021)',
        '★ 7,8/10 · голосов: 12\u00a0560',
        'фантастика, приключения · 2 ч 35 мин',
        'Первое. Второе! Третье?',
        '📺 Где смотреть (US): подписка — Max; покупка — Apple TV',
        'Ещё нашлось: Дюна (Dune, 1984)',
      ].join('\n'),
    );
  });

  it('leaves out what TMDB does not know', () => {
    const bare = { ...details, runtime: null, genres: [], overview: '', vote_count: 0, release_date: '' };
    expect(formatMovie(bare, { region: 'RU', offers: null }, [], 'en')).toBe('🎬 Дюна (Dune)\n★ no votes yet');
  });

  it('writes ratings, runtimes and offers in each language', () => {
    expect(ratingLine(8.433, 1234, 'en')).toBe('★ 8.4/10 · 1,234 votes');
    expect(runtimeText(120, 'en')).toBe('2h');
    expect(runtimeText(95, 'ru')).toBe('1 ч 35 мин');
    expect(runtimeText(45, 'ru')).toBe('45 мин');
    expect(runtimeText(0, 'ru')).toBeNull();
    const offers = { flatrate: [], rent: [{ provider_name: 'Apple TV' }, { provider_name: 'Apple TV' }], buy: [] };
    expect(offersLine(offers, 'GB', 'en')).toBe('📺 Where to watch (GB): rent — Apple TV');
    expect(offersLine({ flatrate: [], rent: [], buy: [] }, 'GB', 'en')).toBeNull();
  });

  it('clips a long plot at a word end', () => {
    const plot = plotOf(`${'слово '.repeat(200)}.`)!;
    expect(plot.length).toBeLessThanOrEqual(450);
    expect(plot.endsWith('…')).toBe(true);
    expect(plotOf(null)).toBeNull();
  });

  it('prefers a result titled exactly as asked, in any language', () => {
    const results = [listed(1, 'Дюна: Часть вторая', '2024-02-27'), listed(2, 'Дюна', '2021-09-15', 'Dune')];
    expect(bestMatch('дюна', results)?.id).toBe(2);
    expect(bestMatch('DUNE', results)?.id).toBe(2);
    expect(bestMatch('пустыня', results)?.id).toBe(1);
    expect(titleLine(listed(3, 'Паразиты', '2019-05-30', '기생충'))).toBe('Паразиты (기생충, 2019)');
  });
});

describe('other answers', () => {
  it('numbers the trending list and says how to ask for one', () => {
    const text = formatTrending(
      [listed(1, 'Dune: Part Two', '2024-02-27'), { ...listed(2, 'New', ''), vote_count: 0 }],
      'en',
    );
    expect(text).toBe(
      '🔥 Trending films this week:\n1. Dune: Part Two (2024) ★ 7.8\n2. New\nMore on one: /movie <title>',
    );
  });

  it('says a film was not found, with what the title gives in other years or how to ask', () => {
    expect(formatNotFound('Дюна', 1990, [listed(1, 'Дюна', '2021-09-15')], 'ru')).toBe(
      'Фильма «Дюна» (1990) не нашёл. Есть такие: Дюна (2021)',
    );
    expect(formatNotFound('Qwerty', null, [], 'en')).toBe(
      "I couldn't find a film «Qwerty». Try the original title, or add the year: /movie Dune 2021",
    );
  });
});
