import { BotAddress } from './bot-address.js';
import { DEFAULT_PERSONA, type Persona, personaTriggers } from './persona.js';

/** The personas a bot can take and the one chats start with. */
export interface PersonaCatalog {
  personas: readonly Persona[];
  /** The name of the persona of every chat that has not chosen one. */
  defaultName: string;
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
  readonly default: Persona;
  private readonly byKey = new Map<string, Persona>();
  private readonly addresses = new Map<Persona, BotAddress>();
  private readonly ownStems: ReadonlySet<string>;

  constructor(
    readonly catalog: PersonaCatalog,
    bot: BotHandle,
  ) {
    for (const persona of catalog.personas) {
      this.byKey.set(keyOf(persona.name), persona);
      this.addresses.set(
        persona,
        new BotAddress({ userId: bot.userId, username: bot.username, triggers: personaTriggers(persona) }),
      );
    }
    const fallback = this.byKey.get(keyOf(catalog.defaultName));
    if (fallback === undefined) throw new Error(`default persona "${catalog.defaultName}" is not in the catalog`);
    this.default = fallback;
    this.ownStems = new Set([...this.addresses.values()].flatMap((a) => a.ownNameStems()));
  }

  list(): readonly Persona[] {
    return this.catalog.personas;
  }

  /** The persona of that name (case and ё do not matter), or undefined. */
  find(name: string): Persona | undefined {
    return findPersona(this.catalog, name);
  }

  /** The persona a chat's setting names; the default when it names none or one not configured. */
  of(setting: string | undefined): Persona {
    return setting === undefined ? this.default : (this.byKey.get(keyOf(setting)) ?? this.default);
  }

  address(persona: Persona): BotAddress {
    return this.addresses.get(persona) ?? (this.addresses.get(this.default) as BotAddress);
  }

  /**
   * A stem of any persona's name: kept out of every chat's words, whichever
   * persona the chat has (a name stays a name after a switch).
   */
  isOwnName(stem: string): boolean {
    return this.ownStems.has(stem);
  }

  ownNameStems(): readonly string[] {
    return [...this.ownStems];
  }
}

/** The persona of that name in the catalog (case and ё do not matter), or undefined. */
export function findPersona(catalog: PersonaCatalog, name: string): Persona | undefined {
  const key = keyOf(name);
  return catalog.personas.find((p) => keyOf(p.name) === key);
}

function keyOf(name: string): string {
  return name.trim().toLowerCase().replaceAll('ё', 'е');
}
