import type { Language } from '../../../chat/index.js';
import { clip, say, yearOf } from '../integration-kit.js';
import type { Album, Artist, Song } from './itunes-client.js';

/** Near matches named when nothing matched, and other artists named after one. */
const NEAR_SHOWN = 3;

/** A text's words for matching: lower case, `ё` as `е`, letters and digits only. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Whether every word asked starts a word of `texts` (`кино группа` matches
 * Кино — «Группа крови»): the store's search also answers what holds only
 * some of the words, which the answer offers as near matches instead.
 */
export function matchesAll(asked: string, texts: readonly string[]): boolean {
  const candidates = texts.flatMap(wordsOf);
  return wordsOf(asked).every((word) => candidates.some((candidate) => candidate.startsWith(word)));
}

/** `4:46`, or `1:02:05` for an hour or more. */
export function trackLength(ms: number): string {
  const total = Math.round(ms / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** A store link as people read it: the Cyrillic of a slug decoded (`…/album/группа-крови/…`). */
export function readableLink(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    // A link whose escapes do not decode still works as it is.
    return url;
  }
}

/** `Кино — Группа крови (Группа крови, 1988, 4:46)` */
export function songLine(song: Song): string {
  const details = [
    song.collectionName === '' ? null : song.collectionName,
    yearOf(song.releaseDate),
    song.trackTimeMillis === undefined ? null : trackLength(song.trackTimeMillis),
  ].filter((d) => d !== null);
  return `${song.artistName} — ${song.trackName}${details.length === 0 ? '' : ` (${details.join(', ')})`}`;
}

/** The songs matching what was asked, each with its link; or that none did, with near matches and how to ask. */
export function formatSongs(asked: string, songs: readonly Song[], language: Language): string {
  const matching = songs.filter((s) => matchesAll(asked, [s.artistName, s.trackName, s.collectionName]));
  if (matching.length === 0) return nothingFound(asked, songs.slice(0, NEAR_SHOWN).map(songLine), 'song', language);
  return clip(
    matching
      .map((song) => `🎵 ${songLine(song)}${song.trackViewUrl === '' ? '' : `\n${readableLink(song.trackViewUrl)}`}`)
      .join('\n'),
  );
}

/** An artist: genre, latest albums with their years, link, and other artists the search found. */
export function formatArtist(
  artist: Artist,
  albums: readonly Album[],
  others: readonly Artist[],
  language: Language,
): string {
  const seen = new Set<string>();
  const listed = [...albums]
    .sort((a, b) => b.releaseDate.localeCompare(a.releaseDate))
    .filter((album) => !seen.has(album.collectionName) && seen.add(album.collectionName))
    .map((album) => {
      const year = yearOf(album.releaseDate);
      return year === null ? album.collectionName : `${album.collectionName} (${year})`;
    });
  const genre = artist.primaryGenreName === '' ? '' : ` — ${artist.primaryGenreName}`;
  return clip(
    [
      `🎤 ${artist.artistName}${genre}`,
      listed.length === 0
        ? say(language, {
            en: 'No albums in the store.',
            ru: 'Альбомов в магазине нет.',
            uk: 'Альбомів у магазині немає.',
          })
        : say(language, { en: 'Latest albums: ', ru: 'Последние альбомы: ', uk: 'Останні альбоми: ' }) +
          listed.join('; '),
      artist.artistLinkUrl === '' ? null : readableLink(artist.artistLinkUrl),
      others.length === 0
        ? null
        : say(language, { en: 'Also: ', ru: 'Ещё: ', uk: 'Ще: ' }) +
          others
            .slice(0, NEAR_SHOWN)
            .map((a) => a.artistName)
            .join(', '),
    ]
      .filter((line) => line !== null)
      .join('\n'),
  );
}

/** The artist the search names exactly, else the first holding every word asked; null when none does. */
export function bestArtist(asked: string, artists: readonly Artist[]): Artist | null {
  const exact = wordsOf(asked).join(' ');
  return (
    artists.find((a) => wordsOf(a.artistName).join(' ') === exact) ??
    artists.find((a) => matchesAll(asked, [a.artistName])) ??
    null
  );
}

/** No artist by that name: near matches, and how to ask. */
export function formatNoArtist(asked: string, artists: readonly Artist[], language: Language): string {
  return nothingFound(
    asked,
    artists.slice(0, NEAR_SHOWN).map((a) => a.artistName),
    'artist',
    language,
  );
}

function nothingFound(asked: string, near: readonly string[], what: 'song' | 'artist', language: Language): string {
  const hint =
    what === 'song'
      ? say(language, {
          en: 'Try the artist and the title: /song Queen Bohemian Rhapsody',
          ru: 'Напиши исполнителя и название: /song Кино Группа крови',
          uk: 'Напиши виконавця й назву: /song Океан Ельзи Обійми',
        })
      : say(language, {
          en: 'Try the name as the store writes it: /artist Queen',
          ru: 'Напиши имя, как его пишут на обложках: /artist Кино',
          uk: 'Напиши ім’я, як його пишуть на обкладинках: /artist Океан Ельзи',
        });
  const head = say(language, {
    en: `Nothing found for «${asked}».`,
    ru: `По запросу «${asked}» ничего не нашёл.`,
    uk: `За запитом «${asked}» нічого не знайшов.`,
  });
  const maybe =
    near.length === 0
      ? null
      : say(language, { en: 'Maybe you meant: ', ru: 'Может, имелось в виду: ', uk: 'Може, йшлося про: ' }) +
        near.join('; ');
  return clip([head, maybe, hint].filter((line) => line !== null).join('\n'));
}
