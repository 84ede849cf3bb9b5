import type { ChatCompletionMessage, PromptExperiment, RankedMemory } from '../chat/index.js';

/** A memory as it went into a prompt, with why it ranked where it did. */
export interface PromptMemory {
  id: number;
  kind: RankedMemory['kind'];
  text: string;
  fromId: number;
  ms: number;
  similarity: number;
  feedback: number;
  score: number;
}

/** What the debug view shows of the last prompt a chat sent to the model. */
export interface PromptView {
  triggerId: number;
  builtAtMs: number;
  /** The template's version, the persona's `name@version` and the experiment's variant, if any, that built the prompt. */
  version: string;
  persona: string;
  /** The A/B experiment and variant that chose the persona; null outside one. */
  experiment: PromptExperiment | null;
  /** Template version, style rules with reasons, slang, memories and history used (`describePrompt`). */
  description: string;
  messages: ChatCompletionMessage[];
  memories: PromptMemory[];
  /** How the recall went: answered, timed out, failed, or not asked (memory off / nothing to ask). */
  recall: 'answered' | 'timed-out' | 'failed' | 'skipped';
  /** Names of the tools offered with the prompt. */
  tools: string[];
  /** `none`: the model was asked for a plain answer (tool rounds used up). */
  toolChoice: 'auto' | 'none';
  /** Tool rounds before this request: each call with the arguments the model wrote and what came back. */
  toolRounds: PromptToolRound[];
}

export interface PromptToolRound {
  calls: Array<{ id: string; name: string; arguments: string; result: string }>;
}
