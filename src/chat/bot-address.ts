import { stemWord } from './word-stemmer.js';
import type { WordInfo } from './vocabulary.js';

/** Who the bot is in Telegram: its own messages and mentions are recognised by these. */
export interface BotIdentity {
  userId: number;
  /** @username without the @. */
  username: string;
  /**
   * Names people call the bot by, in dictionary form; every declension is
   * recognised ("Лёха" also matches "Лёхе", "Лёхой", "Лёх").
   * Defaults to {@link DEFAULT_BOT_NAMES}.
   */
  names?: readonly string[];
}

export const DEFAULT_BOT_NAMES: readonly string[] = [
  'лёха',
  'леха',
  'лёх',
  'льоха',
  'lekha',
  'leha',
  'lyokha',
  'lyoha',
];

/**
 * Recognises messages addressed to the bot by name or @username. Names are
 * compared by stem, so declensions match and words that merely contain a
 * name ("работа" for "бот") do not.
 */
export class BotAddress {
  private readonly stems: ReadonlySet<string>;
  private readonly mention: RegExp | null;
  private readonly mentions: RegExp | null;

  constructor(readonly identity: BotIdentity) {
    const names = identity.names ?? DEFAULT_BOT_NAMES;
    this.stems = new Set(names.map((n) => stemWord(n.toLowerCase().replaceAll('ё', 'е'))));
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

  /** The message calls the bot by one of its names. */
  calledByName(infos: readonly WordInfo[]): boolean {
    for (const info of infos) if (this.stems.has(info.stem)) return true;
    return false;
  }

  /** The message @mentions the bot. */
  mentioned(text: string, hasAt: boolean): boolean {
    return hasAt && this.mention !== null && this.mention.test(text);
  }
}
