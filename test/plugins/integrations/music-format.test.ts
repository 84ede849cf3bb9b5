import { describe, expect, it } from 'vitest';
import type { Album, Artist, Song } from '../../../src/plugins/integrations/music/itunes-client.js';
import {
  bestArtist,
  formatArtist,
  formatNoArtist,
  formatSongs,
  matchesAll,
  readableLink,
  songLine,
  trackLength,
} from '../../../src/plugins/integrations/music/music-format.js';

const song = (artistName: string, trackName: string, collectionName: string, year: string, ms: number): Song => ({
  wrapperType: 'track',
  artistName,
  trackName,
  collectionName,
  releaseDate: `${year}-01-01T12:00:00Z`,
  trackTimeMillis: ms,
  trackViewUrl:
    'https://music.apple.com/ru/album/%D0%B3%D1%80%D1%83%D0%BF%D0%BF%D0%B0-%D0%BA%D1%80%D0%BE%D0%B2%D0%B8/1?i=2&uo=4',
});
const artist = (artistId: number, artistName: string, primaryGenreName = 'Rock'): Artist => ({
  wrapperType: 'artist',
  artistId,
  artistName,
  artistLinkUrl: `https://music.apple.com/us/artist/x/${artistId}?uo=4`,
  primaryGenreName,
});
const album = (collectionName: string, releaseDate: string): Album => ({
  wrapperType: 'collection',
  collectionName,
  releaseDate,
});

describe('songs', () => {
  it('writes a song as artist — title (album, year, m:ss)', () => {
    expect(songLine(song('Кино', 'Группа крови', 'Группа крови', '1988', 286_400))).toBe(
      'Кино — Группа крови (Группа крови, 1988, 4:46)',
    );
    expect(trackLength(515_000)).toBe('8:35');
    expect(trackLength(3_725_000)).toBe('1:02:05');
    expect(songLine({ ...song('A', 'B', '', '', 0), trackTimeMillis: undefined, releaseDate: '' })).toBe('A — B');
  });

  it('matches when every word asked starts a word of the artist, title or album, whatever the case or ё', () => {
    expect(matchesAll('кино группа', ['Кино', 'Группа крови', 'Группа крови'])).toBe(true);
    expect(matchesAll('пугачева миллион', ['Алла Пугачёва', 'Миллион алых роз', ''])).toBe(true);
    expect(matchesAll('кино луна', ['Кино', 'Кукушка', 'Чёрный альбом'])).toBe(false);
  });

  it('lists the matching songs with readable links', () => {
    const text = formatSongs(
      'кино группа крови',
      [song('Кино', 'Группа крови', 'Группа крови', '1988', 286_000)],
      'ru',
    );
    expect(text).toBe(
      '🎵 Кино — Группа крови (Группа крови, 1988, 4:46)\nhttps://music.apple.com/ru/album/группа-крови/1?i=2&uo=4',
    );
    expect(readableLink('https://x.example/%E0%A4%A')).toBe('https://x.example/%E0%A4%A');
  });

  it('says nothing matched, offering what the store found instead and how to ask', () => {
    const near = [song('Кино', 'Пачка сигарет', 'Звезда по имени Солнце', '1989', 268_000)];
    expect(formatSongs('кино пачка папирос', near, 'ru')).toBe(
      [
        'По запросу «кино пачка папирос» ничего не нашёл.',
        'Может, имелось в виду: Кино — Пачка сигарет (Звезда по имени Солнце, 1989, 4:28)',
        'Напиши исполнителя и название: /song Кино Группа крови',
      ].join('\n'),
    );
    expect(formatSongs('zzz', [], 'en')).toBe(
      'Nothing found for «zzz».\nTry the artist and the title: /song Queen Bohemian Rhapsody',
    );
  });
});

describe('artists', () => {
  it('picks the artist named exactly, else the first holding every word', () => {
    const found = [artist(1, 'Queen Latifah'), artist(2, 'Queen'), artist(3, 'Queens of the Stone Age')];
    expect(bestArtist('queen', found)?.artistId).toBe(2);
    expect(bestArtist('stone age', found)?.artistId).toBe(3);
    expect(bestArtist('king', found)).toBeNull();
  });

  it('shows the genre and latest albums newest first, once each, with the link and other artists', () => {
    const albums = [album('Группа крови', '1988-01-01T12:00:00Z'), album('Чёрный альбом', '1990-12-01T12:00:00Z')];
    const text = formatArtist(artist(7, 'Кино', 'Рок'), [...albums, albums[0]!], [artist(8, 'Кино и немцы')], 'ru');
    expect(text).toBe(
      [
        '🎤 Кино — Рок',
        'Последние альбомы: Чёрный альбом (1990); Группа крови (1988)',
        'https://music.apple.com/us/artist/x/7?uo=4',
        'Ещё: Кино и немцы',
      ].join('\n'),
    );
    expect(formatArtist(artist(9, 'Nobody', ''), [], [], 'en')).toBe(
      '🎤 Nobody\nNo albums in the store.\nhttps://music.apple.com/us/artist/x/9?uo=4',
    );
  });

  it('says no artist was found, with near names and how to ask', () => {
    expect(formatNoArtist('Квин', [], 'en')).toBe(
      'Nothing found for «Квин».\nTry the name as the store writes it: /artist Queen',
    );
    expect(formatNoArtist('queen king', [artist(2, 'Queen')], 'en')).toContain('Maybe you meant: Queen');
  });
});
