import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import type { PluginHttpClient } from '../../plugin-http.js';

/** A song as `/search?entity=song` answers it (the fields the plugin uses). */
export const songSchema = z.looseObject({
  wrapperType: z.literal('track'),
  artistName: z.string(),
  trackName: z.string(),
  collectionName: z.string().default(''),
  trackViewUrl: z.string().default(''),
  releaseDate: z.string().default(''),
  trackTimeMillis: z.number().nonnegative().optional(),
});
export type Song = z.output<typeof songSchema>;

/** An artist as `entity=musicArtist` and `/lookup` answer it. */
export const artistSchema = z.looseObject({
  wrapperType: z.literal('artist'),
  artistId: z.number().int(),
  artistName: z.string(),
  artistLinkUrl: z.string().default(''),
  primaryGenreName: z.string().default(''),
});
export type Artist = z.output<typeof artistSchema>;

/** An album as `/lookup?entity=album` answers it. */
export const albumSchema = z.looseObject({
  wrapperType: z.literal('collection'),
  collectionName: z.string(),
  releaseDate: z.string().default(''),
  trackCount: z.number().int().optional(),
});
export type Album = z.output<typeof albumSchema>;

const answerOf = <T extends z.ZodType>(result: T) =>
  z.looseObject({ resultCount: z.number().int(), results: z.array(result) });

const lookupSchema = answerOf(z.discriminatedUnion('wrapperType', [artistSchema, albumSchema]));

/** The most songs and artists a search asks for, and albums a lookup lists. */
const SEARCH_LIMIT = 5;
const ALBUM_LIMIT = 5;

/**
 * Apple's iTunes Search API: the store's songs and artists, in one
 * storefront (`country`), with names in the asker's language where the
 * store has them (`lang`).
 */
export class ItunesClient {
  constructor(private readonly http: PluginHttpClient) {}

  async songs(term: string, country: string, language: Language, signal: AbortSignal): Promise<Song[]> {
    const query = {
      term,
      media: 'music',
      entity: 'song',
      limit: SEARCH_LIMIT,
      country,
      lang: itunesLanguage(language),
    };
    return (await this.http.getParsed('search', answerOf(songSchema), { query, signal })).results;
  }

  async artists(term: string, country: string, language: Language, signal: AbortSignal): Promise<Artist[]> {
    const query = {
      term,
      media: 'music',
      entity: 'musicArtist',
      limit: SEARCH_LIMIT,
      country,
      lang: itunesLanguage(language),
    };
    return (await this.http.getParsed('search', answerOf(artistSchema), { query, signal })).results;
  }

  /** An artist's latest albums, newest first. */
  async albums(artistId: number, country: string, language: Language, signal: AbortSignal): Promise<Album[]> {
    const query = {
      id: artistId,
      entity: 'album',
      limit: ALBUM_LIMIT,
      sort: 'recent',
      country,
      lang: itunesLanguage(language),
    };
    const { results } = await this.http.getParsed('lookup', lookupSchema, { query, signal });
    return results.filter((r): r is Album => r.wrapperType === 'collection');
  }
}

function itunesLanguage(language: Language): 'en_us' | 'ru_ru' {
  return language === 'en' ? 'en_us' : 'ru_ru';
}
