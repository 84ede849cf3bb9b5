import { chatSlang, type SlangEntry } from './chat-profile.js';
import type { ChatState, HistoryEntry, Language } from './chat-state.js';
import { memberLabel } from './member-label.js';
import { DEFAULT_PERSONA, EMOJI_RULES, type Persona, personaId, REPLY_LENGTHS } from './persona.js';
import { PERSONA_TEMPLATE } from './persona-template.js';
import { deriveStyle, type ReplyStyle } from './style-rules.js';

/** One message of an OpenAI-compatible chat-completion request (what Groq takes). */
export interface ChatCompletionMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A memory recalled for this reply (from the memory edge; optional). */
export interface RecalledMemory {
  text: string;
  /** Who said it, when known. */
  fromId?: number | undefined;
  ms?: number | undefined;
}

/** The A/B experiment and variant that chose a reply's persona. */
export interface PromptExperiment {
  id: number;
  variant: string;
}

/**
 * Who the bot is for one reply: the persona that prompts it and, when an A/B
 * experiment chose that persona, the experiment (with its score window:
 * how long signals on the reply count).
 */
export interface ReplyVoice {
  persona: Persona;
  experiment: (PromptExperiment & { scoreWindowMs: number }) | null;
}

export interface PromptRequest {
  /** The message being answered. */
  triggerId: number;
  fromId: number;
  language: Language;
  memories?: readonly RecalledMemory[] | undefined;
  /** Who the bot is in this chat; default {@link DEFAULT_PERSONA}. */
  persona?: Persona | undefined;
  /** The experiment that chose `persona`, named in the prompt's version. */
  experiment?: PromptExperiment | null | undefined;
}

/** The built prompt plus everything that went into it, for the debug view and the leak guard. */
export interface PersonaPrompt {
  /**
   * The template's version, the persona's `name@version` and the experiment
   * and variant that chose it, if one did: `lekha-persona/3 Лёха@1 exp 4/short`.
   */
  version: string;
  /** The template's version alone: `lekha-persona/3`. */
  template: string;
  /** The persona's `name@version`. */
  persona: string;
  experiment: PromptExperiment | null;
  /** The persona's cap on the answer's tokens, when it asks for a reply length. */
  maxTokens?: number | undefined;
  messages: ChatCompletionMessage[];
  style: ReplyStyle;
  slang: SlangEntry[];
  /** Ids of the history messages shown to the model. */
  historyIds: number[];
  memoriesUsed: number;
  /** Persona, rules and style without chat content: what the leak guard compares replies with. */
  instructions: string;
}

/** History lines shown to the model: enough for context, cheap in tokens. */
export const PROMPT_HISTORY_MESSAGES = 30;
const PROMPT_MEMORIES = 5;
const MEMORY_CHARS = 300;
const PROMPT_SLANG = 12;

/**
 * Builds the chat-completion messages for one reply from the versioned
 * persona template: persona and rules, the adaptive style for this member
 * and the group's state, the chat's slang, recalled memories, and the recent
 * history with speakers by id and reply threading. Members appear only as
 * `member "<name as a JSON string>" (id N)` and the bot as
 * {@link PERSONA_TEMPLATE}`.botLabel` with the persona's name, so no display
 * name can pose as the bot.
 */
export function buildPersonaPrompt(
  state: ChatState,
  request: PromptRequest,
  nowMs: number,
  allowAiDisclosure = state.settings.allowAiDisclosure,
): PersonaPrompt {
  const t = PERSONA_TEMPLATE;
  const persona = request.persona ?? DEFAULT_PERSONA;
  const named = (text: string): string => text.replaceAll('{name}', () => persona.name);
  const botLabel = named(t.botLabel);
  const style = deriveStyle(state, request.fromId, request.language, nowMs);
  const slang = chatSlang(state.chat, PROMPT_SLANG);
  const memories = (request.memories ?? []).slice(0, PROMPT_MEMORIES);

  const instructions = [
    ...personaLines(persona).map(named),
    '',
    ...t.rules,
    allowAiDisclosure
      ? (persona.aiDisclosure?.allow ?? named(t.aiDisclosure.allow))
      : (persona.aiDisclosure?.deny ?? named(t.aiDisclosure.deny)),
    '',
    t.sections.style,
    ...style.rules.map((r) => `- ${r.instruction}`),
  ].join('\n');
  const system: string[] = [instructions];
  if (slang.length > 0) system.push('', t.sections.slang, slang.map((s) => s.text).join(', '));
  if (memories.length > 0) {
    system.push('', t.sections.memories);
    for (const m of memories)
      system.push(
        `- ${m.fromId === undefined ? '' : `${memberLabel(state, m.fromId)}: `}${oneLine(m.text).slice(0, MEMORY_CHARS)}`,
      );
  }
  system.push('', t.sections.internal.replace('{canary}', t.canary));
  const systemPrompt = system.join('\n');

  const shown = state.history.slice(-PROMPT_HISTORY_MESSAGES);
  const labels = new Map<number, string>();
  const labelOf = (id: number): string => {
    let label = labels.get(id);
    if (label === undefined) labels.set(id, (label = memberLabel(state, id)));
    return label;
  };
  const transcript = [
    t.sections.transcript.replace('{bot}', () => botLabel),
    ...shown.map((e) => transcriptLine(e, labelOf, botLabel)),
  ].join('\n');
  // A function replacement: `$&` or `$'` in a name must stay literal text.
  const task = t.sections.task
    .replace('{triggerId}', String(request.triggerId))
    .replace('{name}', () => labelOf(request.fromId));

  const id = personaId(persona);
  const experiment = request.experiment ?? null;
  return {
    version: `${t.version} ${id}${experiment === null ? '' : ` exp ${experiment.id}/${experiment.variant}`}`,
    template: t.version,
    persona: id,
    experiment,
    ...(persona.replyLength === undefined ? {} : { maxTokens: REPLY_LENGTHS[persona.replyLength].maxTokens }),
    messages: [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: `${transcript}\n\n${task}` },
    ],
    style,
    slang,
    historyIds: shown.map((e) => e.id),
    memoriesUsed: memories.length,
    instructions,
  };
}

/**
 * A readable account of a built prompt: template version, every style rule
 * with the reason it applies, slang, memories and history used. What an
 * admin looks at to see why Lekha answered the way he did.
 */
export function describePrompt(prompt: PersonaPrompt): string {
  const lines = [
    `template ${prompt.version}; language ${prompt.style.language}; formality ${prompt.style.formality}; length ${prompt.style.length}; humour ${prompt.style.humour}${prompt.style.calm ? '; calm' : ''}`,
    'style rules:',
    ...prompt.style.rules.map((r) => `  [${r.id}] ${r.instruction} — because ${r.because}`),
    ...(prompt.style.muted.length === 0
      ? []
      : [
          'muted style rules (left out of the prompt):',
          ...prompt.style.muted.map((r) => `  [${r.key}] ${r.instruction} — ${r.because}`),
        ]),
    `slang: ${prompt.slang.length === 0 ? '(none yet)' : prompt.slang.map((s) => `${s.text} ×${s.count}`).join(', ')}`,
    `memories: ${prompt.memoriesUsed}`,
    `history: ${prompt.historyIds.length} messages${prompt.historyIds.length > 0 ? ` (#${prompt.historyIds[0]} … #${prompt.historyIds[prompt.historyIds.length - 1]})` : ''}`,
    `messages: ${prompt.messages.map((m) => `${m.role} ${m.content.length} chars`).join(', ')}`,
  ];
  return lines.join('\n');
}

const LANGUAGE_NAMES = { ru: 'Russian', uk: 'Ukrainian', en: 'English' } as const;

/**
 * Who the persona is and how it writes, `{name}` filled in: the persona's
 * part of every prompt, and the system message of its fine-tune examples.
 */
export function personaInstructions(persona: Persona): string[] {
  return personaLines(persona).map((line) => line.replaceAll('{name}', () => persona.name));
}

/** Who the persona is and how it writes: the lines before the rules, `{name}` not yet filled in. */
function personaLines(persona: Persona): string[] {
  const t = PERSONA_TEMPLATE;
  const lines = [...persona.character, ...persona.styleRules];
  if (persona.replyLength !== undefined) lines.push(REPLY_LENGTHS[persona.replyLength].instruction);
  if (persona.emoji !== undefined) lines.push(EMOJI_RULES[persona.emoji]);
  lines.push(
    persona.language === 'match'
      ? t.language.match
      : t.language.fixed.replace('{language}', LANGUAGE_NAMES[persona.language]),
  );
  const topics = persona.topics;
  if (topics !== undefined) lines.push(t.topics.replace('{topics}', () => topics.join(', ')));
  lines.push(t.group);
  return lines;
}

function transcriptLine(entry: HistoryEntry, labelOf: (id: number) => string, botLabel: string): string {
  const speaker = entry.bot ? botLabel : labelOf(entry.from);
  const thread = entry.replyTo > 0 ? ` → #${entry.replyTo}` : '';
  return `[#${entry.id}] ${speaker}${thread}: ${oneLine(entry.text)}`;
}

/** Line breaks of any kind (also U+0085 and U+2028) would let a message start a transcript line of its own. */
function oneLine(text: string): string {
  return isOneLine(text) ? text : text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/**
 * Nearly every chat message is already one line with single spaces: this
 * check costs a fraction of the Unicode regex replace, and each prompt runs
 * it for thirty history lines. True when `oneLine` would return the text unchanged.
 */
function isOneLine(text: string): boolean {
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === last || text.charCodeAt(i - 1) === 0x20) return false;
    } else if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0xa0) ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff
    ) {
      return false;
    }
  }
  return true;
}
