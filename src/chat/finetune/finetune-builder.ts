import type { FinetuneMember, FinetuneReply } from '../../ports/index.js';
import { replyScore, variantPersona } from '../experiments/index.js';
import { type PersonaCatalog, findPersona } from '../persona-book.js';
import type { Persona } from '../persona.js';
import { personaInstructions } from '../persona-prompt.js';
import { conversationLine, type FinetuneFormat, preferenceLine, type TrainingMessage } from './finetune-formats.js';
import { MemberMasker } from './member-masker.js';
import { type PairCandidate, preferencePairs, similarTriggerKey } from './preference-pairs.js';

/** The score gap below which two replies are not told apart. */
export const PREFERENCE_MIN_GAP = 0.5;

/** What an export is asked for. */
export interface FinetuneExportOptions {
  format: FinetuneFormat;
  /** Replies scoring below this (in [−1, 1]) are not conversation examples; they may still be the worse side of a pair. */
  minScore: number;
  sinceMs: number;
  untilMs: number;
  /** Replies whose window is still open at this time are not scored yet. */
  nowMs: number;
}

/**
 * Why a reply read is not a conversation example:
 * - `trigger_missing`: the member message it answered is gone (its author was erased, or retention removed it);
 * - `unsettled`: its score window is still open;
 * - `persona_unknown`: its `name@version` is not in the persona catalog (a persona reworded since has a new version);
 * - `empty_text`: the reply or its trigger has no text;
 * - `below_min_score`: it scored under `--min-score`;
 * - `duplicate`: the same history and reply were written already.
 */
export type FinetuneSkipReason =
  'trigger_missing' | 'unsettled' | 'persona_unknown' | 'empty_text' | 'below_min_score' | 'duplicate';

const SKIP_REASONS: readonly FinetuneSkipReason[] = [
  'trigger_missing',
  'unsettled',
  'persona_unknown',
  'empty_text',
  'below_min_score',
  'duplicate',
];

/** What an export wrote, for `manifest.json`. */
export interface FinetuneManifest {
  kind: 'lekha-finetune-export';
  generatedAt: string;
  range: { since: string; until: string };
  format: FinetuneFormat;
  preferenceFormat: 'openai-preference';
  minScore: number;
  preferenceMinGap: number;
  historyMessages: number;
  /** `keyed`: pseudonyms derive from the encryption key and stay the same across exports; `per-export`: from a secret of this export alone. */
  pseudonyms: 'keyed' | 'per-export';
  files: { conversations: string; preferences: string };
  counts: { replies: number; conversations: number; preferencePairs: number };
  skipped: Record<FinetuneSkipReason, number>;
  /** `name@version` of the personas behind the conversations written, sorted. */
  personas: string[];
}

/**
 * Turns scored bot replies, one at a time in any order, into training data:
 * a conversation line per good reply (system message from the persona
 * catalog, history with members as pseudonyms, texts redacted and
 * pseudonymised), preference pairs once all are read, and the manifest.
 * Pure: pseudonyms come from `pseudonymOf`, time from the options.
 */
export class FinetuneBuilder {
  private readonly maskers = new WeakMap<readonly FinetuneMember[], MemberMasker>();
  private readonly seen = new Set<string>();
  private readonly candidates: PairCandidate[] = [];
  private readonly personas = new Set<string>();
  private readonly skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<FinetuneSkipReason, number>;
  private replies = 0;
  private conversations = 0;
  private pairLines: string[] | null = null;

  constructor(
    private readonly catalog: PersonaCatalog,
    private readonly pseudonymOf: (userId: number) => string,
    private readonly options: FinetuneExportOptions,
    private readonly historyMessages: number,
  ) {}

  /** The reply's conversation line, or `null` when it is skipped (and counted by reason). */
  add(reply: FinetuneReply): string | null {
    this.replies++;
    if (reply.trigger === null) return this.skip('trigger_missing');
    if (reply.sentAtMs + reply.scoreWindowMs > this.options.nowMs) return this.skip('unsettled');
    const persona = this.personaOf(reply);
    if (persona === null) return this.skip('persona_unknown');
    const masker = this.maskerOf(reply.members);
    const replyText = masker.mask(reply.text).trim();
    const triggerText = masker.mask(reply.trigger.text).trim();
    if (replyText === '' || triggerText === '' || reply.trigger.userId === null) return this.skip('empty_text');

    const prompt: TrainingMessage[] = [{ role: 'system', content: personaInstructions(persona).join('\n') }];
    for (const turn of reply.history) {
      const text = masker.mask(turn.text).trim();
      if (text === '') continue;
      prompt.push(
        turn.userId === null
          ? { role: 'assistant', content: text }
          : { role: 'user', content: `${this.pseudonymOf(turn.userId)}: ${text}` },
      );
    }
    prompt.push({ role: 'user', content: `${this.pseudonymOf(reply.trigger.userId)}: ${triggerText}` });

    const until = reply.sentAtMs + reply.scoreWindowMs;
    const { score } = replyScore(reply.signals.filter((s) => s.atMs >= reply.sentAtMs && s.atMs <= until));
    const key = similarTriggerKey(reply.chatId, triggerText);
    if (key !== null)
      this.candidates.push({ key, arm: `${reply.persona}/${reply.variant ?? ''}`, score, prompt, reply: replyText });

    if (score < this.options.minScore) return this.skip('below_min_score');
    const messages: TrainingMessage[] = [...prompt, { role: 'assistant', content: replyText }];
    const identity = JSON.stringify(messages.slice(1));
    if (this.seen.has(identity)) return this.skip('duplicate');
    this.seen.add(identity);
    this.conversations++;
    this.personas.add(reply.persona);
    return conversationLine(this.options.format, messages);
  }

  /** The preference pairs among every reply added, as lines; call once all replies are in. */
  preferenceLines(): string[] {
    this.pairLines ??= preferencePairs(this.candidates, PREFERENCE_MIN_GAP).map((pair) =>
      preferenceLine(pair.preferred.prompt, pair.preferred.reply, pair.nonPreferred.reply),
    );
    return this.pairLines;
  }

  manifest(generatedAtMs: number, pseudonyms: FinetuneManifest['pseudonyms']): FinetuneManifest {
    return {
      kind: 'lekha-finetune-export',
      generatedAt: new Date(generatedAtMs).toISOString(),
      range: {
        since: new Date(this.options.sinceMs).toISOString(),
        until: new Date(this.options.untilMs).toISOString(),
      },
      format: this.options.format,
      preferenceFormat: 'openai-preference',
      minScore: this.options.minScore,
      preferenceMinGap: PREFERENCE_MIN_GAP,
      historyMessages: this.historyMessages,
      pseudonyms,
      files: { conversations: 'conversations.jsonl', preferences: 'preferences.jsonl' },
      counts: {
        replies: this.replies,
        conversations: this.conversations,
        preferencePairs: this.preferenceLines().length,
      },
      skipped: { ...this.skipped },
      personas: [...this.personas].sort(),
    };
  }

  private skip(reason: FinetuneSkipReason): null {
    this.skipped[reason]++;
    return null;
  }

  /** The persona as it built the reply: the catalog's, if its version is the one recorded, with the variant's overrides. */
  private personaOf(reply: FinetuneReply): Persona | null {
    const at = reply.persona.lastIndexOf('@');
    if (at <= 0) return null;
    const persona = findPersona(this.catalog, reply.persona.slice(0, at));
    if (persona === undefined || String(persona.version) !== reply.persona.slice(at + 1)) return null;
    return variantPersona(persona, reply.overrides);
  }

  private maskerOf(members: readonly FinetuneMember[]): MemberMasker {
    let masker = this.maskers.get(members);
    if (masker === undefined) {
      masker = new MemberMasker(members, this.pseudonymOf);
      this.maskers.set(members, masker);
    }
    return masker;
  }
}
