import { BotAddress } from './bot-address.js';
import { DEFAULT_PERSONA, type Persona, personaTriggers } from './persona.js';

/** The personas a bot can take and the one chats start with. */
export interface PersonaCatalog {
  readonly personas: readonly Persona[];
  /** The name of the persona of every chat that has not chosen one. */
  readonly defaultName: string;
  /**
   * Goes up whenever the personas change while the bot runs (personas
   * defined from the dashboard); a fixed catalog leaves it unset.
   */
  readonly revision?: number;
}

/** A catalog of Лёха alone, as every bot had before personas were configurable. */
export const DEFAULT_CATALOG: PersonaCatalog = Object.freeze({
  personas: [DEFAULT_PERSONA],
  defaultName: DEFAULT_PERSONA.name,
});

/** The bot in Telegram, as far as addressing it goes. */
export interface BotHandle {
  userId: number;
  username: string;
}

/**
 * The personas of one bot, looked up by name for a chat's setting, with the
 * `BotAddress` of each (built once: its word set is the persona's case forms).
 * A chat whose setting names a persona no longer configured gets the default.
 */
export class PersonaBook {
  private built: Built;

  constructor(
    readonly catalog: PersonaCatalog,
    private readonly bot: BotHandle,
  ) {
    this.built = build(catalog, bot);
  }

  /** The default persona (of the catalog as it is now). */
  get default(): Persona {
    return this.current().default;
  }

  list(): readonly Persona[] {
    return this.current().personas;
  }

  /** The persona of that name (case and ё do not matter), or undefined. */
  find(name: string): Persona | undefined {
    return this.current().byKey.get(personaKey(name));
  }

  /** The persona a chat's setting names; the default when it names none or one not configured. */
  of(setting: string | undefined): Persona {
    const built = this.current();
    return setting === undefined ? built.default : (built.byKey.get(personaKey(setting)) ?? built.default);
  }

  address(persona: Persona): BotAddress {
    const built = this.current();
    return built.addresses.get(persona) ?? (built.addresses.get(built.default) as BotAddress);
  }

  /**
   * A stem of any persona's name: kept out of every chat's words, whichever
   * persona the chat has (a name stays a name after a switch).
   */
  isOwnName(stem: string): boolean {
    return this.current().ownStems.has(stem);
  }

  ownNameStems(): readonly string[] {
    return [...this.current().ownStems];
  }

  /** The lookups for the catalog as it is now: rebuilt once after each change of a live catalog. */
  private current(): Built {
    if (this.built.revision !== this.catalog.revision) this.built = build(this.catalog, this.bot);
    return this.built;
  }
}

/** A catalog's personas by name, each with its address, at one revision. */
interface Built {
  revision: number | undefined;
  personas: readonly Persona[];
  default: Persona;
  byKey: Map<string, Persona>;
  addresses: Map<Persona, BotAddress>;
  ownStems: ReadonlySet<string>;
}

function build(catalog: PersonaCatalog, bot: BotHandle): Built {
  const revision = catalog.revision;
  const personas = catalog.personas;
  const byKey = new Map<string, Persona>();
  const addresses = new Map<Persona, BotAddress>();
  for (const persona of personas) {
    byKey.set(personaKey(persona.name), persona);
    addresses.set(
      persona,
      new BotAddress({ userId: bot.userId, username: bot.username, triggers: personaTriggers(persona) }),
    );
  }
  const fallback = byKey.get(personaKey(catalog.defaultName));
  if (fallback === undefined) throw new Error(`default persona "${catalog.defaultName}" is not in the catalog`);
  const ownStems = new Set([...addresses.values()].flatMap((a) => a.ownNameStems()));
  return { revision, personas, default: fallback, byKey, addresses, ownStems };
}

/** The persona of that name in the catalog (case and ё do not matter), or undefined. */
export function findPersona(catalog: PersonaCatalog, name: string): Persona | undefined {
  const key = personaKey(name);
  return catalog.personas.find((p) => personaKey(p.name) === key);
}

/** A persona's name as chats and stores look it up: case and ё do not matter. */
export function personaKey(name: string): string {
  return name.trim().toLowerCase().replaceAll('ё', 'е');
}
