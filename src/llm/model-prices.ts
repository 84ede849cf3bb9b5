/** USD per million tokens. */
export interface ModelPrice {
  inputPerM: number;
  outputPerM: number;
}

/**
 * Groq's list prices for the models we expect to use, as published when this
 * was written. They only feed the cost estimate in stats; pass your own table
 * to the gateway when they change. Unknown models are estimated at 0 and
 * reported as unpriced.
 */
export const GROQ_PRICES: Readonly<Record<string, ModelPrice>> = {
  'llama-3.1-8b-instant': { inputPerM: 0.05, outputPerM: 0.08 },
  'llama-3.3-70b-versatile': { inputPerM: 0.59, outputPerM: 0.79 },
  'meta-llama/llama-4-scout-17b-16e-instruct': { inputPerM: 0.11, outputPerM: 0.34 },
  'meta-llama/llama-4-maverick-17b-128e-instruct': { inputPerM: 0.2, outputPerM: 0.6 },
  'openai/gpt-oss-20b': { inputPerM: 0.075, outputPerM: 0.3 },
  'openai/gpt-oss-120b': { inputPerM: 0.15, outputPerM: 0.6 },
  'qwen/qwen3-32b': { inputPerM: 0.29, outputPerM: 0.59 },
};

export function estimateCostUsd(price: ModelPrice | undefined, promptTokens: number, completionTokens: number): number {
  if (price === undefined) return 0;
  return (promptTokens * price.inputPerM + completionTokens * price.outputPerM) / 1_000_000;
}
