import { z } from 'zod';
import { definePlugin } from '../../define-plugin.js';
import { type CommandContext, PluginFailure } from '../../plugin-api.js';
import { countryCodeSetting, say, upstream, upstreamClient, upstreamSettings } from '../integration-kit.js';
import { ItunesClient } from './itunes-client.js';
import { bestArtist, formatArtist, formatNoArtist, formatSongs } from './music-format.js';

const settings = z.object({
  // Apple documents roughly 20 calls a minute for the Search API.
  ...upstreamSettings('https://itunes.apple.com', 20),
  /** The store searched, which sets links and what is on sale (ISO 3166-1 code: US, RU, GB…). */
  country: countryCodeSetting('US'),
});

type Settings = z.output<typeof settings>;

const SERVICE = { en: 'The music store', ru: 'Музыкальный магазин', uk: 'Музичний магазин' };
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `/song <query>` and `/artist <name>` from Apple's iTunes Search API:
 * songs with album, year, length and a link; an artist's genre and latest
 * albums. No key needed.
 */
export const musicPlugin = definePlugin({
  name: 'music',
  version: '1.0.0',
  kind: 'integration',
  description: {
    en: 'Songs and artists (iTunes)',
    ru: 'Песни и исполнители (iTunes)',
    uk: 'Пісні й виконавці (iTunes)',
  },
  settings,
  env: { baseUrl: 'MUSIC_BASE_URL' },
  chatSettings: ['country'],
  setup(p) {
    const itunes = new ItunesClient(
      // The store's catalogue changes by the day at most.
      upstreamClient(p, p.settings, { cacheTtlMs: DAY_MS }),
    );

    p.command('song', (ctx) => song(ctx, itunes), {
      description: {
        en: 'find a song: album, year, length, link',
        ru: 'найти песню: альбом, год, длина, ссылка',
        uk: 'знайти пісню: альбом, рік, тривалість, посилання',
      },
      args: { en: '<artist and title>', ru: '<исполнитель и название>', uk: '<виконавець і назва>' },
      tool: {
        description:
          'Find a song in the iTunes music store by artist and/or title: album, year, length and a link to it.',
        parameters: z.object({
          query: z.string().min(1).max(200).describe('Artist and title, e.g. "Кино Группа крови"'),
        }),
        args: ({ query }) => query,
      },
    });

    p.command('artist', (ctx) => artist(ctx, itunes), {
      description: {
        en: 'an artist: genre and latest albums',
        ru: 'исполнитель: жанр и последние альбомы',
        uk: 'виконавець: жанр і останні альбоми',
      },
      args: { en: '<name>', ru: '<имя>', uk: '<ім’я>' },
      tool: {
        description: 'Look up a music artist in the iTunes store: their genre and latest albums with years.',
        parameters: z.object({ name: z.string().min(1).max(200).describe('The artist or band name') }),
        args: ({ name }) => name,
      },
    });
  },
});

async function song(ctx: CommandContext<Settings>, itunes: ItunesClient): Promise<string> {
  if (ctx.args === '')
    return say(ctx.language, {
      en: 'Which song? For example: /song Queen Bohemian Rhapsody',
      ru: 'Какую песню? Например: /song Кино Группа крови',
      uk: 'Яку пісню? Наприклад: /song Океан Ельзи Обійми',
    });
  const country = ctx.settings.country.toUpperCase();
  const songs = await call(ctx, country, () => itunes.songs(ctx.args, country, ctx.language, ctx.signal));
  return formatSongs(ctx.args, songs, ctx.language);
}

async function artist(ctx: CommandContext<Settings>, itunes: ItunesClient): Promise<string> {
  if (ctx.args === '')
    return say(ctx.language, {
      en: 'Which artist? For example: /artist Queen',
      ru: 'Какой исполнитель? Например: /artist Кино',
      uk: 'Який виконавець? Наприклад: /artist Океан Ельзи',
    });
  const country = ctx.settings.country.toUpperCase();
  const artists = await call(ctx, country, () => itunes.artists(ctx.args, country, ctx.language, ctx.signal));
  const best = bestArtist(ctx.args, artists);
  if (best === null) return formatNoArtist(ctx.args, artists, ctx.language);
  const albums = await call(ctx, country, () => itunes.albums(best.artistId, country, ctx.language, ctx.signal));
  const others = artists.filter((a) => a.artistId !== best.artistId);
  return formatArtist(best, albums, others, ctx.language);
}

/**
 * Runs a store call, turning its failure into an in-persona answer: a 400
 * is the store refusing the `country` setting (it names the storefronts it
 * sells in), anything else the kit's busy or not-answering line.
 */
function call<T>(ctx: CommandContext<Settings>, country: string, run: () => Promise<T>): Promise<T> {
  return upstream(run, ctx.language, SERVICE, {
    400: (error) => {
      ctx.log.warn({ status: 400, country }, 'the iTunes store refuses the country setting');
      return new PluginFailure(
        say(ctx.language, {
          en: `The music store has no shop for country ${country}. The chat's settings need another country.`,
          ru: `У музыкального магазина нет витрины для страны ${country}. В настройках чата нужна другая страна.`,
          uk: `У музичного магазину немає вітрини для країни ${country}. У налаштуваннях чату потрібна інша країна.`,
        }),
        { cause: error },
      );
    },
  });
}
