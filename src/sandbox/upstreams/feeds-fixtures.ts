/**
 * The feeds the `feeds` emulator serves, each copying a real public feed:
 * its format, channel fields and the fields its items carry (the structure
 * of the live documents at `realUrl`; the headlines are made up). Item dates
 * are minutes before the emulator started, so a feed looks fresh whenever it
 * runs.
 */

/** The syndication formats the news plugin reads. */
export type FeedFormat = 'rss2' | 'rss1' | 'atom';

/** One item (RSS) or entry (Atom). */
export interface FeedItemFixture {
  title: string;
  /** The page the item is about (RSS `link`, Atom `link rel="alternate"`). */
  link: string;
  /** RSS `guid` / Atom `id`; RSS 1.0 items have none (their `rdf:about` is the link). */
  guid?: string;
  description: string;
  minutesAgo: number;
  /** `dc:creator` (Habr, Slashdot) or Atom `author/name`. */
  author?: string;
  /** RSS `category` / `dc:subject`. */
  category?: string;
}

export interface FeedFixture {
  /** Its name in the emulator's control routes (`POST /feeds/<id>/items`). */
  id: string;
  /** Where the emulator serves it, under `/feeds` (the real path, after a short name of the host). */
  path: string;
  /** A query parameter the real URL carries, required here too (`feed=atom`). */
  query?: Readonly<Record<string, string>>;
  /** The real feed it copies. */
  realUrl: string;
  format: FeedFormat;
  title: string;
  /** The site the feed is for. */
  link: string;
  description: string;
  language: string;
  /** RSS 2.0 `ttl`: minutes a reader may cache it (BBC sends 15). */
  ttl?: number;
  /** Where published items link (`POST /feeds/<id>/items` without a link): `<site>/<n>`. */
  newItemBase: string;
  items: readonly FeedItemFixture[];
}

/** Meduza, RSS 2.0 in Russian: channel title/link/description/language/atom:link, items with guid and enclosure. */
const meduza: FeedFixture = {
  id: 'meduza',
  path: '/meduza/rss/all',
  realUrl: 'https://meduza.io/rss/all',
  format: 'rss2',
  title: 'Meduza.io',
  link: 'https://meduza.io/',
  description: 'Meduza.io',
  language: 'ru',
  newItemBase: 'https://meduza.io/news/emulated',
  items: [
    {
      title: 'В Москве ожидается первый снег: синоптики обещают до минус трех',
      link: 'https://meduza.io/news/2025/11/12/v-moskve-ozhidaetsya-pervyy-sneg',
      description: 'Снег с дождем пройдет в ночь на четверг, к утру возможна гололедица.',
      minutesAgo: 4,
    },
    {
      title: 'Астрономы нашли у ближайшей звезды еще одну планету размером с Землю',
      link: 'https://meduza.io/news/2025/11/12/astronomy-nashli-planetu',
      description: 'Планета находится в зоне, где на поверхности может быть жидкая вода.',
      minutesAgo: 19,
    },
    {
      title: 'Третьяковская галерея откроет выставку Айвазовского на три месяца раньше',
      link: 'https://meduza.io/news/2025/11/12/tretyakovka-ayvazovskiy',
      description: 'В экспозицию войдут сорок картин из региональных музеев.',
      minutesAgo: 47,
    },
    {
      title: '«Зенит» обыграл ЦСКА и вышел на первое место в таблице',
      link: 'https://meduza.io/news/2025/11/12/zenit-tsska',
      description: 'Единственный гол забили на 78-й минуте.',
      minutesAgo: 95,
    },
    {
      title: 'Погода в Петербурге: на выходных до плюс восьми и сильный ветер',
      link: 'https://meduza.io/news/2025/11/12/pogoda-v-peterburge',
      description: 'Штормовое предупреждение действует до вечера субботы.',
      minutesAgo: 160,
    },
    {
      title: 'Исследование: кофе по утрам не мешает сну, если пить его до полудня',
      link: 'https://meduza.io/feature/2025/11/12/kofe-i-son',
      description: 'Ученые наблюдали за двумя тысячами добровольцев полгода.',
      minutesAgo: 240,
    },
  ],
};

/** BBC News World, RSS 2.0 in English with CDATA texts, `ttl` 15, `guid isPermaLink="false"` and media:thumbnail. */
const bbc: FeedFixture = {
  id: 'bbc',
  path: '/bbc/news/world/rss.xml',
  realUrl: 'https://feeds.bbci.co.uk/news/world/rss.xml',
  format: 'rss2',
  title: 'BBC News',
  link: 'https://www.bbc.co.uk/news/world',
  description: 'BBC News - World',
  language: 'en-gb',
  ttl: 15,
  newItemBase: 'https://www.bbc.com/news/articles/emulated',
  items: [
    {
      title: 'Climate talks agree new fund for flood defences',
      link: 'https://www.bbc.com/news/articles/c0climate01o',
      guid: 'https://www.bbc.com/news/articles/c0climate01o#0',
      description: 'Delegates from 190 countries back a fund to help coastal cities prepare for rising seas.',
      minutesAgo: 7,
    },
    {
      title: 'Moscow metro opens its longest line after a decade of work',
      link: 'https://www.bbc.com/news/articles/c1metro0002o',
      guid: 'https://www.bbc.com/news/articles/c1metro0002o#0',
      description: 'The circle line links the outer districts without passing through the centre.',
      minutesAgo: 26,
    },
    {
      title: 'Scientists revive seeds frozen for 30,000 years',
      link: 'https://www.bbc.com/news/articles/c2seeds0003o',
      guid: 'https://www.bbc.com/news/articles/c2seeds0003o#0',
      description: 'The plants grew and flowered in a laboratory in Siberia.',
      minutesAgo: 58,
    },
    {
      title: 'Tokyo marathon to cap entries as demand soars',
      link: 'https://www.bbc.com/news/articles/c3tokyo0004o',
      guid: 'https://www.bbc.com/news/articles/c3tokyo0004o#0',
      description: 'Organisers say a ballot will decide who runs next year.',
      minutesAgo: 130,
    },
    {
      title: 'Heatwave warning for southern Europe as temperatures pass 40C',
      link: 'https://www.bbc.com/news/articles/c4heat00005o',
      guid: 'https://www.bbc.com/news/articles/c4heat00005o#0',
      description: 'Authorities in Spain and Italy urge people to stay indoors in the afternoon.',
      minutesAgo: 205,
    },
  ],
};

/** Habr, RSS 2.0 in Russian: permalink guid, a link with utm tags, dc:creator and category. */
const habr: FeedFixture = {
  id: 'habr',
  path: '/habr/ru/rss/articles/',
  realUrl: 'https://habr.com/ru/rss/articles/',
  format: 'rss2',
  title: 'Все статьи подряд / Хабр',
  link: 'https://habr.com/ru/articles/',
  description: 'Все статьи подряд на Хабре',
  language: 'ru',
  newItemBase: 'https://habr.com/ru/articles/emulated',
  items: [
    {
      title: 'Как мы перевели монолит на акторы и перестали терять сообщения',
      link: 'https://habr.com/ru/articles/861001/?utm_campaign=861001&utm_source=habrahabr&utm_medium=rss',
      guid: 'https://habr.com/ru/articles/861001/',
      description: 'История переезда чат-бота на модель акторов: очереди, супервизоры и снапшоты.',
      minutesAgo: 12,
      author: 'akonev',
      category: 'Программирование',
    },
    {
      title: 'PostgreSQL 17: что нового для разработчика',
      link: 'https://habr.com/ru/articles/861002/?utm_campaign=861002&utm_source=habrahabr&utm_medium=rss',
      guid: 'https://habr.com/ru/articles/861002/',
      description: 'Разбираем инкрементальные бэкапы, JSON_TABLE и ускорение VACUUM.',
      minutesAgo: 41,
      author: 'pg_fan',
      category: 'PostgreSQL',
    },
    {
      title: 'Погода из космоса: как устроены метеоспутники',
      link: 'https://habr.com/ru/articles/861003/?utm_campaign=861003&utm_source=habrahabr&utm_medium=rss',
      guid: 'https://habr.com/ru/articles/861003/',
      description: 'От радиометров до прогнозов: путь данных со спутника в приложение погоды.',
      minutesAgo: 88,
      author: 'orbit',
      category: 'Научно-популярное',
    },
    {
      title: 'Пишем парсер RSS на TypeScript за вечер',
      link: 'https://habr.com/ru/articles/861004/?utm_campaign=861004&utm_source=habrahabr&utm_medium=rss',
      guid: 'https://habr.com/ru/articles/861004/',
      description: 'RSS 2.0, Atom и немного боли с кодировками.',
      minutesAgo: 170,
      author: 'tsdev',
      category: 'TypeScript',
    },
    {
      title: 'Почему ваш Telegram-бот отвечает медленно',
      link: 'https://habr.com/ru/articles/861005/?utm_campaign=861005&utm_source=habrahabr&utm_medium=rss',
      guid: 'https://habr.com/ru/articles/861005/',
      description: 'Лимиты Bot API, вебхуки против long polling и где теряются секунды.',
      minutesAgo: 300,
      author: 'botmaker',
      category: 'Разработка',
    },
  ],
};

/** GitHub releases of Node.js, Atom in English: tag: ids, link rel="alternate", content, author. */
const node: FeedFixture = {
  id: 'node',
  path: '/github/nodejs/node/releases.atom',
  realUrl: 'https://github.com/nodejs/node/releases.atom',
  format: 'atom',
  title: 'Release notes from node',
  link: 'https://github.com/nodejs/node/releases',
  description: 'Release notes from node',
  language: 'en-US',
  newItemBase: 'https://github.com/nodejs/node/releases/tag/emulated',
  items: [
    {
      title: '2025-11-11, Version 24.11.1 (Current), @RafaelGSS',
      link: 'https://github.com/nodejs/node/releases/tag/v24.11.1',
      guid: 'tag:github.com,2008:Repository/27193779/v24.11.1',
      description: 'Notable changes: fixes a regression in the fetch implementation.',
      minutesAgo: 33,
      author: 'RafaelGSS',
    },
    {
      title: "2025-11-04, Version 22.21.1 'Jod' (LTS), @aduh95",
      link: 'https://github.com/nodejs/node/releases/tag/v22.21.1',
      guid: 'tag:github.com,2008:Repository/27193779/v22.21.1',
      description: 'Notable changes: updates root certificates and OpenSSL.',
      minutesAgo: 190,
      author: 'aduh95',
    },
    {
      title: "2025-10-28, Version 20.19.6 'Iron' (LTS), @marco-ippolito",
      link: 'https://github.com/nodejs/node/releases/tag/v20.19.6',
      guid: 'tag:github.com,2008:Repository/27193779/v20.19.6',
      description: 'Notable changes: security release for the HTTP parser.',
      minutesAgo: 420,
      author: 'marco-ippolito',
    },
  ],
};

/** Russian Wikipedia's new pages, MediaWiki's Atom in Russian: page URLs as ids, summary type="html". */
const wikipedia: FeedFixture = {
  id: 'wikipedia',
  path: '/wikipedia/w/index.php',
  query: { feed: 'atom' },
  realUrl: 'https://ru.wikipedia.org/w/index.php?title=Служебная:Новые_страницы&feed=atom',
  format: 'atom',
  title: 'Википедия - Новые страницы [ru]',
  link: 'https://ru.wikipedia.org/wiki/Служебная:Новые_страницы',
  description: 'Из Википедии — свободной энциклопедии',
  language: 'ru',
  newItemBase: 'https://ru.wikipedia.org/wiki/Эмуляция',
  items: [
    {
      title: 'Светлое (озеро, Карелия)',
      link: 'https://ru.wikipedia.org/wiki/Светлое_(озеро,_Карелия)',
      guid: 'https://ru.wikipedia.org/wiki/Светлое_(озеро,_Карелия)',
      description: 'Озеро в Кондопожском районе Республики Карелия.',
      minutesAgo: 9,
      author: 'Lazyhawk',
    },
    {
      title: 'Московский метрополитен в культуре',
      link: 'https://ru.wikipedia.org/wiki/Московский_метрополитен_в_культуре',
      guid: 'https://ru.wikipedia.org/wiki/Московский_метрополитен_в_культуре',
      description: 'Станции и поезда метро в литературе, кино и музыке.',
      minutesAgo: 64,
      author: 'Метро-фан',
    },
    {
      title: 'Климат Якутска',
      link: 'https://ru.wikipedia.org/wiki/Климат_Якутска',
      guid: 'https://ru.wikipedia.org/wiki/Климат_Якутска',
      description: 'Резко континентальный климат с самой холодной зимой среди крупных городов.',
      minutesAgo: 150,
      author: 'Meteo',
    },
  ],
};

/** Slashdot, RDF Site Summary (RSS 1.0) in English: rdf:about items with dc:date and dc:subject, no guid. */
const slashdot: FeedFixture = {
  id: 'slashdot',
  path: '/slashdot/Slashdot/slashdotMain',
  realUrl: 'https://rss.slashdot.org/Slashdot/slashdotMain',
  format: 'rss1',
  title: 'Slashdot',
  link: 'https://slashdot.org/',
  description: 'News for nerds, stuff that matters',
  language: 'en-us',
  newItemBase: 'https://slashdot.org/story/emulated',
  items: [
    {
      title: 'Linux 6.18 Released With Faster Boot On ARM Laptops',
      link: 'https://linux.slashdot.org/story/25/11/12/0012345/linux-618-released?utm_source=rss1.0mainlinkanon&utm_medium=feed',
      description: 'The new kernel brings scheduler fixes and better power management.',
      minutesAgo: 15,
      author: 'BeauHD',
      category: 'linux',
    },
    {
      title: 'Researchers Build a Battery That Charges In Five Minutes',
      link: 'https://hardware.slashdot.org/story/25/11/12/0023456/battery-five-minutes?utm_source=rss1.0mainlinkanon&utm_medium=feed',
      description: 'The prototype survives ten thousand cycles in the lab.',
      minutesAgo: 75,
      author: 'msmash',
      category: 'hardware',
    },
    {
      title: 'Climate Satellites Spot Methane Leaks From Orbit',
      link: 'https://science.slashdot.org/story/25/11/12/0034567/methane-from-orbit?utm_source=rss1.0mainlinkanon&utm_medium=feed',
      description: 'A new constellation maps emissions down to single facilities.',
      minutesAgo: 180,
      author: 'EditorDavid',
      category: 'science',
    },
  ],
};

/** Every feed the emulator serves. */
export const FEED_FIXTURES: readonly FeedFixture[] = [meduza, bbc, habr, node, wikipedia, slashdot];

/**
 * A site's home page (Meduza's), HTML and not a feed, with the
 * `<link rel="alternate">` that points readers at its feed, as real pages do.
 */
export function homePage(feedUrl: string): string {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Meduza — Новости</title>
<meta name="description" content="Новости, которые важны">
<link rel="alternate" type="application/rss+xml" title="Meduza" href="${feedUrl}">
</head>
<body>
<main><h1>Meduza</h1><p>Главные новости дня.</p></main>
</body>
</html>
`;
}
