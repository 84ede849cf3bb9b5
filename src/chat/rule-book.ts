import { BannedWordMatcher } from './banned-words.js';

/**
 * Compiled forms of per-chat rules, rebuilt only when the list changes.
 * Settings are replaced as a whole on every change (`patchChatSettings`),
 * so the list's identity tells whether the compiled matcher is current.
 * One instance is built in the wiring and shared by all chats.
 */
export class RuleBook {
  private readonly banned = new WeakMap<readonly string[], BannedWordMatcher>();

  bannedWords(list: readonly string[]): BannedWordMatcher {
    let matcher = this.banned.get(list);
    if (matcher === undefined) {
      matcher = new BannedWordMatcher(list);
      this.banned.set(list, matcher);
    }
    return matcher;
  }
}
