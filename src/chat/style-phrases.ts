import type { StyleOverview } from './style-feedback.js';

/** What the bot says about what feedback taught it (`/style`); part of the {@link Phrasebook}. */
export interface StylePhrases {
  /** The lowered and muted rules with their weights, or that there are none. */
  styleIs(overview: StyleOverview): string;
  /** `/style reset` done; `hadAny`: something was lowered before. */
  styleReset(hadAny: boolean): string;
  styleAdminsOnly(): string;
  /** `/style` with arguments it does not take. */
  styleUsage(): string;
}

type Labels = Record<string, string>;

const ruLabels: Labels = {
  'formality:formal': 'вежливо, на «вы»',
  'formality:casual': 'по-простому, на «ты»',
  'length:short': 'коротко',
  'length:medium': 'в меру',
  'length:long': 'развёрнуто',
  'humour:light': 'с лёгким юмором',
  'humour:playful': 'с подколками и шутками',
  'allies:tease': 'подшучивать над друзьями',
  'welcome:newcomer': 'привечать новичков',
};
const ukLabels: Labels = {
  'formality:formal': 'ввічливо, на «ви»',
  'formality:casual': 'по-простому, на «ти»',
  'length:short': 'коротко',
  'length:medium': 'помірно',
  'length:long': 'розлого',
  'humour:light': 'з легким гумором',
  'humour:playful': 'з жартами й підколками',
  'allies:tease': 'кепкувати з друзів',
  'welcome:newcomer': 'привітно зустрічати новачків',
};
const enLabels: Labels = {
  'formality:formal': 'polite, formal address',
  'formality:casual': 'casual, informal address',
  'length:short': 'short answers',
  'length:medium': 'medium answers',
  'length:long': 'long answers',
  'humour:light': 'a light touch of humour',
  'humour:playful': 'playful and witty',
  'allies:tease': 'teasing friends',
  'welcome:newcomer': 'welcoming newcomers',
};

function lines(overview: StyleOverview, labels: Labels, muted: string): string[] {
  return overview.rules.map(
    (r) => `• ${labels[r.key] ?? r.key} (${r.key}): ${r.weight.toFixed(2)}${r.muted ? ` — ${muted}` : ''}`,
  );
}

export const ruStyle: StylePhrases = {
  styleIs: (o) =>
    o.rules.length === 0
      ? 'Стиль как обычно: на мои ответы не жаловались (или всё уже забылось).'
      : [
          `Что я понял из реакций на мои ответы (вес от 0.25 до 1, ниже ${o.muteBelow} — больше так не делаю; со временем вес возвращается к 1):`,
          ...lines(o, ruLabels, 'не делаю'),
          'Забыть всё: /style reset (только админы).',
        ].join('\n'),
  styleReset: (hadAny) =>
    hadAny ? 'Готово: забыл, что вам не нравилось, стиль снова как обычно.' : 'Забывать нечего: стиль и так обычный.',
  styleAdminsOnly: () => 'Сбросить стиль могут только админы чата.',
  styleUsage: () => 'Так: /style — что я понял из реакций, /style reset — забыть (только админы).',
};

export const ukStyle: StylePhrases = {
  styleIs: (o) =>
    o.rules.length === 0
      ? 'Стиль як завжди: на мої відповіді не скаржилися (або все вже забулося).'
      : [
          `Що я зрозумів із реакцій на мої відповіді (вага від 0.25 до 1, нижче ${o.muteBelow} — більше так не роблю; з часом вага повертається до 1):`,
          ...lines(o, ukLabels, 'не роблю'),
          'Забути все: /style reset (лише адміни).',
        ].join('\n'),
  styleReset: (hadAny) =>
    hadAny ? 'Готово: забув, що вам не подобалося, стиль знову як завжди.' : 'Забувати нічого: стиль і так звичайний.',
  styleAdminsOnly: () => 'Скинути стиль можуть лише адміни чату.',
  styleUsage: () => 'Так: /style — що я зрозумів із реакцій, /style reset — забути (лише адміни).',
};

export const enStyle: StylePhrases = {
  styleIs: (o) =>
    o.rules.length === 0
      ? 'Style as usual: nobody complained about my replies (or it has all been forgotten).'
      : [
          `What I learned from reactions to my replies (weight 0.25 to 1; below ${o.muteBelow} I stop doing it; weights drift back to 1 over time):`,
          ...lines(o, enLabels, 'stopped'),
          'Forget it all: /style reset (admins only).',
        ].join('\n'),
  styleReset: (hadAny) =>
    hadAny
      ? 'Done: I forgot what you disliked; my style is back to usual.'
      : 'Nothing to forget: my style is as usual.',
  styleAdminsOnly: () => 'Only chat admins can reset the style.',
  styleUsage: () => 'Use /style to see what I learned from reactions, /style reset to forget it (admins only).',
};
