import { bump, type ChatState } from './chat-state.js';
import { PERSONA_TEMPLATE } from './persona-template.js';
import { redactPii } from './pii-detector.js';
import { scanText } from './scan-text.js';

export type LeakReason = 'system-prompt' | 'ai-claim' | 'secret' | 'pii';

/**
 * `send` the text as is; `rewrite`: send the given text instead (offending
 * sentences removed or personal data redacted); `block`: send nothing from
 * the model (the actor answers with a neutral line, see the phrasebook).
 */
export type GuardVerdict =
  | { action: 'send'; text: string }
  | { action: 'rewrite'; text: string; reasons: LeakReason[] }
  | { action: 'block'; reasons: LeakReason[] };

export interface GuardContext {
  /**
   * The instruction part of the prompt the reply was generated with (persona,
   * rules, style; no chat content, which a reply may legitimately repeat).
   */
  instructions: string;
  /** When false, claims of being an AI model are removed. */
  allowAiDisclosure: boolean;
}

/** Consecutive words of the system prompt that, found in a reply, mean it was quoted. */
const SHINGLE_WORDS = 7;

const PROMPT_TALK =
  /(?:system\s+prompt|my\s+(?:instructions|prompt|guidelines)|i\s+(?:was|have\s+been|am)\s+(?:instructed|told|programmed)\s+to|системн\S*\s+промпт\S*|мо(?:и|их|ими)\s+инструкци\S*|мне\s+(?:было\s+)?(?:велено|приказано|сказано\s+в\s+инструкци)|мой\s+промпт|по\s+инструкции\s+я)/iu;

const AI_CLAIM =
  /(?:\b(?:i\s+am|i'm|as)\s+(?:just\s+|only\s+)?an?\s+(?:ai\b|artificial\s+intelligence|(?:large\s+)?language\s+model|llm\b|chatbot|virtual\s+assistant|ai\s+assistant)|(?:^|[^\p{L}])я\s+(?:[-—–]\s*)?(?:всего\s+лишь\s+|просто\s+|только\s+)?(?:ии|искусственный\s+интеллект|языков\S*\s+модел\S*|нейросет\S*|чат-?бот\S*|виртуальн\S*\s+ассистент\S*|ai\b)|(?:как|будучи)\s+(?:ии|искусственный\s+интеллект|языков\S*\s+модел\S*|нейросет\S*)(?![\p{L}])|(?:created|developed|trained|made)\s+by\s+(?:openai|meta|google|anthropic|groq|mistral)|(?:создан\S*|разработан\S*|обучен\S*)\s+(?:компанией\s+)?(?:openai|meta|google|anthropic|groq|mistral))/iu;

const SECRETS: readonly RegExp[] = [
  /\b\d{8,10}:[A-Za-z0-9_-]{35}\b/, // Telegram bot token
  /\bgsk_[A-Za-z0-9]{20,}/, // Groq key
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/, // OpenAI-style key
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub token
  /\bxox[baprs]-[A-Za-z0-9-]{10,}/, // Slack token
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, // JWT
  /\b(?:postgres(?:ql)?|redis|mysql|mongodb(?:\+srv)?):\/\/[^\s:/@]+:[^\s@]+@/, // connection string with a password
];

/**
 * Checks a model's reply before it is sent: a quoted or discussed system
 * prompt and leaked secrets block it; claims of being an AI (when the
 * persona forbids them) are cut out sentence by sentence; personal data is
 * redacted. Pure: the caller counts the verdict with {@link countGuardVerdict}.
 */
export function guardReply(text: string, ctx: GuardContext): GuardVerdict {
  if (SECRETS.some((re) => re.test(text))) return { action: 'block', reasons: ['secret'] };
  if (text.includes(PERSONA_TEMPLATE.canary) || PROMPT_TALK.test(text) || quotesPrompt(text, ctx.instructions)) {
    return { action: 'block', reasons: ['system-prompt'] };
  }
  const reasons: LeakReason[] = [];
  let out = text;
  if (!ctx.allowAiDisclosure && AI_CLAIM.test(out)) {
    out = out
      .split(/(?<=[.!?…])\s+/u)
      .filter((sentence) => !AI_CLAIM.test(sentence))
      .join(' ')
      .trim();
    if (out.length === 0) return { action: 'block', reasons: ['ai-claim'] };
    reasons.push('ai-claim');
  }
  const redaction = redactPii(out);
  if (redaction.matches.length > 0) {
    out = redaction.text;
    reasons.push('pii');
  }
  return reasons.length === 0 ? { action: 'send', text } : { action: 'rewrite', text: out, reasons };
}

/** Counts a blocked or rewritten reply under each of its reasons, in the chat's counters. */
export function countGuardVerdict(state: ChatState, verdict: GuardVerdict): void {
  if (verdict.action === 'send') return;
  for (const reason of verdict.reasons) bump(state.counters.leakBlocks, `${verdict.action}:${reason}`);
}

function quotesPrompt(text: string, instructions: string): boolean {
  // A plugin's text is checked with no prompt: nothing to quote, nothing to scan.
  if (instructions === '') return false;
  const replyWords = words(text);
  if (replyWords.length < SHINGLE_WORDS) return false;
  if (!mayQuote(replyWords, instructions)) return false;
  const haystack = ` ${words(instructions).join(' ')} `;
  for (let i = 0; i + SHINGLE_WORDS <= replyWords.length; i++) {
    if (haystack.includes(` ${replyWords.slice(i, i + SHINGLE_WORDS).join(' ')} `)) return true;
  }
  return false;
}

/**
 * A cheap necessary condition for {@link quotesPrompt}: every word of a
 * quoted run occurs in the instructions' lower-cased, ё-folded text (their
 * words are slices of it), so when no run of reply words does, splitting
 * the instructions into words can be skipped. Runs on every reply; the
 * instructions are a few kilobytes.
 */
function mayQuote(replyWords: readonly string[], instructions: string): boolean {
  const lower = instructions.toLowerCase();
  // Lower-casing changed the length (a rare letter like "İ"): words are not slices of it, so take the full check.
  if (lower.length !== instructions.length) return true;
  const folded = lower.includes('ё') ? lower.replaceAll('ё', 'е') : lower;
  let run = 0;
  for (const word of replyWords) {
    run = folded.includes(word) ? run + 1 : 0;
    if (run >= SHINGLE_WORDS) return true;
  }
  return false;
}

function words(text: string): string[] {
  return scanText(text).words;
}
