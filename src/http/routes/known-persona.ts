import { personaKey } from '../../chat/index.js';
import type { PersonaDirectory, PersonaInfo } from '../ports/persona-directory.js';

/** The configured persona of that name (case and ё do not matter), or undefined. */
export function findPersonaInfo(personas: PersonaDirectory | undefined, name: string): PersonaInfo | undefined {
  const key = personaKey(name);
  return personas?.list().find((p) => personaKey(p.name) === key);
}

/** Why `name` is refused: `no persona is named "Петя" (there are: Лёха, Вася)`. */
export function noSuchPersona(personas: PersonaDirectory | undefined, name: string): string {
  const names = (personas?.list() ?? []).map((p) => p.name).join(', ');
  return `no persona is named "${name}" (there are: ${names || 'none'})`;
}
