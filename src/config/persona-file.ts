import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULT_CATALOG,
  findPersona,
  type Persona,
  type PersonaCatalog,
  personaSchema,
  renamedPersona,
} from '../chat/index.js';
import { ConfigError } from './load-config.js';
import type { Config } from './schema.js';

type PersonaSettings = Pick<Config, 'PERSONA_FILE' | 'PERSONA_NAME' | 'PERSONA_ALIASES'>;

/**
 * The bot's personas: those of `PERSONA_FILE` (or Лёха alone), the default
 * one renamed or given other triggers by `PERSONA_NAME` / `PERSONA_ALIASES`.
 * Throws {@link ConfigError} naming the file, the persona and the field of
 * every problem; nothing is half-loaded.
 */
export function loadPersonaCatalog(
  config: PersonaSettings,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): PersonaCatalog {
  const catalog = config.PERSONA_FILE === undefined ? DEFAULT_CATALOG : readCatalog(config.PERSONA_FILE, read);
  if (config.PERSONA_NAME === undefined && config.PERSONA_ALIASES === undefined) return catalog;
  const base = findPersona(catalog, catalog.defaultName) as Persona;
  let renamed: Persona;
  try {
    renamed = renamedPersona(base, config.PERSONA_NAME, config.PERSONA_ALIASES);
  } catch (error) {
    throw new ConfigError(
      issuesOf(error).map((i) => `${i.field === 'name' ? 'PERSONA_NAME' : 'PERSONA_ALIASES'}: ${i.message}`),
    );
  }
  const clash = findPersona(catalog, renamed.name);
  if (clash !== undefined && clash !== base)
    throw new ConfigError([`PERSONA_NAME: "${renamed.name}" is already the name of another persona`]);
  return {
    personas: catalog.personas.map((p) => (p === base ? renamed : p)),
    defaultName: renamed.name,
  };
}

function readCatalog(path: string, read: (path: string) => string): PersonaCatalog {
  const where = `PERSONA_FILE ${path}`;
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new ConfigError([`${where}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
    throw new ConfigError([`${where}: is not valid YAML or JSON: ${first}`]);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new ConfigError([`${where}: must be an object with "personas: [...]" and optionally "default: <name>"`]);
  const { personas: list, default: defaultName, ...rest } = document as Record<string, unknown>;
  const problems: string[] = Object.keys(rest).map(
    (key) => `${where}: unknown field "${key}" (the file has "personas" and "default")`,
  );
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${where}: "personas" must be a list of at least one persona`);
    throw new ConfigError(problems);
  }
  const personas: Persona[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const raw = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).name : undefined;
    const label = `${where}: persona ${typeof raw === 'string' ? `"${raw}" ` : ''}(personas[${index}])`;
    const parsed = personaSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${label}: ${issue.path.join('.') || '(persona)'}: ${issue.message}`);
      return;
    }
    const key = parsed.data.name.toLowerCase().replaceAll('ё', 'е');
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(`${label}: name: "${parsed.data.name}" is already the name of personas[${first}]`);
      return;
    }
    seen.set(key, index);
    personas.push(parsed.data);
  });
  if (defaultName !== undefined && typeof defaultName !== 'string')
    problems.push(`${where}: "default" must be the name of one of the personas`);
  if (problems.length > 0) throw new ConfigError(problems);
  const catalog: PersonaCatalog = { personas, defaultName: (personas[0] as Persona).name };
  if (typeof defaultName === 'string') {
    const chosen = findPersona(catalog, defaultName);
    if (chosen === undefined)
      throw new ConfigError([
        `${where}: default: no persona is named "${defaultName}" (there are: ${personas.map((p) => p.name).join(', ')})`,
      ]);
    return { personas, defaultName: chosen.name };
  }
  return catalog;
}

function issuesOf(error: unknown): Array<{ field: string; message: string }> {
  const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (issues === undefined) throw error;
  return issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }));
}
