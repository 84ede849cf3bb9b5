import {
  type Persona,
  type PersonaCatalog,
  PersonaInvalidError,
  personaKey,
  PersonaReadOnlyError,
  personaSchema,
} from './chat/index.js';
import type { PersonaStore, StoredPersona } from './ports/index.js';
import type { Logger } from './runtime/index.js';

/**
 * The bot's personas as chats, commands and the admin API see them: the
 * configured ones (`PERSONA_FILE`, or the built-in default) and those
 * operators defined from the dashboard, in the store. A live catalog: each
 * change made through here goes up one `revision`, and every `PersonaBook`
 * over it rebuilds its lookups at its next use, so a new persona can be
 * chosen and a retired one falls back to the default from the next message
 * on, in every chat, without a restart. (Another process's change is seen
 * at its next start.)
 */
export class LivePersonas implements PersonaCatalog {
  private stored: readonly Persona[] = [];
  private all: readonly Persona[];
  private revisionNo = 0;

  private constructor(
    private readonly configured: PersonaCatalog,
    private readonly store: PersonaStore,
    private readonly logger: Logger | undefined,
  ) {
    this.all = configured.personas;
  }

  /**
   * The configured catalog with the store's personas. A stored definition
   * that no longer passes the schema, or whose name the file now uses, is
   * left out and logged: one bad row never stops the bot.
   */
  static async load(configured: PersonaCatalog, store: PersonaStore, logger?: Logger): Promise<LivePersonas> {
    const live = new LivePersonas(configured, store, logger);
    await live.refresh();
    return live;
  }

  get personas(): readonly Persona[] {
    return this.all;
  }

  get defaultName(): string {
    return this.configured.defaultName;
  }

  get revision(): number {
    return this.revisionNo;
  }

  /** Whether the persona of that name was defined from the dashboard (false for the configured ones and unknown names). */
  isStored(name: string): boolean {
    return this.stored.some((p) => personaKey(p.name) === personaKey(name));
  }

  /**
   * Validates `input` (a persona-file entry without `version`) and stores it
   * as the next version of its persona: a new persona, or a new wording of
   * one defined from the dashboard. A configured persona's name is refused.
   */
  async save(input: unknown, by: string, nowMs: number): Promise<Persona> {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new PersonaInvalidError(['(body): a persona is an object of persona-file fields']);
    if ('version' in input)
      throw new PersonaInvalidError(['version: the bot numbers the versions of a persona itself; leave it out']);
    const parsed = personaSchema.safeParse({ ...input, version: 1 });
    if (!parsed.success)
      throw new PersonaInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`));
    const { version: _numbered, ...definition } = parsed.data;
    if (this.isConfigured(definition.name)) throw new PersonaReadOnlyError(definition.name);
    const saved = await this.store.save(definition.name, definition, by, nowMs);
    await this.refresh();
    return personaSchema.parse(saved.definition);
  }

  /** Retires a persona defined from the dashboard; false when there is none of that name. */
  async retire(name: string, nowMs: number): Promise<boolean> {
    if (this.isConfigured(name)) throw new PersonaReadOnlyError(name);
    const retired = await this.store.retire(name, nowMs);
    await this.refresh();
    return retired;
  }

  /** Every version of a dashboard persona, newest first. */
  history(name: string): Promise<StoredPersona[]> {
    return this.store.history(name);
  }

  private isConfigured(name: string): boolean {
    return this.configured.personas.some((p) => personaKey(p.name) === personaKey(name));
  }

  private async refresh(): Promise<void> {
    const taken = new Set(this.configured.personas.map((p) => personaKey(p.name)));
    const stored: Persona[] = [];
    for (const row of await this.store.current()) {
      const parsed = personaSchema.safeParse(row.definition);
      if (!parsed.success || taken.has(personaKey(parsed.data.name))) {
        this.logger?.warn(
          { persona: `${row.name}@${row.version}`, reason: parsed.success ? 'name_taken' : 'invalid' },
          'stored persona left out',
        );
        continue;
      }
      taken.add(personaKey(parsed.data.name));
      stored.push(parsed.data);
    }
    this.stored = stored;
    this.all = [...this.configured.personas, ...stored];
    this.revisionNo++;
  }
}
