import type { FastifyReply } from 'fastify';
import { fnv1a } from '../../runtime/index.js';
import {
  ITUNES_ARTISTS,
  ITUNES_GENRES,
  ITUNES_STOREFRONTS,
  type ItunesAlbum,
  type ItunesArtist,
  type ItunesSong,
} from './itunes-fixtures.js';
import { matchedWords, sameWords, words } from './match-words.js';
import type { UpstreamApi } from './upstream-emulator.js';

type Query = Record<string, string | undefined>;

interface Store {
  code: string;
  country: string;
  currency: string;
  track: number;
  album: number;
  russian: boolean;
}

interface FoundSong {
  artist: ItunesArtist;
  album: ItunesAlbum;
  song: ItunesSong;
  rank: number;
}

/**
 * Apple's iTunes Search API (`https://itunes.apple.com`), emulated under
 * `/itunes`: `GET /search` (songs, artists and albums of the music store)
 * and `GET /lookup` (an artist by id, with its albums or songs), over a world
 * of some thirty artists. Like the real service it answers JSON as
 * `text/javascript`, sells in the storefront `country` names (400 with the
 * real error body for one it does not know), and its search forgives: when
 * nothing holds every word asked, it answers what holds most of them.
 */
export const itunesApi: UpstreamApi = {
  name: 'itunes',
  env: { MUSIC_BASE_URL: '' },
  routes(app) {
    app.get('/search', async (request, reply) => {
      const query = request.query as Query;
      const store = storeOf(query);
      if (store === null) return badCountry(reply);
      const asked = words(query['term'] ?? '');
      const limit = limitOf(query, 50);
      const entity = query['entity'] ?? 'musicTrack';
      const media = query['media'] ?? 'all';
      const results =
        asked.length === 0 || !['music', 'all'].includes(media)
          ? []
          : entity === 'musicArtist'
            ? searchArtists(asked).map((a) => artistResult(a, store))
            : entity === 'album'
              ? searchSongs(asked)
                  .filter((found, i, all) => all.findIndex((f) => f.album === found.album) === i)
                  .map((f) => albumResult(f.artist, f.album, store))
              : entity === 'song' || entity === 'musicTrack'
                ? searchSongs(asked).map((f) => songResult(f, store))
                : [];
      return answer(reply, results.slice(0, limit));
    });

    app.get('/lookup', async (request, reply) => {
      const query = request.query as Query;
      const store = storeOf(query);
      if (store === null) return badCountry(reply);
      const ids = (query['id'] ?? '').split(',').map(Number);
      const entity = query['entity'];
      const limit = limitOf(query, 50);
      const results = ITUNES_ARTISTS.filter((a) => ids.includes(artistId(a))).flatMap((artist) => {
        const albums = query['sort'] === 'recent' ? [...artist.albums].reverse() : artist.albums;
        const related =
          entity === 'album'
            ? albums.map((a) => albumResult(artist, a, store))
            : entity === 'song' || entity === 'musicTrack'
              ? albums.flatMap((a) => a.songs.map((song) => songResult({ artist, album: a, song, rank: 0 }, store)))
              : [];
        return [artistResult(artist, store), ...related.slice(0, limit)];
      });
      return answer(reply, results);
    });
  },
};

function answer(reply: FastifyReply, results: readonly object[]) {
  return reply
    .header('content-type', 'text/javascript; charset=utf-8')
    .send(JSON.stringify({ resultCount: results.length, results }));
}

/** What the real API answers for a `country` it does not sell in. */
function badCountry(reply: FastifyReply) {
  return reply
    .code(400)
    .header('content-type', 'text/javascript; charset=utf-8')
    .send(
      JSON.stringify({
        errorMessage: 'Invalid value(s) for key(s): [country]',
        queryParameters: {
          output: 'json',
          callback: 'A javascript function to handle your search results',
          country: 'ISO-2A country code',
          limit: 'The number of search results to return',
          term: 'A search string',
          lang: 'ISO-2A language code',
        },
      }),
    );
}

function storeOf(query: Query): Store | null {
  const code = (query['country'] ?? 'US').toUpperCase();
  const store = ITUNES_STOREFRONTS[code];
  if (store === undefined) return null;
  return { code: code.toLowerCase(), ...store, russian: (query['lang'] ?? '').toLowerCase().startsWith('ru') };
}

function limitOf(query: Query, fallback: number): number {
  const limit = Number(query['limit'] ?? fallback);
  return Number.isInteger(limit) && limit >= 1 ? Math.min(limit, 200) : fallback;
}

/**
 * Songs whose artist, title and album hold every word asked, best first:
 * the title said exactly, then the artist said exactly, then the artists'
 * and songs' standing. With none, the songs holding most of the words.
 */
function searchSongs(asked: readonly string[]): FoundSong[] {
  const all = ITUNES_ARTISTS.flatMap((artist, a) =>
    artist.albums.flatMap((album) => album.songs.map((song, s) => ({ artist, album, song, rank: a * 100 + s }))),
  );
  const scored = all.map((found) => ({
    found,
    matched: matchedWords(asked, [found.artist.name, found.song.name, found.album.name]),
    exact:
      (sameWords(asked, found.song.name) ? 2 : 0) +
      (sameWords(asked, `${found.artist.name} ${found.song.name}`) ? 2 : 0) +
      (sameWords(asked, found.artist.name) ? 1 : 0),
  }));
  return forgiving(scored, asked.length)
    .sort((a, b) => b.matched - a.matched || b.exact - a.exact || a.found.rank - b.found.rank)
    .map((s) => s.found);
}

function searchArtists(asked: readonly string[]): ItunesArtist[] {
  const scored = ITUNES_ARTISTS.map((artist, rank) => ({
    artist,
    rank,
    matched: matchedWords(asked, [artist.name]),
    exact: sameWords(asked, artist.name) ? 1 : 0,
  }));
  return forgiving(scored, asked.length)
    .sort((a, b) => b.matched - a.matched || b.exact - a.exact || a.rank - b.rank)
    .map((s) => s.artist);
}

/** Those holding every word; with none, those holding at least half of them. */
function forgiving<T extends { matched: number }>(scored: readonly T[], asked: number): T[] {
  const full = scored.filter((s) => s.matched === asked);
  return full.length > 0 ? full : scored.filter((s) => s.matched > 0 && s.matched * 2 >= asked);
}

function artistId(artist: ItunesArtist): number {
  return storeId(`artist:${artist.name}`);
}

function collectionId(artist: ItunesArtist, album: ItunesAlbum): number {
  return storeId(`album:${artist.name}:${album.name}`);
}

function storeId(key: string): number {
  return 100_000_000 + (fnv1a(key) % 1_800_000_000);
}

function slug(name: string): string {
  return encodeURIComponent(words(name).join('-') || 'music');
}

function genreOf(artist: ItunesArtist, store: Store): { primaryGenreName: string; primaryGenreId: number } {
  const genre = ITUNES_GENRES[artist.genre];
  return { primaryGenreName: store.russian ? genre.ru : artist.genre, primaryGenreId: genre.id };
}

function artistUrl(artist: ItunesArtist, store: Store): string {
  return `https://music.apple.com/${store.code}/artist/${slug(artist.name)}/${artistId(artist)}?uo=4`;
}

function albumUrl(artist: ItunesArtist, album: ItunesAlbum, store: Store): string {
  return `https://music.apple.com/${store.code}/album/${slug(album.name)}/${collectionId(artist, album)}?uo=4`;
}

function artwork(artist: ItunesArtist, album: ItunesAlbum, size: number): string {
  const id = fnv1a(`art:${artist.name}:${album.name}`).toString(16);
  return `https://is1-ssl.mzstatic.com/image/thumb/Music/${id}/source/${size}x${size}bb.jpg`;
}

function releaseDate(album: ItunesAlbum): string {
  return `${album.releaseDate}T12:00:00Z`;
}

function explicitness(artist: ItunesArtist): string {
  return artist.genre === 'Hip-Hop/Rap' ? 'explicit' : 'notExplicit';
}

/** An artist as `entity=musicArtist` and `lookup` answer it. */
function artistResult(artist: ItunesArtist, store: Store) {
  return {
    wrapperType: 'artist',
    artistType: 'Artist',
    artistName: artist.name,
    artistLinkUrl: artistUrl(artist, store),
    artistId: artistId(artist),
    amgArtistId: fnv1a(`amg:${artist.name}`) % 3_000_000,
    ...genreOf(artist, store),
  };
}

/** An album as `entity=album` answers it. */
function albumResult(artist: ItunesArtist, album: ItunesAlbum, store: Store) {
  const year = album.releaseDate.slice(0, 4);
  return {
    wrapperType: 'collection',
    collectionType: 'Album',
    artistId: artistId(artist),
    collectionId: collectionId(artist, album),
    artistName: artist.name,
    collectionName: album.name,
    collectionCensoredName: album.name,
    artistViewUrl: artistUrl(artist, store),
    collectionViewUrl: albumUrl(artist, album, store),
    artworkUrl60: artwork(artist, album, 60),
    artworkUrl100: artwork(artist, album, 100),
    collectionPrice: store.album,
    collectionExplicitness: explicitness(artist),
    trackCount: album.trackCount,
    copyright: `℗ ${year} ${artist.name}`,
    country: store.country,
    currency: store.currency,
    releaseDate: releaseDate(album),
    primaryGenreName: genreOf(artist, store).primaryGenreName,
  };
}

/** A song as `entity=song` answers it (the fields of the documentation's example). */
function songResult({ artist, album, song }: FoundSong, store: Store) {
  const trackId = storeId(`track:${artist.name}:${album.name}:${song.name}`);
  const [minutes, seconds] = song.length.split(':').map(Number) as [number, number];
  return {
    wrapperType: 'track',
    kind: 'song',
    artistId: artistId(artist),
    collectionId: collectionId(artist, album),
    trackId,
    artistName: artist.name,
    collectionName: album.name,
    trackName: song.name,
    collectionCensoredName: album.name,
    trackCensoredName: song.name,
    artistViewUrl: artistUrl(artist, store),
    collectionViewUrl: albumUrl(artist, album, store),
    trackViewUrl: `${albumUrl(artist, album, store).replace('?uo=4', '')}?i=${trackId}&uo=4`,
    previewUrl: `https://audio-ssl.itunes.apple.com/itunes-assets/AudioPreview/${trackId.toString(16)}/mzaf_${trackId}.plus.aac.p.m4a`,
    artworkUrl30: artwork(artist, album, 30),
    artworkUrl60: artwork(artist, album, 60),
    artworkUrl100: artwork(artist, album, 100),
    collectionPrice: store.album,
    trackPrice: store.track,
    releaseDate: releaseDate(album),
    collectionExplicitness: explicitness(artist),
    trackExplicitness: explicitness(artist),
    discCount: 1,
    discNumber: 1,
    trackCount: album.trackCount,
    trackNumber: 1 + album.songs.indexOf(song),
    trackTimeMillis: (minutes * 60 + seconds) * 1000 + (fnv1a(song.name) % 500),
    country: store.country,
    currency: store.currency,
    primaryGenreName: genreOf(artist, store).primaryGenreName,
    isStreamable: true,
  };
}
