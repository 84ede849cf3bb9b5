import { fnv1a } from '../runtime/index.js';
import type { ChatTurn } from './llm-port.js';

export type ReplyLanguage = 'ru' | 'en';

const OFFLINE: Record<ReplyLanguage, readonly string[]> = {
  ru: [
    'Слушай, у меня сейчас голова не варит — связь с мозгом барахлит. Вернусь к этому чуть позже, ок?',
    'Так, я временно на автопилоте, умных мыслей не завезли. Спроси ещё раз минут через пять.',
    'Ха, хороший вопрос. Но я сейчас в режиме «кивнуть и улыбнуться» — сервер думает за меня и что-то тормозит.',
    'Я тут, я всё вижу. Просто мозги на перезагрузке — скоро отвечу нормально.',
    'Погоди, у меня перекур у нейронов. Через пару минут вернусь с ответом получше.',
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
  en: [
    "I'm all talked out for today — daily chat limit reached. Catch you tomorrow 🙃",
    "That's my word quota for today used up. Talk tomorrow!",
  ],
};

/**
 * Answers in persona without a model: when no Groq key is configured, when
 * the breaker is open or Groq keeps failing, and (as a refusal) when a daily
 * budget is spent. Picks a template deterministically from the last user
 * message, in the language that message is written in.
 */
export class OfflineResponder {
  /** A short in-persona "can't think right now". */
  offline(messages: readonly ChatTurn[]): string {
    return this.pick(OFFLINE, messages);
  }

  /** A short in-persona "I've talked enough today". */
  refusal(messages: readonly ChatTurn[]): string {
    return this.pick(REFUSAL, messages);
  }

  private pick(table: Record<ReplyLanguage, readonly string[]>, messages: readonly ChatTurn[]): string {
    const last = lastUserText(messages);
    const options = table[languageOf(last)];
    return options[fnv1a(last) % options.length] as string;
  }
}

/** Russian when the text has Cyrillic letters, English otherwise. */
export function languageOf(text: string): ReplyLanguage {
  return /[\u0400-\u04FF]/.test(text) ? 'ru' : 'en';
}

function lastUserText(messages: readonly ChatTurn[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ChatTurn;
    if (m.role === 'user') return m.content;
  }
  return '';
}
