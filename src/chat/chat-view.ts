import { type ChatLanguage, chatLanguage } from './chat-language.js';
import type { ChatReport } from './chat-report.js';
import type { ChatSettings } from './chat-settings.js';
import type { ChatState, MemberProfile } from './chat-state.js';
import { type ChatSummary, summariseChat } from './chat-summary.js';
import type { DerivedCache } from './derived-cache.js';
import { recentReply } from './experiments/reply-signals.js';
import { DEFAULT_PERSONA } from './persona.js';
import type { ChatMemberView, ChatView } from './plugin-call.js';
import { type StyleOverview, styleOverview } from './style-feedback.js';
import type { UserAnalytics } from './user-analytics.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The chat as plugins read it: the live state through the actor's report
 * cache. A plugin's handler runs after the turn that called it, so what it
 * reads is the chat as it is when it reads (never a half-applied turn: turns
 * and handlers never interleave within one synchronous read).
 */
export class LiveChatView implements ChatView {
  constructor(
    readonly chatId: number,
    private readonly state: ChatState,
    private readonly cache: DerivedCache,
    private readonly vocabulary: Vocabulary,
    /** The time reports are computed for. */
    private readonly now: () => number,
    /** The name of the persona a chat's `persona` setting stands for. */
    private readonly personaName: (chosen: string | undefined) => string = () => DEFAULT_PERSONA.name,
  ) {}

  get kind(): ChatView['kind'] {
    return this.state.chat.kind;
  }

  settings(): Readonly<ChatSettings> {
    return this.state.settings;
  }

  language(): ChatLanguage {
    return chatLanguage(this.state);
  }

  persona(): string {
    return this.personaName(this.state.settings.persona);
  }

  style(): StyleOverview {
    return styleOverview(this.state, this.now());
  }

  members(): ChatMemberView[] {
    return Object.values(this.state.members).map(memberView);
  }

  memberByUsername(username: string): ChatMemberView | undefined {
    const wanted = username.replace(/^@/, '').toLowerCase();
    if (wanted === '') return undefined;
    const found = Object.values(this.state.members).find((m) => m.username.toLowerCase() === wanted);
    return found === undefined ? undefined : memberView(found);
  }

  report(): ChatReport {
    return this.cache.chatReport(this.state, this.now());
  }

  isBotReply(messageId: number): boolean {
    return recentReply(this.state, messageId) !== undefined;
  }

  userStats(userId: number): UserAnalytics | null {
    return this.cache.userAnalytics(this.state, userId, this.now());
  }

  summary(query: {
    askerId: number;
    previousSeenMs: number;
    hours: number | null;
    beforeMessageId: number;
  }): ChatSummary {
    return summariseChat(
      this.state,
      query.askerId,
      query.previousSeenMs,
      query.hours,
      this.now(),
      this.vocabulary,
      query.beforeMessageId,
    );
  }
}

function memberView(m: MemberProfile): ChatMemberView {
  return { id: m.id, name: m.name, username: m.username, messages: m.messages, lastSeenMs: m.lastSeenMs };
}
