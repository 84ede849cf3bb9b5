/**
 * A scripted 500-message group conversation (Russian and English): each line
 * says what the bot must do with it, so the exact set of answered messages
 * is part of the script. Replayed through the pipeline by
 * test/chat/group-conversation.test.ts and through a real chat actor by
 * test/actors/group-conversation.test.ts.
 */

/** The script, padded with ordinary chatter to exactly 500 messages that carry text. */
export function conversationScript(): Line[] {
  const lines = scriptedLines();
  const talkers = [anna, boris, dima, egor, frank, gosha];
  for (let i = 0; lines.filter((l) => l.text !== '' && !l.redeliver).length < 500; i++) {
    const who = talkers[i % talkers.length]!;
    const text =
      who === frank ? `a bit more weekend small talk, take ${i}` : `ещё немного болтовни про выходные, вариант ${i}`;
    lines.push({ who, text, afterMs: 45_000 });
  }
  return lines;
}

export interface Person {
  id: number;
  name: string;
  username: string;
}

export const anna: Person = { id: 101, name: 'Аня', username: 'anna' };
export const boris: Person = { id: 102, name: 'Борис', username: 'boris' };
export const dima: Person = { id: 103, name: 'Дима', username: 'dima' };
export const egor: Person = { id: 104, name: 'Егор', username: 'egor' };
export const frank: Person = { id: 105, name: 'Frank', username: 'frank' };
export const vika: Person = { id: 106, name: 'Виктория', username: 'vika' };
export const gosha: Person = { id: 107, name: 'Гоша', username: 'gosha' };
export const spammer: Person = { id: 108, name: 'Крипто Заработок', username: 'crypto_profit' };

/** What the bot must do with a line. Unmarked lines are ordinary chatter: no answer. */
export type Expect =
  'llm' | 'coalesced' | 'followup' | 'answer' | 'warn' | 'rate-warn' | 'rate-silent' | 'filtered' | 'duplicate';

export interface Line {
  who: Person;
  text: string;
  label?: string;
  /** Label of the line this one replies to ('bot:<label>' for the bot's reply to that line). */
  replyTo?: string;
  afterMs?: number;
  expect?: Expect;
  /** Messages that arrive before this line's LLM reply comes back (default 0). */
  latency?: number;
  /** The random source says yes for this message. */
  lucky?: boolean;
  admin?: boolean;
  joins?: Person[];
  /** Send the previous message again (a redelivered update) instead of a new one. */
  redeliver?: boolean;
}

const GOSHA_BOT_FORMS = ['бот', 'бота', 'ботом', 'боту', 'боты', 'ботов'];
const TOPICS = ['кино', 'пиццу', 'поход', 'футбол', 'отпуск', 'ремонт', 'концерт', 'сериал', 'шашлыки', 'настолки'];
const EN_LINES = [
  'anyone up for a movie tonight?',
  'the weather is lovely today',
  'that deploy went fine in the end',
  'who is cooking on saturday?',
  'good music recommendation, thanks',
];

function scriptedLines(): Line[] {
  const lines: Line[] = [];
  const add = (line: Line): void => {
    lines.push(line);
  };
  add({ who: anna, text: 'Всем привет! Как выходные?', label: 'hello' });
  add({ who: boris, text: 'Привет, Ань! Отлично, спасибо', replyTo: 'hello' });
  add({ who: anna, text: 'Лёха, а у тебя как дела?', label: 'ask-lekha', expect: 'llm' });
  add({ who: gosha, text: 'опять этот бот отвечает быстрее всех' });
  for (let round = 0; round < 40; round++) {
    const topic = TOPICS[round % TOPICS.length]!;
    add({
      who: anna,
      text: `Ребята, кто хочет в ${topic} на этой неделе? (${round})`,
      label: `a${round}`,
      afterMs: 40_000,
    });
    add({ who: boris, text: `ахаха, согласен, я за ${topic}! (${round})`, replyTo: `a${round}`, label: `b${round}` });
    add({ who: anna, text: `классно, спасибо, Борь! (${round})`, replyTo: `b${round}` });
    add({
      who: gosha,
      text: `вчера опять спорил с ${GOSHA_BOT_FORMS[round % GOSHA_BOT_FORMS.length]} про погоду (${round})`,
    });
    // Round 8's lucky roll wins an unasked reply; round 24's comes while the mode is silent.
    const frankLine: Line = {
      who: frank,
      text: `${EN_LINES[round % EN_LINES.length]} (${round})`,
      lucky: round === 8 || round === 24,
    };
    if (round === 8) frankLine.expect = 'llm';
    add(frankLine);
    add({ who: vika, text: `Здравствуйте, подскажите, пожалуйста, где купить билеты на ${topic}? (${round})` });
    add({ who: dima, text: `я вообще думаю, что ${topic} переоценивают (${round})`, label: `d${round}` });
    if (round >= 10 && round < 14) {
      add({ who: egor, text: `ты идиот, Дим, честное слово (${round})`, replyTo: `d${round}`, label: `e${round}` });
      add({ who: dima, text: `сам дурак, заткнись уже (${round})`, replyTo: `e${round}` });
    } else {
      add({ who: egor, text: `нормальная мысль, кстати (${round})`, replyTo: `d${round}` });
    }
    events(round, add);
  }
  return lines;
}

/** The rounds where something happens besides chatter. */
function events(round: number, add: (line: Line) => void): void {
  switch (round) {
    case 5:
      add({
        who: vika,
        text: 'Лёха, подскажите, пожалуйста, какой фильм посмотреть?',
        label: 'vika-ask',
        expect: 'llm',
      });
      return;
    case 12:
      add({ who: anna, text: '/stats', expect: 'answer' });
      return;
    case 15:
      add({ who: gosha, text: 'Лёха, а ты вообще бот?', label: 'slow', expect: 'llm', latency: 2 });
      add({ who: anna, text: 'Лёха, и мне ответь, что за погода завтра', expect: 'followup' });
      add({ who: boris, text: 'ну и вопросы у вас' });
      return;
    case 18:
      add({ who: anna, text: '', joins: [spammer] });
      add({ who: spammer, text: 'Лёха, заходи в канал t.me/+cryptoSignals, иксы каждый день', expect: 'warn' });
      add({ who: spammer, text: 'Бесплатные сигналы тут: t.me/+cryptoSignals2', expect: 'filtered' });
      return;
    case 20:
      for (let i = 0; i < 7; i++) {
        add({
          who: vika,
          text: `Лёха, ещё вопрос номер ${i + 1}: что почитать?`,
          afterMs: 1000,
          expect: i < 5 ? 'llm' : i === 5 ? 'rate-warn' : 'rate-silent',
        });
      }
      return;
    case 22:
      add({ who: anna, text: '/mode active', admin: false, expect: 'answer' });
      add({ who: boris, text: '/mode silent', admin: true, expect: 'answer' });
      return;
    case 25:
      add({ who: boris, text: '/mode normal', admin: true, expect: 'answer' });
      add({ who: boris, text: '', redeliver: true, expect: 'duplicate' });
      return;
    case 30:
      add({ who: egor, text: 'Лёха, что тут было?', expect: 'answer', afterMs: 600_000 });
      return;
    case 33:
      add({ who: boris, text: 'Мой новый номер +7 916 555-12-34, запишите' });
      return;
    case 35:
      add({ who: frank, text: "Lekha, what's up with you today?", label: 'frank-ask', expect: 'llm' });
      return;
    case 38:
      add({ who: anna, text: 'ахах, смешно ответил', replyTo: 'bot:frank-ask', expect: 'llm' });
      return;
  }
}
