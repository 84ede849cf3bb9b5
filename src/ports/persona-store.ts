/**
 * A persona an operator defined in the dashboard, as stored: its definition
 * (the fields of a persona-file entry, already validated) at one version.
 */
export interface StoredPersona {
  name: string;
  version: number;
  /** The persona-file fields, `name` and `version` included. */
  definition: Record<string, unknown>;
  createdAtMs: number;
  /** Who saved this version (the admin's audit identity). */
  createdBy: string;
}

/**
 * Personas defined from the dashboard, versioned: every save is a new
 * version (the old ones stay, for the record and for exports); retiring a
 * persona hides all its versions. Names are unique ignoring case and ё.
 */
export interface PersonaStore {
  /** The latest version of every persona not retired, by name. */
  current(): Promise<StoredPersona[]>;
  /** Every version of one persona, newest first; retired ones too. */
  history(name: string): Promise<StoredPersona[]>;
  /**
   * Stores `definition` as the persona's next version (1 for a new name) and
   * returns it; a retired name starts again after its last version.
   * `definition` is given without a version: the store numbers it.
   */
  save(name: string, definition: Record<string, unknown>, by: string, nowMs: number): Promise<StoredPersona>;
  /** Retires every version of the persona; false when there was none live. */
  retire(name: string, nowMs: number): Promise<boolean>;
}
