import { SeededRandom } from '../src/sandbox/index.js';

/**
 * Synthetic group-chat traffic for the anomaly bench: normal days (diurnal
 * and weekly rates, event announcements with a wave of joins and greetings,
 * heated threads, members who share links or switch language now and then,
 * birthday choruses) and injected raids and account takeovers. Seeded: the
 * same seed gives the same traffic.
 */

export type TrafficEvent =
  { type: 'join'; ms: number; userIds: number[] } | { type: 'message'; ms: number; userId: number; text: string };

export type RaidType = 'flash' | 'wave' | 'trickle_links' | 'trickle_text' | 'sleepers';
export type TakeoverType = 'spam_links' | 'foreign_language' | 'flood';

/** An injected incident and the window in which an alert counts as catching it. */
export interface Incident {
  kind: 'raid' | 'takeover';
  type: RaidType | TakeoverType;
  startMs: number;
  endMs: number;
  /** For a takeover: the member whose account was taken. */
  userId?: number;
}

interface Member {
  id: number;
  weight: number;
  language: 'ru' | 'uk' | 'en';
  /** Share of messages in the member's second language. */
  otherLanguageShare: number;
  linkRate: number;
}

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const WORDS = {
  ru: 'привет как дела сегодня вечером кто идёт на встречу ну да нет ладно класс посмотрел фильм работа погода кофе завтра думаю может быть согласен странно интересно опять поздно рано дома'.split(
    ' ',
  ),
  uk: 'привіт як справи сьогодні ввечері хто йде на зустріч так ні добре клас дивився фільм робота погода кава завтра думаю можливо згоден цікаво знову пізно рано вдома'.split(
    ' ',
  ),
  en: 'hey how are you today tonight who is coming to the meetup yes no fine nice watched movie work weather coffee tomorrow think maybe agree strange interesting again late early home'.split(
    ' ',
  ),
};
const GREETINGS = ['Всем привет!', 'привет всем', 'Здравствуйте', 'hi all', 'Привет, я новенький', 'добрый вечер'];
const NORMAL_LINKS = [
  'https://youtube.com/watch?v=',
  'https://github.com/lekha/issues/',
  'https://lenta.ru/news/2026/',
  'https://habr.com/ru/articles/',
  'https://meduza.io/feature/',
  'https://t.me/c/1234/',
  'https://docs.google.com/document/d/',
  'https://vk.com/wall-',
];
const SPAM = [
  'Заработок от 5000$ в неделю без вложений, пиши в лс',
  'FREE crypto airdrop, claim your tokens now',
  'Продам аккаунты и базы, недорого, опт',
  'Лучшие ставки на спорт, бонус 200% новым игрокам',
  'Hot singles in your area want to meet you tonight',
];
const SPAM_HOSTS = ['airdrop-claim.top', 'easy-money.xyz', 'bet-bonus.site', 'crypto-x.online', 'promo-club.shop'];
const LONG_SPAM = [
  'Ребята, кто хочет подработку на дому, пишите мне в личку, всё расскажу подробно и бесплатно',
  'Attention! This group is moving to a new chat, everyone must rejoin there within an hour or be removed',
];

export class ChatSimulation {
  readonly random: SeededRandom;
  readonly members: Member[] = [];
  private readonly cumulative: number[] = [];
  private nextUserId: number;
  /** Messages per day on an average weekday, joins per day. */
  readonly messagesPerDay: number;
  readonly joinsPerDay: number;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
    const r = this.random;
    this.nextUserId = 1_000_000 + seed * 10_000;
    const size = Math.round(15 * Math.pow(20, r.next())); // 15..300 regular members
    this.messagesPerDay = Math.round(40 * Math.pow(40, r.next())); // 40..1600
    this.joinsPerDay = 0.3 + 25 * Math.pow(r.next(), 2);
    for (let i = 0; i < size; i++) this.members.push(this.newMember());
    this.reweigh();
  }

  private newMember(): Member {
    const r = this.random;
    const roll = r.next();
    const language = roll < 0.75 ? 'ru' : roll < 0.85 ? 'uk' : 'en';
    const bilingual = r.next() < 0.25;
    const linkRoll = r.next();
    return {
      id: this.nextUserId++,
      // Heavy-tailed activity: a few members write most messages.
      weight: Math.pow(r.next(), 3) + 0.01,
      language,
      otherLanguageShare: bilingual ? 0.05 + 0.4 * r.next() : 0.01 * r.next(),
      linkRate: linkRoll < 0.7 ? 0.01 * r.next() : linkRoll < 0.95 ? 0.03 + 0.1 * r.next() : 0.15 + 0.3 * r.next(),
    };
  }

  private reweigh(): void {
    this.cumulative.length = 0;
    let sum = 0;
    for (const m of this.members) this.cumulative.push((sum += m.weight));
  }

  private pickMember(): Member {
    const target = this.random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return this.members[lo]!;
  }

  /** A random time of day weighted by the chat's diurnal curve (quiet at night, busiest in the evening). */
  private timeOfDay(dayStartMs: number): number {
    for (;;) {
      const minute = this.random.int(0, 1439);
      const hour = minute / 60;
      const level = 0.08 + Math.pow(Math.max(0, Math.sin(((hour - 7) / 17) * Math.PI)), 1.5);
      if (this.random.next() < level) return dayStartMs + minute * MINUTE_MS + this.random.int(0, 59_999);
    }
  }

  private words(language: 'ru' | 'uk' | 'en', min: number, max: number): string {
    const list = WORDS[language];
    const n = this.random.int(min, max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(list[this.random.int(0, list.length - 1)]!);
    return out.join(' ');
  }

  private poisson(mean: number): number {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.random.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.random.next();
    while (p > limit) {
      k++;
      p *= this.random.next();
    }
    return k;
  }

  private memberMessage(m: Member): string {
    const r = this.random;
    const other = m.language === 'en' ? 'ru' : 'en';
    const language = r.next() < m.otherLanguageShare ? other : m.language;
    const text = this.words(language, 1, 12);
    if (r.next() < m.linkRate) return `${text} ${NORMAL_LINKS[r.int(0, NORMAL_LINKS.length - 1)]}${r.int(1, 99999)}`;
    return text;
  }

  /** One normal day of this chat, sorted by time. */
  day(dayStartMs: number, weekday: number): TrafficEvent[] {
    const r = this.random;
    const events: TrafficEvent[] = [];
    const weekly = weekday >= 5 ? 0.7 : 1;
    const dayFactor = weekly * Math.exp(0.35 * r.normal());
    for (let i = this.poisson(this.messagesPerDay * dayFactor); i > 0; i--) {
      const m = this.pickMember();
      events.push({ type: 'message', ms: this.timeOfDay(dayStartMs), userId: m.id, text: this.memberMessage(m) });
    }
    // Ordinary joins through the day; some newcomers greet, a few post a link.
    for (let i = this.poisson(this.joinsPerDay * dayFactor); i > 0; i--)
      this.newcomer(events, this.timeOfDay(dayStartMs));
    // An event announcement: a burst of talk and a small wave of joins.
    if (r.next() < 0.15) {
      const at = this.timeOfDay(dayStartMs);
      const talk = r.int(20, 120);
      for (let i = 0; i < talk; i++) {
        const m = this.pickMember();
        events.push({ type: 'message', ms: at + r.int(0, 30 * MINUTE_MS), userId: m.id, text: this.memberMessage(m) });
      }
      const joins = r.int(2, 7);
      for (let i = 0; i < joins; i++) this.newcomer(events, at + r.int(0, 15 * MINUTE_MS));
    }
    // A heated thread: one member writes a lot in a few minutes.
    if (r.next() < 0.2) {
      const m = this.pickMember();
      const at = this.timeOfDay(dayStartMs);
      const n = r.int(8, 22);
      for (let i = 0; i < n; i++)
        events.push({ type: 'message', ms: at + r.int(0, 10 * MINUTE_MS), userId: m.id, text: this.memberMessage(m) });
    }
    // A member back from abroad, or answering a foreign guest: a few messages in another language.
    if (r.next() < 0.1) {
      const m = this.pickMember();
      const at = this.timeOfDay(dayStartMs);
      const n = r.int(2, 6);
      for (let i = 0; i < n; i++)
        events.push({
          type: 'message',
          ms: at + i * r.int(10_000, 120_000),
          userId: m.id,
          text: this.words(m.language === 'en' ? 'ru' : 'en', 2, 10),
        });
    }
    // Someone shares a few links in a row (a reading list).
    if (r.next() < 0.1) {
      const m = this.pickMember();
      const at = this.timeOfDay(dayStartMs);
      const n = r.int(2, 4);
      for (let i = 0; i < n; i++)
        events.push({
          type: 'message',
          ms: at + i * r.int(5_000, 60_000),
          userId: m.id,
          text: `${NORMAL_LINKS[r.int(0, NORMAL_LINKS.length - 1)]}${r.int(1, 99999)}`,
        });
    }
    // A birthday chorus: many members send the same congratulation.
    if (r.next() < 0.05) {
      const at = this.timeOfDay(dayStartMs);
      const n = r.int(4, 15);
      for (let i = 0; i < n; i++)
        events.push({
          type: 'message',
          ms: at + r.int(0, 20 * MINUTE_MS),
          userId: this.pickMember().id,
          text: 'С днём рождения! Счастья, здоровья и всего самого лучшего!',
        });
    }
    return sortEvents(events);
  }

  private newcomer(events: TrafficEvent[], at: number): void {
    const r = this.random;
    const id = this.nextUserId++;
    events.push({ type: 'join', ms: at, userIds: [id] });
    if (r.next() < 0.5) {
      events.push({
        type: 'message',
        ms: at + r.int(10_000, 30 * MINUTE_MS),
        userId: id,
        text: GREETINGS[r.int(0, GREETINGS.length - 1)]!,
      });
    }
    if (r.next() < 0.1) {
      events.push({
        type: 'message',
        ms: at + r.int(60_000, 3 * 60 * MINUTE_MS),
        userId: id,
        text: `${this.words('ru', 2, 8)} ${NORMAL_LINKS[r.int(0, NORMAL_LINKS.length - 1)]}${r.int(1, 99999)}`,
      });
    }
    // Some newcomers stay and become members.
    if (r.next() < 0.3) {
      this.members.push({ ...this.newMember(), id });
      this.reweigh();
    }
  }

  /** A raid starting at `atMs`: its events and the incident window. */
  raid(type: RaidType, atMs: number): { events: TrafficEvent[]; incident: Incident } {
    const r = this.random;
    const events: TrafficEvent[] = [];
    const spam = SPAM[r.int(0, SPAM.length - 1)]!;
    const host = SPAM_HOSTS[r.int(0, SPAM_HOSTS.length - 1)]!;
    const accounts = (n: number): number[] => Array.from({ length: n }, () => this.nextUserId++);
    let endMs = atMs;
    const post = (id: number, ms: number, text: string): void => {
      events.push({ type: 'message', ms, userId: id, text });
      endMs = Math.max(endMs, ms);
    };
    switch (type) {
      case 'flash': {
        // Dozens of accounts within a couple of minutes, most posting the same link ad.
        const ids = accounts(r.int(15, 120));
        const spreadMs = r.int(1, 3) * MINUTE_MS;
        const sameText = r.next() < 0.6;
        for (const id of ids) {
          const joined = atMs + r.int(0, spreadMs);
          events.push({ type: 'join', ms: joined, userIds: [id] });
          if (r.next() < 0.7)
            post(
              id,
              joined + r.int(5_000, 5 * MINUTE_MS),
              sameText ? `${spam} https://${host}/r` : `${spam} ${r.int(1, 999)} https://${host}/r${r.int(1, 9999)}`,
            );
        }
        break;
      }
      case 'wave': {
        const ids = accounts(r.int(10, 25));
        const text = LONG_SPAM[r.int(0, LONG_SPAM.length - 1)]!;
        for (const id of ids) {
          const joined = atMs + r.int(0, r.int(4, 8) * MINUTE_MS);
          events.push({ type: 'join', ms: joined, userIds: [id] });
          if (r.next() < 0.6) post(id, joined + r.int(5_000, 5 * MINUTE_MS), text);
        }
        break;
      }
      case 'trickle_links':
      case 'trickle_text': {
        // Slow enough to stay under the join baseline: one account every few minutes.
        const ids = accounts(r.int(6, 15));
        const text = LONG_SPAM[r.int(0, LONG_SPAM.length - 1)]!;
        let at = atMs;
        for (const id of ids) {
          at += r.int(1, 4) * MINUTE_MS;
          events.push({ type: 'join', ms: at, userIds: [id] });
          post(
            id,
            at + r.int(10_000, 90_000),
            type === 'trickle_links'
              ? `${this.words('ru', 2, 6)} https://${SPAM_HOSTS[r.int(0, SPAM_HOSTS.length - 1)]}/${r.int(1, 9999)}`
              : text,
          );
        }
        break;
      }
      case 'sleepers': {
        // Accounts that joined one by one over the previous hours, posting together now.
        const ids = accounts(r.int(5, 12));
        for (const id of ids) {
          events.push({ type: 'join', ms: atMs - r.int(2, 20) * 60 * MINUTE_MS, userIds: [id] });
          post(id, atMs + r.int(0, 6 * MINUTE_MS), `${spam} https://${host}/r${r.int(1, 9999)}`);
        }
        break;
      }
    }
    return { events: sortEvents(events), incident: { kind: 'raid', type, startMs: atMs, endMs } };
  }

  /** The account of a long-standing member (`victimId`, one of this chat's) taken over at `atMs`. */
  takeover(type: TakeoverType, atMs: number, victimId: number): { events: TrafficEvent[]; incident: Incident } {
    const r = this.random;
    const victim = this.members.find((m) => m.id === victimId)!;
    const events: TrafficEvent[] = [];
    let at = atMs;
    const n = type === 'flood' ? r.int(35, 60) : r.int(8, 15);
    const stepMs = type === 'flood' ? r.int(5_000, 15_000) : r.int(30_000, 150_000);
    for (let i = 0; i < n; i++) {
      at += r.int(stepMs / 2, stepMs * 1.5);
      const text =
        type === 'spam_links'
          ? `${SPAM[r.int(0, SPAM.length - 1)]} https://${SPAM_HOSTS[r.int(0, SPAM_HOSTS.length - 1)]}/${r.int(1, 999)}`
          : type === 'foreign_language'
            ? this.words(victim.language === 'en' ? 'ru' : 'en', 4, 12)
            : this.words(victim.language, 1, 6);
      events.push({ type: 'message', ms: at, userId: victim.id, text });
    }
    return {
      events,
      incident: { kind: 'takeover', type, startMs: atMs, endMs: at, userId: victim.id },
    };
  }
}

export function sortEvents(events: TrafficEvent[]): TrafficEvent[] {
  return events.sort((a, b) => a.ms - b.ms);
}
