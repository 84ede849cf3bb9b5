export { BoundedSemaphore } from './bounded-semaphore.js';
export { DailyTokenBudget } from './daily-token-budget.js';
export { LlmChatBusyError } from './errors.js';
export { LlmGateway, type LlmGatewayOptions, type LlmRequestRecord, type LlmStats } from './llm-gateway.js';
export { MAX_EXTRA_MODEL_LABELS, OTHER_MODEL_LABEL } from './llm-gateway-metrics.js';
export type {
  ChatTurn,
  LlmPort,
  LlmReply,
  LlmRequest,
  OfflineReason,
  ReplyLanguage,
  ReplySource,
  ToolChoice,
  WireToolCall,
} from './llm-port.js';
export { estimateCostUsd, GROQ_PRICES, type ModelPrice } from './model-prices.js';
export { languageOf, OfflineResponder } from './offline-responder.js';
export { TokenBucket } from './token-bucket.js';
export { readToolCalls, type ReadToolCalls, toGroqTools } from './tool-calls.js';
