import type { Logger } from 'pino';
import type { Config } from './config/index.js';
import type { Endpoints } from './endpoints.js';
import { LlmGateway } from './llm/index.js';
import type { Clock, MetricsRegistry } from './runtime/index.js';

/** The LLM gateway with the configured models and limits; without a Groq key every reply comes from the offline responder. */
export function buildLlmGateway(
  config: Config,
  groq: Endpoints['groq'],
  clock: Clock,
  metrics: MetricsRegistry,
  logger: Logger,
): LlmGateway {
  const llm = new LlmGateway({
    ...groq,
    models: [config.GROQ_MODEL, ...config.GROQ_FALLBACK_MODELS],
    timeoutMs: config.GROQ_TIMEOUT_MS,
    maxTokens: config.GROQ_MAX_TOKENS,
    maxConcurrency: config.GROQ_MAX_CONCURRENCY,
    dailyTokensPerChat: config.LLM_DAILY_TOKENS_PER_CHAT,
    dailyTokensPerUser: config.LLM_DAILY_TOKENS_PER_USER,
    clock,
    metrics,
    logger,
  });
  if (!llm.online) logger.warn('no GROQ_API_KEY: replies come from the offline responder');
  return llm;
}
