import type { IncomingMessage } from '../src/chat/index.js';

/** A seeded PRNG (mulberry32): the same seed gives the same conversation. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RU_LINES = [
  'кто-нибудь смотрел вчера {movie}? по-моему огонь',
  'у меня опять {thing} сломался, что делать',
  'ахаха ну ты даёшь',
  'согласен, {thing} вообще не тянет',
  'да ладно, это же бред полный',
  'го сегодня вечером в {place}?',
  'я на работе до восьми, потом могу',
  'кстати, курс доллара опять вырос',
  'спасибо, выручил!',
  'ну такое, мне не зашло',
  'а кто знает нормальный {thing} до 50к?',
  'опять дождь, ненавижу эту погоду',
  'скинь потом фотки плиз',
  'это кринж конечно',
  'ребята, кто идёт на концерт в субботу?',
  'у нас на проекте дедлайн горит, всем не до чата',
  'пицца или суши сегодня?',
  'лол, классика',
  'норм тема, поддерживаю',
  'не, я пас',
];
const EN_LINES = [
  'has anyone tried the new {thing} yet?',
  'lol that is so true',
  'I agree, the {movie} ending was terrible',
  'thanks, that helped a lot!',
  'heading to the {place} later, anyone in?',
  'the deploy broke again, classic friday',
  'nice one 👍',
  'no way, that is nonsense',
  'weather is awful today',
  'who wants pizza tonight?',
];
const THINGS = [
  'ноутбук',
  'телефон',
  'роутер',
  'сервер',
  'велик',
  'айфон',
  'принтер',
  'монитор',
  'пылесос',
  'самокат',
  'laptop',
  'router',
  'keyboard',
  'phone',
];
const MOVIES = ['сериал', 'фильм', 'матч', 'мульт', 'стрим', 'movie', 'show', 'game', 'episode'];
const PLACES = ['бар', 'кино', 'спортзал', 'парк', 'офис', 'кафе', 'pub', 'gym', 'office', 'park'];
const RU_OPENERS = ['', '', '', 'слушай, ', 'короче, ', 'ну ', 'блин, ', 'кстати, ', 'ребята, ', 'а ', 'вообще '];
const EN_OPENERS = ['', '', '', 'well, ', 'btw ', 'guys, ', 'honestly ', 'ok so '];
const CLOSERS = ['', '', '', ')', '!', '?', ' 😂', ' 👍', ' ахах', ' лол', '...'];
const SPICE = [
  'Лёха, как думаешь?',
  'Lekha, what do you think?',
  'вот ссылка github.com/lekha/bot',
  'мой номер +7 916 123-45-67',
  'пиши на ivan.petrov@example.com',
  '/stats',
  'ты идиот, честно',
  'дурак что ли?',
];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A Zipf-like choice: the first members talk far more than the last. */
function zipf(n: number, random: () => number): number {
  const u = random();
  return Math.min(n - 1, Math.floor(Math.pow(n + 1, u) - 1));
}

export interface CorpusOptions {
  chatId: number;
  members: number;
  seed: number;
  /** First message id. */
  startId: number;
}

/**
 * An endless, realistic group conversation: mostly Russian with English
 * lines mixed in, Zipf-distributed speakers, replies to recent messages, and
 * now and then a mention of the bot, a link, personal data, a command or an
 * insult — the mix the pipeline sees in a busy group.
 */
export function* groupConversation(options: CorpusOptions): Generator<IncomingMessage> {
  const random = seededRandom(options.seed);
  let id = options.startId;
  const recent: Array<{ id: number; from: number }> = [];
  for (;;) {
    const speaker = zipf(options.members, random);
    const userId = options.chatId * -1000 + speaker + 1;
    const english = speaker % 5 === 4;
    const line = pick(english ? EN_LINES : RU_LINES, random)
      .replace('{thing}', pick(THINGS, random))
      .replace('{movie}', pick(MOVIES, random))
      .replace('{place}', pick(PLACES, random));
    let text = `${pick(english ? EN_OPENERS : RU_OPENERS, random)}${line}${pick(CLOSERS, random)}`;
    if (random() < 0.06) text = `${text} ${pick(SPICE, random)}`;
    // As a decoded update holds it: V8 keeps a concatenation as a rope of its parts and
    // copies it into one string when it is first read, which no text from Telegram costs.
    text = JSON.parse(JSON.stringify(text)) as string;
    const target = recent.length > 0 && random() < 0.35 ? recent[Math.floor(random() * recent.length)] : undefined;
    const msg: IncomingMessage = {
      messageId: id,
      chatKind: 'supergroup',
      from: { id: userId, name: `Участник ${speaker + 1}`, username: `member_${speaker + 1}`, isBot: false },
      text,
      replyTo:
        target !== undefined && target.from !== userId ? { messageId: target.id, fromId: target.from } : undefined,
    };
    recent.push({ id, from: userId });
    if (recent.length > 8) recent.shift();
    id++;
    yield msg;
  }
}
