import { fnv1a } from '../runtime/index.js';
import type { ChatTurn, LinesByLanguage, ReplyLanguage } from './llm-port.js';

const OFFLINE: Record<ReplyLanguage, readonly string[]> = {
  ru: [
    'Слушай, у меня сейчас голова не варит — связь с мозгом барахлит. Вернусь к этому чуть позже, ок?',
    'Так, я временно на автопилоте, умных мыслей не завезли. Спроси ещё раз минут через пять.',
    'Ха, хороший вопрос. Но я сейчас в режиме «кивнуть и улыбнуться» — сервер думает за меня и что-то тормозит.',
    'Я тут, я всё вижу. Просто мозги на перезагрузке — скоро отвечу нормально.',
    'Погоди, у меня перекур у нейронов. Через пару минут вернусь с ответом получше.',
  ],
  uk: [
    'Слухай, у мене зараз голова не варить — зв’язок із мозком барахлить. Повернуся до цього трохи згодом, добре?',
    'Так, я тимчасово на автопілоті, розумних думок не завезли. Спитай ще раз хвилин за п’ять.',
    'Ха, гарне питання. Але я зараз у режимі «кивнути й усміхнутися» — сервер думає за мене й щось гальмує.',
    'Я тут, я все бачу. Просто мізки перезавантажуються — скоро відповім нормально.',
    'Зачекай, у моїх нейронів перекур. За пару хвилин повернуся з кращою відповіддю.',
  ],
  en: [
    "Hang on, my brain's on a coffee break — the connection upstairs is flaky. I'll get back to you in a bit.",
    "I'm on autopilot right now, smart answers are out of stock. Ask me again in five minutes?",
    'Good one. But I can only nod and smile at the moment — my thinking server is being slow.',
    "I'm here and I see you. Brain's rebooting though — proper answer coming soon.",
    'Give me a minute, my neurons are on a smoke break. Back with something better shortly.',
  ],
};

const REFUSAL: Record<ReplyLanguage, readonly string[]> = {
  ru: [
    'Всё, на сегодня я выговорился — лимит болтовни исчерпан. Завтра продолжим 🙃',
    'Я сегодня и так наболтал на год вперёд. Лимит, брат. До завтра!',
  ],
  uk: [
    'Усе, на сьогодні я виговорився — ліміт балачок вичерпано. Завтра продовжимо 🙃',
    'Я сьогодні й так наговорив на рік уперед. Ліміт, друже. До завтра!',
  ],
  en: [
    "I'm all talked out for today — daily chat limit reached. Catch you tomorrow 🙃",
    "That's my word quota for today used up. Talk tomorrow!",
  ],
};

/**
 * Answers in persona without a model: when no Groq key is configured, when
 * the breaker is open or Groq keeps failing, and (as a refusal) when a daily
 * budget is spent. Picks a template deterministically from the last user
 * message, in the reply language the chat chose for it (the request's
 * `language`), else in the language that message is written in; a persona's
 * own lines for that language replace the built-in ones.
 */
export class OfflineResponder {
  /** A short in-persona "can't think right now". */
  offline(messages: readonly ChatTurn[], language?: ReplyLanguage, own?: LinesByLanguage): string {
    return this.pick(OFFLINE, messages, language, own);
  }

  /** A short in-persona "I've talked enough today". */
  refusal(messages: readonly ChatTurn[], language?: ReplyLanguage, own?: LinesByLanguage): string {
    return this.pick(REFUSAL, messages, language, own);
  }

  private pick(
    table: Record<ReplyLanguage, readonly string[]>,
    messages: readonly ChatTurn[],
    language: ReplyLanguage | undefined,
    own: LinesByLanguage | undefined,
  ): string {
    const last = lastUserText(messages);
    const chosen = language ?? languageOf(last);
    const mine = own?.[chosen];
    const options = mine !== undefined && mine.length > 0 ? mine : table[chosen];
    return options[fnv1a(last) % options.length] as string;
  }
}

/** Cyrillic is Ukrainian with letters only Ukrainian has (і ї є ґ), else Russian; anything else is English. */
export function languageOf(text: string): ReplyLanguage {
  if (!/[\u0400-\u04FF]/.test(text)) return 'en';
  return /[іїєґІЇЄҐ]/.test(text) ? 'uk' : 'ru';
}

function lastUserText(messages: readonly ChatTurn[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ChatTurn;
    if (m.role === 'user') return m.content;
  }
  return '';
}
