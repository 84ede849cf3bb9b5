/** A persona as the admin API lists it. */
export interface PersonaInfo {
  name: string;
  version: number;
  /** `name@version`, what the debug prompt view shows. */
  id: string;
  /** What it answers to, as configured (each word's case forms count too). */
  aliases: string[];
  /** The persona of every chat that has not chosen one. */
  default: boolean;
}

/** The bot's personas, from its configuration. */
export interface PersonaDirectory {
  list(): PersonaInfo[];
}
