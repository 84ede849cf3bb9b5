import { declineName } from './name-declension.js';
import { stemWord } from './word-stemmer.js';

/** Who the bot is in Telegram: its own messages and mentions are recognised by these. */
export interface BotIdentity {
  userId: number;
  /** @username without the @. */
  username: string;
  /**
   * Names people call the bot by, in dictionary form; every Russian case form
   * is recognised ("Лёха" also matches "Лёхе", "Лёхой", "Лёх").
   * Defaults to {@link DEFAULT_BOT_NAMES}.
   */
  names?: readonly string[];
  /**
   * The exact words (lower case, ё folded to е) the bot answers to, instead
   * of the forms of `names`: what a persona's aliases expand to.
   */
  triggers?: readonly string[];
}

export const DEFAULT_BOT_NAMES: readonly string[] = [
  'лёха',
  'леха',
  'лёх',
  'льоха',
  // The Ukrainian vocative; the Russian case forms of «льоха» cover the rest.
  'льохо',
  'lekha',
  'leha',
  'lyokha',
  'lyoha',
];

/**
 * Recognises messages addressed to the bot by name or @username. A name
 * matches in any of its case forms, word for word, so words that merely
 * contain a name ("работа" for "бот") or share its stem ("вас" for "Вася")
 * do not.
 */
export class BotAddress {
  private readonly words: ReadonlySet<string>;
  private readonly stems: ReadonlySet<string>;
  private readonly mention: RegExp | null;
  private readonly mentions: RegExp | null;

  constructor(readonly identity: BotIdentity) {
    const words =
      identity.triggers ??
      (identity.names ?? DEFAULT_BOT_NAMES).flatMap((n) => declineName(n).map((w) => w.replaceAll('ё', 'е')));
    this.words = new Set(words);
    this.stems = new Set(words.map((w) => stemWord(w)));
    const username = identity.username.replace(/^@/, '');
    this.mention = username.length === 0 ? null : new RegExp(`@${username.replace(/[^\w]/g, '')}(?![\\w])`, 'i');
    this.mentions = this.mention === null ? null : new RegExp(this.mention.source, 'gi');
  }

  /**
   * The word (by its stem) is one of the bot's names. Such words say who is
   * spoken to, not what the chat talks about: they are kept out of top
   * words, favourite words and slang (see `Vocabulary`).
   */
  isOwnName(stem: string): boolean {
    return this.stems.has(stem);
  }

  /** Stems of the bot's names. */
  ownNameStems(): readonly string[] {
    return [...this.stems];
  }

  /**
   * The text with the bot's @username blanked out, for counting the chat's
   * words: the handle would otherwise count as words of its own ("lekha",
   * "bot"). The same string comes back when there is nothing to blank.
   */
  withoutMention(text: string): string {
    if (this.mentions === null || !text.includes('@')) return text;
    return text.replace(this.mentions, ' ');
  }

  /** The message (its words, lower case with ё folded) calls the bot by one of its names. */
  calledByName(words: readonly string[]): boolean {
    for (const word of words) if (this.words.has(word)) return true;
    return false;
  }

  /** The message @mentions the bot. */
  mentioned(text: string, hasAt: boolean): boolean {
    return hasAt && this.mention !== null && this.mention.test(text);
  }
}
