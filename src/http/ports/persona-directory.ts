/** A persona as the admin API lists it. */
export interface PersonaInfo {
  name: string;
  version: number;
  /** `name@version`, what the debug prompt view shows. */
  id: string;
  /** What it answers to, as configured (each word's case forms count too). */
  aliases: string[];
  /** `match` (the language it is spoken to), or the one it always answers in. */
  language: 'match' | 'ru' | 'uk' | 'en';
  /** `short`, `medium` or `long`; null: the adaptive style alone. */
  replyLength: 'short' | 'medium' | 'long' | null;
  /** `none`, `rare` or `free`; null: the style rules alone. */
  emoji: 'none' | 'rare' | 'free' | null;
  /** The model that writes its replies; null: the configured one. */
  model: string | null;
  /** Who it is, one line each, as configured (`{name}` stands for the name). */
  character: string[];
  /** How it writes, one line each. */
  styleRules: string[];
  /** What a chat may tune of it (`personaTuning`): reply lengths and emoji rules it may pick, style lines it may add. */
  tunable: { replyLength: ('short' | 'medium' | 'long')[]; emoji: ('none' | 'rare' | 'free')[]; styleLines: number };
  /** The persona of every chat that has not chosen one. */
  default: boolean;
  /** `config`: from PERSONA_FILE (or the built-in default), changed there; `dashboard`: defined through the API. */
  source: 'config' | 'dashboard';
}

/** One saved version of a persona defined from the dashboard. */
export interface PersonaVersion {
  version: number;
  /** Unix milliseconds. */
  createdAtMs: number;
  /** The admin who saved it (their token or login label). */
  createdBy: string;
  /** The persona-file fields of this version. */
  definition: Record<string, unknown>;
}

/**
 * Defining personas from the dashboard. `save` takes the fields of a
 * persona-file entry without `version` (the bot numbers versions) and
 * refuses a bad one with `PERSONA_INVALID`, a configured persona's name with
 * `PERSONA_READONLY`; the new version is every chat's from its next message.
 */
export interface PersonaEditor {
  save(input: unknown, by: string): Promise<PersonaInfo>;
  /** False when no dashboard persona has that name; `PERSONA_READONLY` for a configured one. */
  retire(name: string): Promise<boolean>;
  /** Every version of a dashboard persona, newest first; empty for an unknown name. */
  versions(name: string): Promise<PersonaVersion[]>;
}

/** The bot's personas, from its configuration. */
export interface PersonaDirectory {
  list(): PersonaInfo[];
}
