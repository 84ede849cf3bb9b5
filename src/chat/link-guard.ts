/** A link found in a message. */
export interface FoundLink {
  /** Host in lower case, without "www.". */
  host: string;
  /** Path after the host, '' when none. */
  path: string;
  /** A chat/channel invite (t.me/+…, t.me/joinchat/…, discord.gg/…, …). */
  invite: boolean;
}

const TLDS =
  'com|ru|net|org|io|me|xyz|info|top|site|online|club|shop|biz|su|ua|by|kz|ly|gg|cc|co|link|app|dev|pro|store|live|tv|рф';
const LINK = new RegExp(
  `(?<![@\\p{L}\\p{N}._-])(?:https?://)?(?:www\\.)?((?:[\\p{L}\\p{N}-]+\\.)+(?:${TLDS}))(?![\\p{L}\\p{N}])(/[^\\s<>"']*)?|https?://([^\\s/<>"']+)(/[^\\s<>"']*)?`,
  'giu',
);
/**
 * What every link above holds: a dot right before a letter (its top-level
 * domain) or a scheme's `://`. A text without either ("вечером.", "3.14",
 * "ну...") skips the pattern.
 */
const MAY_HOLD_LINK = /\.\p{L}|:\/\//u;
const INVITE_HOSTS: ReadonlySet<string> = new Set([
  't.me',
  'telegram.me',
  'telegram.dog',
  'discord.gg',
  'discord.com',
  'chat.whatsapp.com',
]);

/** Whether `text` may hold a link at all: {@link findLinks} finds none in a text where this is false, nor in any part of it. */
export function mayHoldLink(text: string): boolean {
  return MAY_HOLD_LINK.test(text);
}

/**
 * Finds links, with or without a scheme ("spam.xyz/win", "https://…"); the
 * domain of an e-mail address is not a link.
 * Anything pointing at another chat or channel counts as an invite: that is
 * what Telegram spam looks like.
 */
export function findLinks(text: string): FoundLink[] {
  if (!mayHoldLink(text)) return [];
  const links: FoundLink[] = [];
  // `exec` on the shared pattern: `matchAll` would copy it for every call.
  LINK.lastIndex = 0;
  for (let m = LINK.exec(text); m !== null; m = LINK.exec(text)) {
    const host = (m[1] ?? m[3] ?? '').toLowerCase().replace(/^www\./, '');
    if (host.length === 0) continue;
    const path = m[2] ?? m[4] ?? '';
    const invite = INVITE_HOSTS.has(host) && (path.length > 1 || host === 'chat.whatsapp.com');
    links.push({ host, path, invite });
  }
  return links;
}

/**
 * True when an allow-list entry covers the link: a domain covers itself and
 * its subdomains; an entry with a path ("t.me/ourchannel") covers that path
 * and below.
 */
export function linkAllowed(link: FoundLink, allow: readonly string[]): boolean {
  const full = `${link.host}${link.path}`.toLowerCase();
  for (const entry of allow) {
    const slash = entry.indexOf('/');
    if (slash < 0) {
      if (link.host === entry || link.host.endsWith(`.${entry}`)) return true;
    } else if (
      full === entry ||
      full.startsWith(entry.endsWith('/') ? entry : `${entry}/`) ||
      full.startsWith(`${entry}?`)
    ) {
      return true;
    }
  }
  return false;
}
