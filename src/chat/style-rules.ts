import type { ChatState, Language, MemberProfile } from './chat-state.js';
import { alliesAmong, runningConflicts } from './group-dynamics.js';
import { memberLabel } from './member-label.js';
import { displayName, isNewMember, usualLanguage } from './member-profiles.js';

/** One deterministic style decision: what the prompt asks for and why (for the debug view). */
export interface StyleRule {
  id: string;
  instruction: string;
  because: string;
}

/** How Lekha should answer this member now, derived from their profile and the group's state. */
export interface ReplyStyle {
  language: Language;
  formality: 'formal' | 'neutral' | 'casual';
  length: 'short' | 'medium' | 'long';
  humour: 'none' | 'light' | 'playful';
  /** A conflict is running: de-escalate. */
  calm: boolean;
  /** Allies of the member who spoke recently: friendly teasing is welcome. */
  allies: number[];
  rules: StyleRule[];
}

const LANGUAGE_NAMES: Record<Language, string> = {
  ru: 'Russian',
  uk: 'Ukrainian',
  en: 'English',
  other: 'the language of the message',
};
const SHORT_MESSAGE_CHARS = 40;
const LONG_MESSAGE_CHARS = 160;
const TOXIC_MEMBER = 0.3;
/** History entries looked at for "who is around". */
const RECENT_SPEAKERS_WINDOW = 30;

/**
 * Style rules for a reply to `memberId`: language (the message's, else the
 * member's usual one), formality from how they write, length from their
 * average message, calmer while a conflict runs, playful with their allies
 * around, and no mirroring of rudeness. Same input, same rules.
 */
export function deriveStyle(state: ChatState, memberId: number, messageLanguage: Language, nowMs: number): ReplyStyle {
  const member = state.members[String(memberId)];
  const rules: StyleRule[] = [];
  const language =
    messageLanguage !== 'other' ? messageLanguage : ((member && (usualLanguage(member) as Language | null)) ?? 'ru');
  const fixed = state.settings.language !== 'auto' && state.settings.language === language;
  rules.push({
    id: 'language',
    instruction: fixed
      ? `Reply in ${LANGUAGE_NAMES[language]}, even if the message is in another language: it is the language of this chat.`
      : `Reply in ${LANGUAGE_NAMES[language]}.`,
    because: fixed
      ? `the chat's language is set to ${LANGUAGE_NAMES[language]}`
      : messageLanguage !== 'other'
        ? `the message is in ${LANGUAGE_NAMES[language]}`
        : "the message has no words; using the member's usual language",
  });

  const formality = formalityOf(member);
  if (formality === 'formal') {
    rules.push({
      id: 'formality',
      instruction:
        language === 'uk'
          ? 'Be polite; in Ukrainian address them with "ви".'
          : 'Be polite; in Russian address them with "вы".',
      because: `they write formally (${member!.formal} formal vs ${member!.informal} casual messages)`,
    });
  } else if (formality === 'casual') {
    rules.push({
      id: 'formality',
      instruction:
        language === 'uk'
          ? 'Be casual; in Ukrainian use "ти" and everyday chat language.'
          : 'Be casual; in Russian use "ты" and everyday chat language.',
      because: `they write casually (${member!.informal} casual vs ${member!.formal} formal messages)`,
    });
  }

  const average = member !== undefined && member.messages > 0 ? Math.round(member.chars / member.messages) : 0;
  const length =
    average === 0 || average < SHORT_MESSAGE_CHARS ? 'short' : average > LONG_MESSAGE_CHARS ? 'long' : 'medium';
  rules.push({
    id: 'length',
    instruction:
      length === 'short'
        ? 'Answer in one or two short sentences.'
        : length === 'long'
          ? 'A fuller answer of up to a paragraph is fine.'
          : 'Answer in two to four sentences.',
    because:
      average === 0 ? 'nothing is known about their messages yet' : `their messages average ${average} characters`,
  });

  const conflicts = runningConflicts(state, nowMs);
  const calm = conflicts.length > 0;
  if (calm) {
    const c = conflicts[0]!;
    const involved = c.a === memberId || c.b === memberId;
    rules.push({
      id: 'calm',
      instruction: `Stay calm and neutral, take no sides, joke at nobody's expense, and gently cool things down${involved ? '; they are in the middle of this argument' : ''}.`,
      because: `a conflict between ${displayName(state, c.a)} and ${displayName(state, c.b)} is running (score ${c.score})`,
    });
  }

  const toxic = member !== undefined && member.toxicity >= TOXIC_MEMBER;
  if (toxic) {
    rules.push({
      id: 'no-mirroring',
      instruction: 'Do not mirror their rudeness; stay friendly and firm.',
      because: `their toxicity is ${member!.toxicity.toFixed(2)}`,
    });
  }

  const allies = calm ? [] : alliesAround(state, memberId, nowMs);
  if (allies.length > 0) {
    rules.push({
      id: 'allies',
      instruction: `You may tease ${allies.map((id) => memberLabel(state, id)).join(', ')} in a friendly way: they get on well with this member.`,
      because: `allies of this member spoke recently`,
    });
  }

  const humour =
    calm || toxic
      ? 'none'
      : allies.length > 0 || state.chat.mood > 0.15 || (member?.mood ?? 0) > 0.2
        ? 'playful'
        : 'light';
  rules.push({
    id: 'humour',
    instruction:
      humour === 'none'
        ? 'No jokes this time.'
        : humour === 'playful'
          ? 'Be playful and witty.'
          : 'A light touch of humour is fine.',
    because:
      humour === 'none'
        ? calm
          ? 'a conflict is running'
          : 'the member is being rude'
        : humour === 'playful'
          ? `the mood is good (chat ${state.chat.mood.toFixed(2)}, member ${(member?.mood ?? 0).toFixed(2)})`
          : 'the mood is neutral',
  });

  if (member !== undefined && isNewMember(member, nowMs, state.chat.createdMs)) {
    rules.push({
      id: 'welcome',
      instruction: 'Be welcoming: they are new here.',
      because: 'they joined or first wrote less than three days ago',
    });
  }

  return { language, formality, length, humour, calm, allies, rules };
}

function formalityOf(member: MemberProfile | undefined): ReplyStyle['formality'] {
  if (member === undefined) return 'neutral';
  if (member.formal >= 2 && member.formal > member.informal * 1.5) return 'formal';
  if (member.informal >= 2 && member.informal > member.formal * 1.5) return 'casual';
  return 'neutral';
}

function alliesAround(state: ChatState, memberId: number, nowMs: number): number[] {
  const recent = new Set<number>();
  for (const entry of state.history.slice(-RECENT_SPEAKERS_WINDOW)) if (!entry.bot) recent.add(entry.from);
  return alliesAmong(state, memberId, recent, nowMs)
    .map((ally) => (ally.a === memberId ? ally.b : ally.a))
    .slice(0, 3);
}
