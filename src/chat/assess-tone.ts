import type { TextScan } from './scan-text.js';
import { WordFlag } from './tone-lexicon.js';
import type { WordInfo } from './vocabulary.js';

/** The tone of one message, from its words and emoji. */
export interface Tone {
  /** -1 (hostile, sad) … 1 (friendly, happy). */
  sentiment: number;
  /** 0 … 1: profanity and insults. */
  toxicity: number;
  profane: boolean;
  /** An insult word ("идиот", "loser"). Who it hits is decided by the dynamics. */
  insult: boolean;
  agree: boolean;
  disagree: boolean;
  formal: boolean;
  informal: boolean;
  /** Speaks to someone ("ты", "you"). */
  secondPerson: boolean;
}

const NEGATORS: ReadonlySet<string> = new Set(['не', 'ни', 'not', 'never', 'dont', 'isnt']);
const POSITIVE_EMOJI = /[👍❤💪🙏👏😊😍🥰😂🤣😁😄🔥✅🤝💯😎]/u;
const NEGATIVE_EMOJI = /[👎😡🤬💩😢😭🤮🙄😤😠🖕]/u;

/**
 * Lexicon-based tone: counts positive, negative, profane and insulting words
 * (a preceding "не"/"not" flips positive and negative, and agreement and
 * disagreement), adds emoji, and folds it into sentiment and toxicity.
 * Deterministic and cheap, which is what per-message analytics need.
 */
export function assessTone(scan: TextScan, infos: readonly WordInfo[], text: string): Tone {
  const words = scan.words;
  let positive = 0;
  let negative = 0;
  let profane = 0;
  let insults = 0;
  let agree = false;
  let disagree = false;
  let formal = false;
  let informal = false;
  let secondPerson = false;
  let negated = false;
  for (let i = 0; i < infos.length; i++) {
    const flags = infos[i]!.flags;
    if (flags === 0 || flags === WordFlag.stop) {
      negated = NEGATORS.has(words[i]!);
      continue;
    }
    const pos = (flags & WordFlag.positive) !== 0;
    const neg = (flags & WordFlag.negative) !== 0;
    if (negated && (flags & (WordFlag.profane | WordFlag.insult)) === 0) {
      if (pos) negative++;
      if (neg) positive++;
      if ((flags & WordFlag.agree) !== 0) disagree = true;
      if ((flags & WordFlag.disagree) !== 0) agree = true;
    } else {
      if (pos) positive++;
      if (neg) negative++;
      if ((flags & WordFlag.agree) !== 0) agree = true;
      if ((flags & WordFlag.disagree) !== 0) disagree = true;
    }
    if ((flags & WordFlag.profane) !== 0) profane++;
    if ((flags & WordFlag.insult) !== 0) insults++;
    if ((flags & WordFlag.formal) !== 0) formal = true;
    if ((flags & WordFlag.informal) !== 0) informal = true;
    if ((flags & WordFlag.secondPerson) !== 0) secondPerson = true;
    negated = NEGATORS.has(words[i]!);
  }
  if (scan.hasEmoji) {
    if (POSITIVE_EMOJI.test(text)) positive++;
    if (NEGATIVE_EMOJI.test(text)) negative++;
  }
  const total = positive + negative;
  const sentiment = total === 0 ? 0 : (positive - negative) / Math.max(2, total);
  const toxicity = Math.min(1, profane * 0.35 + insults * 0.5);
  return {
    sentiment,
    toxicity,
    profane: profane > 0,
    insult: insults > 0,
    agree: agree && !disagree,
    disagree,
    formal,
    informal,
    secondPerson,
  };
}
