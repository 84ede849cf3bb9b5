import type { BotAddress } from './bot-address.js';
import type { ChatState } from './chat-state.js';

/**
 * Drops the bot's own names from the chat's and its members' word tables.
 * New messages never count them (see `Vocabulary`); this clears what a
 * state recorded before that, so the names leave the top words and the
 * slang in the prompt. Cheap: a lookup per name and member, and one pass
 * over the bounded table of expressions. Returns whether anything changed.
 */
export function forgetOwnNames(state: ChatState, address: Pick<BotAddress, 'ownNameStems'>): boolean {
  const stems = address.ownNameStems();
  let changed = false;
  const drop = (table: Record<string, unknown>, key: string): void => {
    if (!(key in table)) return;
    delete table[key];
    changed = true;
  };
  for (const stem of stems) {
    drop(state.chat.words, stem);
    for (const member of Object.values(state.members)) {
      drop(member.words, stem);
      drop(member.forms, stem);
    }
  }
  for (const key of Object.keys(state.chat.phrases)) {
    const space = key.indexOf(' ');
    if (stems.includes(key.slice(0, space)) || stems.includes(key.slice(space + 1))) drop(state.chat.phrases, key);
  }
  return changed;
}
