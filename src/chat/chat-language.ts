import type { ChatState } from './chat-state.js';

/** The languages the bot answers in without the model. */
export type ChatLanguage = 'ru' | 'uk' | 'en';

/**
 * The language to speak to the whole chat in when no message says which
 * (a digest, a notice to its admins, a new member's emoji): the chat's
 * setting, else the language most of its members' messages are in, Russian
 * before the chat has said anything.
 */
export function chatLanguage(state: ChatState): ChatLanguage {
  const setting = state.settings.language;
  if (setting !== 'auto') return setting;
  const counts: Record<ChatLanguage, number> = { ru: 0, uk: 0, en: 0 };
  for (const member of Object.values(state.members)) {
    counts.ru += member.languages['ru'] ?? 0;
    counts.uk += member.languages['uk'] ?? 0;
    counts.en += member.languages['en'] ?? 0;
  }
  // Ties go to Russian, the language of a chat nothing is known about.
  if (counts.uk > counts.ru && counts.uk >= counts.en) return 'uk';
  return counts.en > counts.ru ? 'en' : 'ru';
}
