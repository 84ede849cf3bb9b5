import { patchChatSettings } from './chat-settings.js';
import type { ChatState, Language } from './chat-state.js';
import type { ChatEvent } from './chat-events.js';
import { chatReport } from './chat-report.js';
import { summariseChat } from './chat-summary.js';
import type { Command } from './command-parser.js';
import type { DerivedCache } from './derived-cache.js';
import type { IncomingMessage } from './incoming-message.js';
import { phrasebookFor } from './phrasebook.js';
import { userAnalytics } from './user-analytics.js';
import type { Vocabulary } from './vocabulary.js';

/** What a command comes to: a text to send, or a question the actor must settle first. */
export type CommandOutcome =
  | { kind: 'answer'; text: string }
  /** `/mode` from a member whose admin status is unknown: ask Telegram, then call {@link executeCommand} again. */
  | { kind: 'check-admin' };

export interface CommandInput {
  state: ChatState;
  command: Command;
  message: IncomingMessage;
  language: Language;
  /** When the sender last wrote before this message (0 if never): where /summary starts. */
  previousSeenMs: number;
  nowMs: number;
  vocabulary: Vocabulary;
  cache?: DerivedCache | undefined;
  events: ChatEvent[];
}

/**
 * Runs a bot command against the chat state and returns its answer. Only
 * `/mode` changes state (admins only); the rest read analytics. Unknown
 * commands get a list of the known ones.
 */
export function executeCommand(input: CommandInput): CommandOutcome {
  const { state, command, message, nowMs, cache } = input;
  const say = phrasebookFor(input.language);
  switch (command.name) {
    case 'start':
      return answer(say.start());
    case 'help':
      return answer(say.help());
    case 'unknown':
      return answer(say.unknownCommand(command.typed));
    case 'top':
      return answer(say.top(cache?.chatReport(state, nowMs) ?? chatReport(state, nowMs)));
    case 'stats': {
      const target = command.target;
      if (target === 'chat') return answer(say.chatStats(cache?.chatReport(state, nowMs) ?? chatReport(state, nowMs)));
      let userId: number | undefined = message.from.id;
      if (target === 'replied') userId = message.replyTo?.fromId;
      else if (typeof target === 'object')
        userId = Object.values(state.members).find(
          (m) => m.username.toLowerCase() === target.username.toLowerCase(),
        )?.id;
      const who = typeof target === 'object' ? `@${target.username}` : null;
      if (userId === undefined) return answer(say.unknownMember(who));
      const analytics = cache?.userAnalytics(state, userId, nowMs) ?? userAnalytics(state, userId, nowMs);
      return answer(analytics === null ? say.unknownMember(who) : say.userStats(analytics));
    }
    case 'summary':
      return answer(
        say.summary(
          summariseChat(
            state,
            message.from.id,
            input.previousSeenMs,
            command.hours,
            nowMs,
            input.vocabulary,
            message.messageId,
          ),
        ),
      );
    case 'mode': {
      if (message.chatKind === 'private') return answer(say.modePrivate());
      if (command.invalid !== null) return answer(say.modeInvalid(command.invalid));
      if (command.mode === null) return answer(say.modeIs(state.settings.mode));
      if (message.senderIsAdmin === undefined) return { kind: 'check-admin' };
      if (!message.senderIsAdmin) return answer(say.modeAdminsOnly());
      state.settings = patchChatSettings(state.settings, { mode: command.mode });
      state.revision++;
      input.events.push({ type: 'ModeChanged', mode: command.mode, by: message.from.id });
      return answer(say.modeSet(command.mode));
    }
  }
}

function answer(text: string): CommandOutcome {
  return { kind: 'answer', text };
}
