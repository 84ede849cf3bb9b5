import type { ChatSettings } from './chat-settings.js';
import { CHAT_STATE_LIMITS, type ChatProfile, type MemberProfile } from './chat-state.js';
import { textFingerprint } from './fnv-hash.js';
import { findLinks, linkAllowed } from './link-guard.js';
import type { RuleBook } from './rule-book.js';
import { countInWindow } from './window-counter.js';

export type ViolationKind = 'flood' | 'repeat' | 'copy-paste' | 'link' | 'invite' | 'banned-word';

/** One reason a filter flagged a message. `detail` never holds personal data. */
export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface FilterOutcome {
  violations: Violation[];
  /** The whole chat is over its message rate (a raid or a bot storm). */
  chatFlood: boolean;
}

/** Texts shorter than this are never repeat spam ("да", "+", "ок"). */
const MIN_SPAM_CHARS = 12;
/** Distinct senders of one text within the repeat window that make it copy-paste spam. */
const COPY_PASTE_SENDERS = 3;
/**
 * Copy-paste spam is long or carries a link or @handle: short identical
 * lines from several people are usually a chorus ("с днём рождения!").
 */
const COPY_PASTE_MIN_CHARS = 60;

/**
 * Runs the text filters on one message: flood per member and per chat,
 * repeated messages (one member) and copy-paste (several), links and invites
 * outside the allow-list (links only from members not yet trusted; never in
 * a private chat, where nobody else reads them: `/feed add <url>` there is
 * the member talking to the bot), and the chat's banned words. Updates the counters they keep in the profiles.
 */
export function runFilters(
  text: string,
  member: MemberProfile,
  chat: ChatProfile,
  settings: ChatSettings,
  senderIsAdmin: boolean,
  nowMs: number,
  rules: RuleBook,
): FilterOutcome {
  const violations: Violation[] = [];
  const { flood, repeat, links } = settings;

  if (countInWindow(member.flood, nowMs, flood.windowMs) > flood.userMax) {
    violations.push({ kind: 'flood', detail: `more than ${flood.userMax} messages in ${flood.windowMs / 1000} s` });
  }
  const chatFlood = countInWindow(chat.flood, nowMs, flood.windowMs) > flood.chatMax;

  const { hash, length } = textFingerprint(text);
  if (length >= MIN_SPAM_CHARS) {
    if (hash === member.repeatHash && nowMs - member.repeatMs < repeat.windowMs) member.repeatCount++;
    else member.repeatCount = 1;
    member.repeatHash = hash;
    member.repeatMs = nowMs;
    if (member.repeatCount >= repeat.maxRepeats) {
      violations.push({ kind: 'repeat', detail: `same text ${member.repeatCount} times` });
    } else if (
      copyPasteSenders(chat, hash, member.id, nowMs, repeat.windowMs) >= COPY_PASTE_SENDERS &&
      (length >= COPY_PASTE_MIN_CHARS || text.includes('@') || findLinks(text).length > 0)
    ) {
      violations.push({ kind: 'copy-paste', detail: `same text from ${COPY_PASTE_SENDERS}+ members` });
    }
  }

  if (!senderIsAdmin && chat.kind !== 'private') {
    const found = findLinks(text).filter((l) => !linkAllowed(l, links.allow));
    const invite = found.find((l) => l.invite);
    if (invite !== undefined && links.blockInvites) {
      violations.push({ kind: 'invite', detail: invite.host });
    } else if (found.length > 0 && member.messages < links.trustedAfterMessages) {
      violations.push({ kind: 'link', detail: found[0]!.host });
    } else if (found.length >= 3) {
      violations.push({ kind: 'link', detail: `${found.length} links in one message` });
    }
  }

  const banned = rules.bannedWords(settings.bannedWords).match(text);
  if (banned !== null) violations.push({ kind: 'banned-word', detail: banned });

  return { violations, chatFlood };
}

/** Records the fingerprint and returns how many distinct members sent it within the window. */
function copyPasteSenders(chat: ChatProfile, hash: number, userId: number, nowMs: number, windowMs: number): number {
  const fingerprints = chat.fingerprints;
  let senders = 1;
  for (let i = 0; i < fingerprints.length; i++) {
    // Indexed reads, not destructuring: this loop runs over every recent fingerprint for every message.
    const fingerprint = fingerprints[i]!;
    const uid = fingerprint[1];
    if (fingerprint[0] !== hash || uid === userId || nowMs - fingerprint[2] >= windowMs) continue;
    // Count each other sender once: only at their latest fingerprint.
    let later = false;
    for (let j = i + 1; j < fingerprints.length; j++)
      if (fingerprints[j]![0] === hash && fingerprints[j]![1] === uid) later = true;
    if (!later) senders++;
  }
  fingerprints.push([hash, userId, nowMs]);
  if (fingerprints.length > CHAT_STATE_LIMITS.recentFingerprints) fingerprints.shift();
  return senders;
}
