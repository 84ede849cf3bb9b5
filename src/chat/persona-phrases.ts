/** A persona as `/persona` names it. */
export interface PersonaLine {
  name: string;
  /** `Лёха@1`. */
  id: string;
}

/** What the bot says about its personas (`/persona`); part of the {@link Phrasebook}. */
export interface PersonaPhrases {
  /** The chat's persona and the ones it could switch to. */
  personaIs(current: PersonaLine, available: readonly PersonaLine[]): string;
  personaSet(persona: PersonaLine): string;
  personaUnknown(typed: string, available: readonly PersonaLine[]): string;
  personaAdminsOnly(): string;
}

const names = (available: readonly PersonaLine[]): string => available.map((p) => p.name).join(', ');

export const ruPersona: PersonaPhrases = {
  personaIs: (current, available) =>
    available.length > 1
      ? `Сейчас я — ${current.name} (${current.id}). Могу быть: ${names(available)}. Сменить: /persona <имя> (только админы).`
      : `Сейчас я — ${current.name} (${current.id}). Других персон у этого бота нет.`,
  personaSet: (persona) => `Готово, теперь я — ${persona.name}. Зовите меня так.`,
  personaUnknown: (typed, available) => `Персоны «${typed}» нет. Есть: ${names(available)}.`,
  personaAdminsOnly: () => 'Персону меняют только админы чата.',
};

export const ukPersona: PersonaPhrases = {
  personaIs: (current, available) =>
    available.length > 1
      ? `Зараз я — ${current.name} (${current.id}). Можу бути: ${names(available)}. Змінити: /persona <ім’я> (лише адміни).`
      : `Зараз я — ${current.name} (${current.id}). Інших персон у цього бота немає.`,
  personaSet: (persona) => `Готово, віднині я — ${persona.name}. Кличте мене так.`,
  personaUnknown: (typed, available) => `Персони «${typed}» немає. Є: ${names(available)}.`,
  personaAdminsOnly: () => 'Персону змінюють лише адміни чату.',
};

export const enPersona: PersonaPhrases = {
  personaIs: (current, available) =>
    available.length > 1
      ? `Right now I am ${current.name} (${current.id}). I can also be: ${names(available)}. Switch with /persona <name> (admins only).`
      : `Right now I am ${current.name} (${current.id}). This bot has no other personas.`,
  personaSet: (persona) => `Done, I am ${persona.name} now. Call me that.`,
  personaUnknown: (typed, available) => `There is no persona "${typed}". Available: ${names(available)}.`,
  personaAdminsOnly: () => 'Only chat admins can change the persona.',
};
