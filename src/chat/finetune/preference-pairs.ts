import { PII_PLACEHOLDER } from '../pii-detector.js';
import type { TrainingMessage } from './finetune-formats.js';

/** Members' pseudonyms, as the export writes them. */
const PSEUDONYM = /\bmember-[0-9a-f]{8}\b/g;
/** A trigger of fewer words means different things in different chats ("привет", "?"): it pairs only within its chat. */
const WORDS_TO_PAIR_ACROSS_CHATS = 3;

/**
 * What makes two triggers similar: the same text once normalised — lower
 * case, ё as е, every member pseudonym as `member`, PII placeholders as
 * their kind, punctuation, symbols and emoji dropped, spaces collapsed.
 * A trigger of three words or more is similar to its like in any chat; a
 * shorter one only to its like in the same chat. `null`: a trigger with no
 * words, never paired.
 */
export function similarTriggerKey(chatId: number, text: string): string | null {
  const words = text
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(PSEUDONYM, ' member ')
    .replace(PII_PLACEHOLDER, (placeholder) => ` ${placeholder.slice(1, -1)} `)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  if (words.length === 0) return null;
  const scope = words.length >= WORDS_TO_PAIR_ACROSS_CHATS ? '*' : String(chatId);
  return `${scope}|${words.join(' ')}`;
}

/** A scored reply that may be one side of a preference pair. */
export interface PairCandidate {
  /** {@link similarTriggerKey} of its trigger. */
  key: string;
  /** What produced it: persona `name@version` and experiment variant; a pair compares two different arms. */
  arm: string;
  score: number;
  /** System message, history and trigger, as the conversation file shows them. */
  prompt: TrainingMessage[];
  reply: string;
}

export interface PreferencePair {
  preferred: PairCandidate;
  nonPreferred: PairCandidate;
}

/**
 * Pairs replies to similar triggers made by different arms whose scores
 * differ by at least `minGap`. Within a group of similar triggers the best
 * reply left is paired with the worst one left from another arm that is far
 * enough below it; each reply is in one pair at most, so no reply weighs more
 * than another. Same candidates in the same order, same pairs.
 */
export function preferencePairs(candidates: readonly PairCandidate[], minGap: number): PreferencePair[] {
  const groups = new Map<string, PairCandidate[]>();
  for (const candidate of candidates) {
    const group = groups.get(candidate.key);
    if (group === undefined) groups.set(candidate.key, [candidate]);
    else group.push(candidate);
  }
  const pairs: PreferencePair[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ranked = [...group].sort((a, b) => b.score - a.score);
    const used = new Set<PairCandidate>();
    for (const high of ranked) {
      if (used.has(high)) continue;
      for (let i = ranked.length - 1; i >= 0; i--) {
        const low = ranked[i] as PairCandidate;
        if (high.score - low.score < minGap) break;
        if (used.has(low) || low.arm === high.arm || low.reply === high.reply) continue;
        used.add(high);
        used.add(low);
        pairs.push({ preferred: high, nonPreferred: low });
        break;
      }
    }
  }
  return pairs;
}
