/** Who an experiment assigns to a variant: whole chats, or each member apart (by the trigger's author). */
export type ExperimentUnit = 'chat' | 'member';

/** `running` assigns variants; `paused` keeps its replies and scores but assigns none; `stopped` is final. */
export type ExperimentStatus = 'running' | 'paused' | 'stopped';

/** How a variant's persona differs from the persona it is based on; only what shapes the prompt. */
export interface PersonaOverrides {
  character?: string[] | undefined;
  styleRules?: string[] | undefined;
  language?: 'match' | 'ru' | 'uk' | 'en' | undefined;
  topics?: string[] | undefined;
  replyLength?: 'short' | 'medium' | 'long' | undefined;
  emoji?: 'none' | 'rare' | 'free' | undefined;
}

/** One arm of an experiment. */
export interface ExperimentVariant {
  /** Lower-case slug, unique in the experiment (`control`, `short`). */
  name: string;
  /** Relative traffic share; shares need not add up to anything. */
  share: number;
  /** The catalog persona the variant is based on, by name; unset: the default persona. */
  persona?: string | undefined;
  overrides?: PersonaOverrides | undefined;
}

/** An A/B test of personas or prompt variants, as stored. The first variant is the control. */
export interface ExperimentRecord {
  id: number;
  name: string;
  unit: ExperimentUnit;
  variants: ExperimentVariant[];
  /** The smallest difference in success rate (absolute, 0–1) the readout's sample size is planned for. */
  minimumEffect: number;
  /** How long after a reply its signals count; a reply older than this with none was ignored. */
  scoreWindowMs: number;
  status: ExperimentStatus;
  createdAtMs: number;
  updatedAtMs: number;
  stoppedAtMs: number | null;
}

/** What an operator gives to start an experiment; the rest is defaulted. */
export interface NewExperiment {
  name: string;
  unit: ExperimentUnit;
  variants: ExperimentVariant[];
  minimumEffect: number;
  scoreWindowMs: number;
}

/**
 * How members reacted to one bot reply:
 * - `reaction`: an emoji reaction changed (value: its change, see `reactionFeedback`);
 * - `reply`: a member replied to it (value: `replyFeedback` of the text, −1/0/+1);
 * - `quote`: a member quoted part of it in a reply (value 1);
 * - `followup`: the trigger's author wrote thanks or "бред" right after it, not as a reply (value ±1);
 * - `continued`: the trigger's author went on talking within the window (value 1);
 * - `rate`: an explicit `/rate` (value ±1).
 */
export type ReplySignalKind = 'reaction' | 'reply' | 'quote' | 'followup' | 'continued' | 'rate';

/** One reply the bot sent, as the ledger keeps it for scores, readouts and fine-tune export. */
export interface ReplyRecord {
  chatId: number;
  /** The bot's message id (the first part's, when it was split). */
  messageId: number;
  /** The member message it answered. */
  triggerMessageId: number;
  /** Unix milliseconds. */
  sentAtMs: number;
  /** `name@version` of the persona that built the prompt. */
  persona: string;
  /** The prompt template's version (`lekha-persona/3`). */
  template: string;
  experimentId: number | null;
  variant: string | null;
  /** Ids of the style rules the prompt carried (`formality`, `length`, …). */
  styleRules: readonly string[];
  /** The reply as sent, PII-redacted. */
  text: string;
}

export interface ReplySignal {
  chatId: number;
  /** The bot message the signal is about. */
  messageId: number;
  kind: ReplySignalKind;
  value: number;
  /** Unix milliseconds. */
  atMs: number;
}

/**
 * Where chat actors record their replies and the signals on them. Calls
 * never block and never fail the turn: the implementation writes behind in
 * batches, like the chat archive.
 */
export interface ReplyLedger {
  reply(row: ReplyRecord): void;
  signal(row: ReplySignal): void;
}

/** One settled reply of an experiment with the signals that came within its window. */
export interface ReplyOutcome {
  variant: string;
  signals: { kind: ReplySignalKind; value: number }[];
}

/** Experiments as stored (Postgres or PGlite; in memory without storage). */
export interface ExperimentStore {
  list(): Promise<ExperimentRecord[]>;
  get(id: number): Promise<ExperimentRecord | null>;
  /** Refused (`EXPERIMENT_CONFLICT`) while another experiment is running or paused. */
  create(input: NewExperiment, nowMs: number): Promise<ExperimentRecord>;
  /** Refused for a stopped experiment; `null` when there is none with this id. */
  setStatus(id: number, status: ExperimentStatus, nowMs: number): Promise<ExperimentRecord | null>;
  /** Every reply of the experiment sent before `settledBeforeMs`, with its in-window signals. */
  outcomes(id: number, settledBeforeMs: number): Promise<ReplyOutcome[]>;
}

/** The experiment chat actors assign variants from: the running one, if any; swapped when an operator changes it. */
export interface ExperimentSource {
  running(): ExperimentRecord | null;
}
