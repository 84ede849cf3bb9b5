import type { ChatState, Language, MemberProfile } from './chat-state.js';
import { alliesAmong, runningConflicts } from './group-dynamics.js';
import { memberLabel } from './member-label.js';
import { displayName, isNewMember, usualLanguage } from './member-profiles.js';
import { STYLE_FEEDBACK, styleWeight } from './style-feedback.js';

/** One deterministic style decision: what the prompt asks for and why (for the debug view). */
export interface StyleRule {
  id: string;
  /**
   * The rule's id and what it asks for (`length:short`, `humour:playful`):
   * what feedback on the reply weighs (see `style-feedback.ts`). Absent for
   * rules about correctness or safety, which feedback never mutes: the
   * language, calm during a conflict, not mirroring rudeness, no jokes then.
   */
  key?: string;
  instruction: string;
  because: string;
}

/** A rule left out of the prompt because feedback in this chat lowered its key below the threshold. */
export interface MutedStyleRule {
  id: string;
  key: string;
  /** Its weight now, rounded to two decimals. */
  weight: number;
  /** What it would have asked. */
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
  /** Rules the member's profile called for that feedback muted (for the debug view); they are not in the prompt. */
  muted: MutedStyleRule[];
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
 *
 * Rules of taste are then weighed by the chat's feedback (`style-feedback.ts`):
 * one whose key weighs less than {@link STYLE_FEEDBACK}`.muteBelow` is left
 * out and listed in `muted`; a length or playful humour that is muted falls
 * back to a milder variant (two to four sentences, a light touch of humour)
 * unless that is muted too, since leaving them out would let the model go
 * on at length or joke as it likes. `formality`, `length` and `humour` say
 * what the prompt asks for (with no variant left they keep what the profile
 * suggested). The language rule is never muted: it is correctness, not taste.
 */
export function deriveStyle(state: ChatState, memberId: number, messageLanguage: Language, nowMs: number): ReplyStyle {
  const member = state.members[String(memberId)];
  const rules: StyleRule[] = [];
  const muted: MutedStyleRule[] = [];
  const keep = (chain: StyleRule[]): StyleRule | null => {
    const rule = weighed(state, chain, nowMs, muted);
    if (rule !== null) rules.push(rule);
    return rule;
  };
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

  const profiled = formalityOf(member);
  let formality = profiled;
  if (profiled === 'formal') {
    if (
      keep([
        {
          id: 'formality',
          key: 'formality:formal',
          instruction:
            language === 'uk'
              ? 'Be polite; in Ukrainian address them with "ви".'
              : 'Be polite; in Russian address them with "вы".',
          because: `they write formally (${member!.formal} formal vs ${member!.informal} casual messages)`,
        },
      ]) === null
    )
      formality = 'neutral';
  } else if (profiled === 'casual') {
    if (
      keep([
        {
          id: 'formality',
          key: 'formality:casual',
          instruction:
            language === 'uk'
              ? 'Be casual; in Ukrainian use "ти" and everyday chat language.'
              : 'Be casual; in Russian use "ты" and everyday chat language.',
          because: `they write casually (${member!.informal} casual vs ${member!.formal} formal messages)`,
        },
      ]) === null
    )
      formality = 'neutral';
  }

  const average = member !== undefined && member.messages > 0 ? Math.round(member.chars / member.messages) : 0;
  const profiledLength: ReplyStyle['length'] =
    average === 0 || average < SHORT_MESSAGE_CHARS ? 'short' : average > LONG_MESSAGE_CHARS ? 'long' : 'medium';
  const lengthRule = (variant: ReplyStyle['length'], because: string): StyleRule => ({
    id: 'length',
    key: `length:${variant}`,
    instruction: LENGTH_INSTRUCTIONS[variant],
    because,
  });
  const askedLength = keep([
    lengthRule(
      profiledLength,
      average === 0 ? 'nothing is known about their messages yet' : `their messages average ${average} characters`,
    ),
    ...(profiledLength === 'medium' ? [] : [lengthRule('medium', FALLBACK_BECAUSE)]),
  ]);
  const length = askedLength === null ? profiledLength : variantOf<ReplyStyle['length']>(askedLength, profiledLength);

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

  const around = calm ? [] : alliesAround(state, memberId, nowMs);
  const allies =
    around.length > 0 &&
    keep([
      {
        id: 'allies',
        key: 'allies:tease',
        instruction: `You may tease ${around.map((id) => memberLabel(state, id)).join(', ')} in a friendly way: they get on well with this member.`,
        because: `allies of this member spoke recently`,
      },
    ]) !== null
      ? around
      : [];

  const profiledHumour: ReplyStyle['humour'] =
    calm || toxic
      ? 'none'
      : around.length > 0 || state.chat.mood > 0.15 || (member?.mood ?? 0) > 0.2
        ? 'playful'
        : 'light';
  let humour: ReplyStyle['humour'] = profiledHumour;
  if (profiledHumour === 'none') {
    // A consequence of calm or rudeness: a guardrail like them, never weighed.
    rules.push({
      id: 'humour',
      instruction: HUMOUR_INSTRUCTIONS.none,
      because: calm ? 'a conflict is running' : 'the member is being rude',
    });
  } else {
    const humourRule = (variant: 'light' | 'playful', because: string): StyleRule => ({
      id: 'humour',
      key: `humour:${variant}`,
      instruction: HUMOUR_INSTRUCTIONS[variant],
      because,
    });
    const asked = keep(
      profiledHumour === 'playful'
        ? [
            humourRule(
              'playful',
              `the mood is good (chat ${state.chat.mood.toFixed(2)}, member ${(member?.mood ?? 0).toFixed(2)})`,
            ),
            humourRule('light', FALLBACK_BECAUSE),
          ]
        : [humourRule('light', 'the mood is neutral')],
    );
    if (asked !== null) humour = variantOf<ReplyStyle['humour']>(asked, profiledHumour);
  }

  if (member !== undefined && isNewMember(member, nowMs, state.chat.createdMs)) {
    keep([
      {
        id: 'welcome',
        key: 'welcome:newcomer',
        instruction: 'Be welcoming: they are new here.',
        because: 'they joined or first wrote less than three days ago',
      },
    ]);
  }

  return { language, formality, length, humour, calm, allies, rules, muted };
}

/** The keys of the rules a prompt carried: what feedback on its reply weighs. */
export function styleKeys(style: ReplyStyle): string[] {
  return style.rules.flatMap((r) => (r.key === undefined ? [] : [r.key]));
}

const LENGTH_INSTRUCTIONS: Record<ReplyStyle['length'], string> = {
  short: 'Answer in one or two short sentences.',
  medium: 'Answer in two to four sentences.',
  long: 'A fuller answer of up to a paragraph is fine.',
};
const HUMOUR_INSTRUCTIONS: Record<ReplyStyle['humour'], string> = {
  none: 'No jokes this time.',
  light: 'A light touch of humour is fine.',
  playful: 'Be playful and witty.',
};
const FALLBACK_BECAUSE = 'a milder variant';

/**
 * The first rule of `chain` (the profile's choice, then milder fallbacks)
 * whose key feedback has not muted, or null when all are muted. Each muted
 * one is listed in `muted` with its weight; a kept rule's `because` tells
 * what it stands in for and any weight it lost.
 */
function weighed(state: ChatState, chain: StyleRule[], nowMs: number, muted: MutedStyleRule[]): StyleRule | null {
  const skipped: string[] = [];
  for (const rule of chain) {
    const key = rule.key!;
    const weight = styleWeight(state, key, nowMs);
    if (weight < STYLE_FEEDBACK.muteBelow) {
      muted.push({
        id: rule.id,
        key,
        weight: rounded(weight),
        instruction: rule.instruction,
        because: `muted by feedback in this chat (weight ${weight.toFixed(2)}, below ${STYLE_FEEDBACK.muteBelow}); it would apply because ${rule.because}`,
      });
      skipped.push(`${key} (weight ${weight.toFixed(2)})`);
      continue;
    }
    const notes = [
      ...(skipped.length === 0 ? [] : [`instead of ${skipped.join(', ')}, muted by feedback`]),
      ...(weight < STYLE_FEEDBACK.settledAbove ? [`feedback weight ${weight.toFixed(2)}`] : []),
    ];
    return notes.length === 0 ? rule : { ...rule, because: `${rule.because}; ${notes.join('; ')}` };
  }
  return null;
}

/** The variant a kept rule asks for, read back from its key. */
function variantOf<V extends string>(rule: StyleRule, fallback: V): V {
  return (rule.key?.slice(rule.key.indexOf(':') + 1) as V | undefined) ?? fallback;
}

function rounded(weight: number): number {
  return Math.round(weight * 100) / 100;
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
