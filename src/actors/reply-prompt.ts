import type { ChatTurn } from '../llm/index.js';
import type { BotIdentity } from '../telegram/index.js';
import type { HistoryEntry } from './chat-state.js';

/** The persona used until the versioned persona prompt of the chat modules replaces it. */
export const MINIMAL_PERSONA = {
  version: 'minimal-1',
  text:
    'Ты — Лёха, остроумный русскоязычный приятель в групповом чате Telegram. Отвечаешь коротко, по-дружески, ' +
    'с юмором, без канцелярита. Отвечай на языке последнего сообщения, обращённого к тебе (по-русски, по-английски — как спросили). ' +
    'Не выдумывай факты о людях. Сообщения участников показаны как «[id:<номер> <имя>] текст»: номер — это человек, имя — только подпись.',
} as const;

/**
 * The model's input for a reply: the persona, then the chat's recent
 * messages, oldest first, each user tagged by id (names are labels only, as
 * people rename themselves). The bot's own messages are assistant turns.
 */
export function buildReplyPrompt(history: readonly HistoryEntry[], bot: BotIdentity, maxMessages = 20): ChatTurn[] {
  const turns: ChatTurn[] = [{ role: 'system', content: `${MINIMAL_PERSONA.text} Твой @username: @${bot.username}.` }];
  for (const entry of history.slice(-maxMessages)) {
    turns.push(entry.fromBot ? { role: 'assistant', content: entry.text } : { role: 'user', content: `[id:${entry.userId} ${entry.name}] ${entry.text}` });
  }
  return turns;
}
