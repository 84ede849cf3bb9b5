import {
  findPersona,
  type Persona,
  type PersonaCatalog,
  personaId,
  type PersonaTuning,
  phrasebookFor,
  tuningRefusals,
} from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

const line = (persona: Persona) => ({ name: persona.name, id: personaId(persona) });

const tuningLine = (tuning: PersonaTuning | undefined) =>
  tuning === undefined
    ? undefined
    : { replyLength: tuning.replyLength, emoji: tuning.emoji, styleLines: tuning.styleLines?.length ?? 0 };

/** The words `/persona` takes for tuning, in each language the bot speaks. */
const KNOBS: Record<string, 'length' | 'emoji' | 'style' | 'reset'> = {
  length: 'length',
  длина: 'length',
  довжина: 'length',
  emoji: 'emoji',
  эмодзи: 'emoji',
  емодзі: 'emoji',
  style: 'style',
  стиль: 'style',
  reset: 'reset',
  сброс: 'reset',
  скинути: 'reset',
};
const LENGTHS = ['short', 'medium', 'long'] as const;
const EMOJI = ['none', 'rare', 'free'] as const;
const DEFAULT_WORDS = new Set(['default', 'обычно', 'звично']);
const CLEAR_WORDS = new Set(['clear', 'очистить', 'очистити']);
const MAX_CHAT_STYLE_LINES = 5;

/**
 * The tuning after a `/persona length|emoji|style|reset …` (undefined: the
 * words do not say a change, the caller answers with the usage).
 */
function changedTuning(
  current: PersonaTuning | undefined,
  knob: 'length' | 'emoji' | 'style' | 'reset',
  rest: string,
): PersonaTuning | null | undefined {
  const value = rest.trim();
  const word = value.toLowerCase();
  const next: PersonaTuning = { ...current };
  switch (knob) {
    case 'reset':
      return value === '' ? null : undefined;
    case 'length':
      if (DEFAULT_WORDS.has(word)) delete next.replyLength;
      else if ((LENGTHS as readonly string[]).includes(word)) next.replyLength = word as (typeof LENGTHS)[number];
      else return undefined;
      break;
    case 'emoji':
      if (DEFAULT_WORDS.has(word)) delete next.emoji;
      else if ((EMOJI as readonly string[]).includes(word)) next.emoji = word as (typeof EMOJI)[number];
      else return undefined;
      break;
    case 'style':
      if (CLEAR_WORDS.has(word)) delete next.styleLines;
      else if (value.length >= 3 && value.length <= 200) {
        // A chat keeps its last few lines: a new one past the limit pushes out the oldest.
        next.styleLines = [...(current?.styleLines ?? []), value].slice(-MAX_CHAT_STYLE_LINES);
      } else return undefined;
      break;
  }
  return next.replyLength === undefined && next.emoji === undefined && (next.styleLines?.length ?? 0) === 0
    ? null
    : next;
}

/**
 * `/persona`: who the bot is in this chat, its tuning and who else it can
 * be; `/persona <name>` switches; `/persona length|emoji|style|reset …`
 * tunes the persona for this chat, within what the persona allows (its
 * `tunable`). Changes are for the chat's admins only (anyone in a private
 * chat). The chat answers to the new persona's names from its next message on.
 */
export function personaPlugin(catalog: PersonaCatalog) {
  return definePlugin({
    name: 'persona',
    version: '1.1.0',
    kind: 'command',
    description: { en: 'Who I am in this chat', ru: 'Кто я в этом чате', uk: 'Хто я в цьому чаті' },
    setup(p) {
      p.command(
        'persona',
        async (ctx) => {
          const say = phrasebookFor(ctx.language);
          const available = catalog.personas.map(line);
          const settings = ctx.chat.settings();
          const current =
            (settings.persona === undefined ? undefined : findPersona(catalog, settings.persona)) ??
            (findPersona(catalog, catalog.defaultName) as Persona);
          const typed = ctx.args.trim();
          if (typed === '') return say.personaIs(line(current), available, tuningLine(settings.personaTuning));
          const first = typed.split(/\s+/)[0] ?? '';
          const knob = KNOBS[first.toLowerCase()];
          const persona = findPersona(catalog, typed);
          if (knob !== undefined && persona === undefined) {
            const tuning = changedTuning(settings.personaTuning, knob, typed.slice(first.length));
            if (tuning === undefined) return say.personaTuningUsage();
            if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return say.personaAdminsOnly();
            const refused = tuning === null ? undefined : tuningRefusals(current, tuning)[0];
            if (refused !== undefined) return say.personaTuningRefused(refused);
            ctx.changeSettings({ personaTuning: tuning });
            return say.personaTuned(tuningLine(tuning ?? undefined) ?? { styleLines: 0 });
          }
          if (persona === undefined) return say.personaUnknown(typed.slice(0, 40), available);
          if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return say.personaAdminsOnly();
          ctx.changeSettings({ persona: persona.name });
          return say.personaSet(line(persona));
        },
        {
          description: {
            en: 'who I am here; /persona <name> switches, /persona length|emoji|style|reset tunes me (admins only)',
            ru: 'кто я здесь; /persona <имя> меняет, /persona length|emoji|style|reset настраивает (только админы)',
            uk: 'хто я тут; /persona <ім’я> змінює, /persona length|emoji|style|reset налаштовує (лише адміни)',
          },
          args: '[name | length|emoji|style|reset …]',
        },
      );
    },
  });
}
