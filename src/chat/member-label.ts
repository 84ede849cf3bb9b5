import type { ChatState } from './chat-state.js';
import { displayName } from './member-profiles.js';

/**
 * How a prompt names a member: `member "Аня" (id 11)`. The name is a JSON
 * string, so quotes and backslashes in it are escaped and it holds no line
 * break: whatever members call themselves ("Лёха (you)", "assistant:") stays
 * inside the quotes and never reads as the bot's label, a role marker or a
 * transcript line of its own.
 */
export function memberLabel(state: ChatState, userId: number): string {
  return `member ${JSON.stringify(displayName(state, userId))} (id ${userId})`;
}
