import type { Language } from '../../../chat/index.js';
import { clip, dateTimeFormat, say } from '../integration-kit.js';
import type { FeedEntry } from './feed-parse.js';
import type { FeedFailure } from './feed-reader.js';
import type { Subscription } from './news-data.js';

/** How many new items of one feed a poll posts; the rest are counted ("and 4 more"). */
export const POSTED_PER_FEED = 3;

/** How many of a feed's headlines the answer to `/feed add` shows. */
const SHOWN_ON_ADD = 3;

/** A headline on one line: its title and link. */
function line(entry: FeedEntry): string {
  return entry.link === null ? `• ${entry.title}` : `• ${entry.title} — ${entry.link}`;
}

/**
 * The answer to `/news`: the newest headlines (at most `maxItems`), on the
 * topic when one was asked, with a note when some feeds did not answer.
 */
export function headlinesText(
  entries: readonly FeedEntry[],
  options: { language: Language; topic: string; maxItems: number; failedFeeds: number; feeds: number },
): string {
  const { language, topic, maxItems, failedFeeds, feeds } = options;
  const failedNote =
    failedFeeds === 0
      ? []
      : [
          say(language, {
            en: `(${failedFeeds} of ${feeds} feeds didn't answer)`,
            ru: `(не ответили ленты: ${failedFeeds} из ${feeds})`,
            uk: `(не відповіли стрічки: ${failedFeeds} із ${feeds})`,
          }),
        ];
  if (entries.length === 0) {
    const nothing =
      topic === ''
        ? say(language, {
            en: 'The feeds have no headlines just now.',
            ru: 'В лентах пока пусто.',
            uk: 'У стрічках поки порожньо.',
          })
        : say(language, {
            en: `Nothing on “${topic}” in the feeds. Try another word, or just /news.`,
            ru: `По теме «${topic}» в лентах ничего нет. Попробуй другое слово или просто /news.`,
            uk: `На тему «${topic}» у стрічках нічого немає. Спробуй інше слово або просто /news.`,
          });
    return clip([nothing, ...failedNote].join('\n'));
  }
  const title =
    topic === ''
      ? say(language, { en: '🗞 Latest headlines:', ru: '🗞 Свежие новости:', uk: '🗞 Свіжі новини:' })
      : say(language, {
          en: `🗞 Headlines on “${topic}”:`,
          ru: `🗞 Новости по теме «${topic}»:`,
          uk: `🗞 Новини на тему «${topic}»:`,
        });
  return clip([title, ...entries.slice(0, maxItems).map(line), ...failedNote].join('\n'));
}

/** A poll's post of a feed's new items: a few, and how many more. */
export function freshItemsText(feedTitle: string, fresh: readonly FeedEntry[], language: Language): string {
  const more = fresh.length - POSTED_PER_FEED;
  const moreLine =
    more > 0 ? [say(language, { en: `…and ${more} more`, ru: `…и ещё ${more}`, uk: `…і ще ${more}` })] : [];
  return clip([`📰 ${feedTitle}`, ...fresh.slice(0, POSTED_PER_FEED).map(line), ...moreLine].join('\n'));
}

/** The answer to `/feed add` that worked: the feed's title and id, its latest headlines, how often it is polled. */
export function addedText(
  feed: Subscription,
  latest: readonly FeedEntry[],
  pollMinutes: number,
  language: Language,
): string {
  const minutes = Math.max(pollMinutes, feed.ttlMinutes ?? 0);
  return clip(
    [
      say(language, {
        en: `✅ The chat now follows “${feed.title}” (#${feed.id}).${latest.length > 0 ? ' Latest there:' : ''}`,
        ru: `✅ Подписал чат на «${feed.title}» (#${feed.id}).${latest.length > 0 ? ' Свежее там:' : ''}`,
        uk: `✅ Підписав чат на «${feed.title}» (#${feed.id}).${latest.length > 0 ? ' Свіже там:' : ''}`,
      }),
      ...latest.slice(0, SHOWN_ON_ADD).map(line),
      say(language, {
        en: `I'll post what's new here, checking every ${minutes} min.`,
        ru: `Новое буду присылать сюда, проверяю раз в ${minutes} мин.`,
        uk: `Нове надсилатиму сюди, перевіряю раз на ${minutes} хв.`,
      }),
    ].join('\n'),
  );
}

/** The answer to `/feed list`: each feed's id, title, URL, when it last had news, and whether it is failing. */
export function feedListText(
  feeds: readonly Subscription[],
  maxFeeds: number,
  utcOffsetMinutes: number,
  language: Language,
): string {
  if (feeds.length === 0)
    return say(language, {
      en: 'The chat follows no feeds of its own: /news reads the default ones. Add one: /feed add <link>',
      ru: 'У чата нет своих лент: /news читает ленты по умолчанию. Добавить: /feed add <ссылка>',
      uk: 'У чату немає своїх стрічок: /news читає типові стрічки. Додати: /feed add <посилання>',
    });
  const lines = feeds.map((feed) => {
    const updated =
      feed.newestAtMs === undefined
        ? say(language, { en: 'no dated items', ru: 'без дат', uk: 'без дат' })
        : say(language, {
            en: `updated ${when(feed.newestAtMs, utcOffsetMinutes, language)}`,
            ru: `обновлялась ${when(feed.newestAtMs, utcOffsetMinutes, language)}`,
            uk: `оновлювалася ${when(feed.newestAtMs, utcOffsetMinutes, language)}`,
          });
    const failing =
      feed.failures === 0
        ? ''
        : say(language, {
            en: `, ⚠️ failing (${feed.failures} in a row)`,
            ru: `, ⚠️ не отвечает (${feed.failures} раз подряд)`,
            uk: `, ⚠️ не відповідає (${feed.failures} раз поспіль)`,
          });
    return `#${feed.id} ${feed.title} — ${feed.url} (${updated}${failing})`;
  });
  const title = say(language, {
    en: `📋 The chat's feeds (${feeds.length} of ${maxFeeds}):`,
    ru: `📋 Ленты чата (${feeds.length} из ${maxFeeds}):`,
    uk: `📋 Стрічки чату (${feeds.length} із ${maxFeeds}):`,
  });
  return clip([title, ...lines].join('\n'));
}

/** A time in the chat's local time: `04.12 20:14` / `4 Dec 20:14`. */
function when(ms: number, utcOffsetMinutes: number, language: Language): string {
  const local = new Date(ms + utcOffsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  if (language !== 'en') return `${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)} ${time}`;
  const month = dateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(local);
  return `${local.getUTCDate()} ${month} ${time}`;
}

/** Why `/feed add` could not follow a feed, in a sentence. */
export function addFailureText(
  failure: FeedFailure | 'not-url' | 'not-http',
  language: Language,
  detail: { status?: number | null; feedLink?: string | null; maxBytes?: number } = {},
): string {
  switch (failure) {
    case 'not-url':
      return say(language, {
        en: "That doesn't look like a link. Try /feed add https://example.org/rss",
        ru: 'Это не похоже на ссылку. Пиши так: /feed add https://example.org/rss',
        uk: 'Це не схоже на посилання. Пиши так: /feed add https://example.org/rss',
      });
    case 'not-http':
      return say(language, {
        en: 'I only read feeds over http(s).',
        ru: 'Я читаю только ленты по http(s).',
        uk: 'Я читаю лише стрічки через http(s).',
      });
    case 'bad-url':
      return say(language, {
        en: 'That link leads nowhere I can read (a redirect loop or an odd address).',
        ru: 'Эта ссылка никуда толком не ведёт (редиректы по кругу или странный адрес).',
        uk: 'Це посилання нікуди до ладу не веде (редиректи по колу чи дивна адреса).',
      });
    case 'private-host':
      return say(language, {
        en: "That link points into a private network: I don't open those.",
        ru: 'Эта ссылка ведёт во внутреннюю сеть — такие адреса я не открываю.',
        uk: 'Це посилання веде у внутрішню мережу — такі адреси я не відкриваю.',
      });
    case 'missing':
      return say(language, {
        en: `There's nothing at that link (${detail.status ?? 404}). Check the address.`,
        ru: `По этой ссылке ничего нет (${detail.status ?? 404}). Проверь адрес.`,
        uk: `За цим посиланням нічого немає (${detail.status ?? 404}). Перевір адресу.`,
      });
    case 'refused':
      return say(language, {
        en: `The site refused to give the feed (${detail.status ?? 403}).`,
        ru: `Сайт не отдаёт ленту (ответ ${detail.status ?? 403}).`,
        uk: `Сайт не віддає стрічку (відповідь ${detail.status ?? 403}).`,
      });
    case 'down': {
      const code = detail.status === undefined || detail.status === null ? '' : ` (${detail.status})`;
      return say(language, {
        en: `The site isn't answering properly right now${code}. Try again later.`,
        ru: `Сайт сейчас толком не отвечает${code}. Попробуй позже.`,
        uk: `Сайт зараз до ладу не відповідає${code}. Спробуй пізніше.`,
      });
    }
    case 'unreachable':
      return say(language, {
        en: "I can't reach that site: it doesn't answer.",
        ru: 'Не могу достучаться до сайта: он не отвечает.',
        uk: 'Не можу достукатися до сайту: він не відповідає.',
      });
    case 'too-large': {
      const mib = Math.round((detail.maxBytes ?? 2 * 1024 * 1024) / (1024 * 1024));
      return say(language, {
        en: `That feed is too big (over ${mib} MB): I won't read it.`,
        ru: `Эта лента слишком большая (больше ${mib} МБ) — такую я не читаю.`,
        uk: `Ця стрічка завелика (понад ${mib} МБ) — таку я не читаю.`,
      });
    }
    case 'not-feed':
      return detail.feedLink === undefined || detail.feedLink === null
        ? say(language, {
            en: "That's not an RSS or Atom feed. Look for an “RSS” link on the site.",
            ru: 'Это не RSS- и не Atom-лента. Поищи на сайте ссылку «RSS».',
            uk: 'Це не RSS- і не Atom-стрічка. Пошукай на сайті посилання «RSS».',
          })
        : say(language, {
            en: `That's a web page, not a feed. Its feed is here: /feed add ${detail.feedLink}`,
            ru: `Это страница, а не лента. Её лента вот: /feed add ${detail.feedLink}`,
            uk: `Це сторінка, а не стрічка. Її стрічка ось: /feed add ${detail.feedLink}`,
          });
  }
}
