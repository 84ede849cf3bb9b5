/** A persona as `/persona` names it. */
export interface PersonaLine {
  name: string;
  /** `Лёха@1`. */
  id: string;
}

/** A chat's tuning of its persona as `/persona` shows it; the values are the setting's own words. */
export interface TuningLine {
  replyLength?: string | undefined;
  emoji?: string | undefined;
  /** How many style lines of its own the chat added. */
  styleLines: number;
}

/** A part of the tuning, and what the persona allows of it (values, or a number of lines). */
export type TuningLimit =
  { knob: 'replyLength' | 'emoji'; allowed: readonly string[] } | { knob: 'styleLines'; allowed: number };

/** What the bot says about its personas (`/persona`); part of the {@link Phrasebook}. */
export interface PersonaPhrases {
  /** The chat's persona, its tuning when it has one, and the ones it could switch to. */
  personaIs(current: PersonaLine, available: readonly PersonaLine[], tuning?: TuningLine): string;
  personaSet(persona: PersonaLine): string;
  personaUnknown(typed: string, available: readonly PersonaLine[]): string;
  personaAdminsOnly(): string;
  /** The tuning after a change (or none left). */
  personaTuned(tuning: TuningLine): string;
  /** A change the persona does not allow. */
  personaTuningRefused(limit: TuningLimit): string;
  /** How to tune, for a malformed `/persona length|emoji|style`. */
  personaTuningUsage(): string;
}

const names = (available: readonly PersonaLine[]): string => available.map((p) => p.name).join(', ');

/** `length short, emoji none, 2 style lines` in a language's words; '' for no tuning. */
function tuningText(
  tuning: TuningLine | undefined,
  words: { length: string; emoji: string; lines: (n: number) => string },
): string {
  if (tuning === undefined) return '';
  const parts = [
    ...(tuning.replyLength === undefined ? [] : [`${words.length} ${tuning.replyLength}`]),
    ...(tuning.emoji === undefined ? [] : [`${words.emoji} ${tuning.emoji}`]),
    ...(tuning.styleLines === 0 ? [] : [words.lines(tuning.styleLines)]),
  ];
  return parts.join(', ');
}

const RU_WORDS = {
  length: 'длина',
  emoji: 'эмодзи',
  lines: (n: number) => `своих правил стиля: ${n}`,
};
const UK_WORDS = {
  length: 'довжина',
  emoji: 'емодзі',
  lines: (n: number) => `своїх правил стилю: ${n}`,
};
const EN_WORDS = {
  length: 'length',
  emoji: 'emoji',
  lines: (n: number) => `${n} style line${n === 1 ? '' : 's'} of the chat's own`,
};

const withTuning = (text: string, tuning: string, label: string): string =>
  tuning === '' ? text : `${text} ${label}: ${tuning}.`;

const allowedText = (limit: TuningLimit, none: string): string =>
  limit.knob === 'styleLines' ? String(limit.allowed) : limit.allowed.length === 0 ? none : limit.allowed.join(', ');

export const ruPersona: PersonaPhrases = {
  personaIs: (current, available, tuning) =>
    withTuning(
      available.length > 1
        ? `Сейчас я — ${current.name} (${current.id}). Могу быть: ${names(available)}. Сменить: /persona <имя> (только админы).`
        : `Сейчас я — ${current.name} (${current.id}). Других персон у этого бота нет.`,
      tuningText(tuning, RU_WORDS),
      'Настроено в этом чате',
    ),
  personaSet: (persona) => `Готово, теперь я — ${persona.name}. Зовите меня так.`,
  personaUnknown: (typed, available) => `Персоны «${typed}» нет. Есть: ${names(available)}.`,
  personaAdminsOnly: () => 'Персону меняют только админы чата.',
  personaTuned: (tuning) => {
    const text = tuningText(tuning, RU_WORDS);
    return text === '' ? 'Готово, в этом чате персона без настроек.' : `Готово. Настроено в этом чате: ${text}.`;
  },
  personaTuningRefused: (limit) =>
    limit.knob === 'styleLines'
      ? `Своих правил стиля у этой персоны можно не больше ${limit.allowed}.`
      : `Эта персона разрешает ${limit.knob === 'replyLength' ? 'длину' : 'эмодзи'}: ${allowedText(limit, 'ничего')}.`,
  personaTuningUsage: () =>
    'Настройка персоны: /persona length short|medium|long|default, /persona emoji none|rare|free|default, /persona style <правило> или /persona style clear, /persona reset (только админы).',
};

export const ukPersona: PersonaPhrases = {
  personaIs: (current, available, tuning) =>
    withTuning(
      available.length > 1
        ? `Зараз я — ${current.name} (${current.id}). Можу бути: ${names(available)}. Змінити: /persona <ім’я> (лише адміни).`
        : `Зараз я — ${current.name} (${current.id}). Інших персон у цього бота немає.`,
      tuningText(tuning, UK_WORDS),
      'Налаштовано в цьому чаті',
    ),
  personaSet: (persona) => `Готово, віднині я — ${persona.name}. Кличте мене так.`,
  personaUnknown: (typed, available) => `Персони «${typed}» немає. Є: ${names(available)}.`,
  personaAdminsOnly: () => 'Персону змінюють лише адміни чату.',
  personaTuned: (tuning) => {
    const text = tuningText(tuning, UK_WORDS);
    return text === '' ? 'Готово, у цьому чаті персона без налаштувань.' : `Готово. Налаштовано в цьому чаті: ${text}.`;
  },
  personaTuningRefused: (limit) =>
    limit.knob === 'styleLines'
      ? `Своїх правил стилю в цієї персони можна не більше ${limit.allowed}.`
      : `Ця персона дозволяє ${limit.knob === 'replyLength' ? 'довжину' : 'емодзі'}: ${allowedText(limit, 'нічого')}.`,
  personaTuningUsage: () =>
    'Налаштування персони: /persona length short|medium|long|default, /persona emoji none|rare|free|default, /persona style <правило> або /persona style clear, /persona reset (лише адміни).',
};

export const enPersona: PersonaPhrases = {
  personaIs: (current, available, tuning) =>
    withTuning(
      available.length > 1
        ? `Right now I am ${current.name} (${current.id}). I can also be: ${names(available)}. Switch with /persona <name> (admins only).`
        : `Right now I am ${current.name} (${current.id}). This bot has no other personas.`,
      tuningText(tuning, EN_WORDS),
      'Tuned in this chat',
    ),
  personaSet: (persona) => `Done, I am ${persona.name} now. Call me that.`,
  personaUnknown: (typed, available) => `There is no persona "${typed}". Available: ${names(available)}.`,
  personaAdminsOnly: () => 'Only chat admins can change the persona.',
  personaTuned: (tuning) => {
    const text = tuningText(tuning, EN_WORDS);
    return text === '' ? 'Done, the persona has no tuning in this chat.' : `Done. Tuned in this chat: ${text}.`;
  },
  personaTuningRefused: (limit) =>
    limit.knob === 'styleLines'
      ? `This persona allows at most ${limit.allowed} style lines of a chat's own.`
      : `This persona allows ${limit.knob === 'replyLength' ? 'reply length' : 'emoji'}: ${allowedText(limit, 'none')}.`,
  personaTuningUsage: () =>
    'Tuning the persona: /persona length short|medium|long|default, /persona emoji none|rare|free|default, /persona style <rule> or /persona style clear, /persona reset (admins only).',
};
