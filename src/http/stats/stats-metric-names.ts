/**
 * Names of the metrics the headline figures are read from. The edges
 * register these in the runtime's `MetricsRegistry`; a name that is not
 * registered shows as `null` rather than as a made-up zero.
 */
export interface StatsMetricNames {
  /** Counter: Telegram updates received. */
  updates: string;
  /** Counter: replies the bot sent. */
  replies: string;
  /** Histogram (ms): from an update's arrival to the bot's reply. */
  replyLatency: string;
  /** Counter: LLM requests made. */
  llmRequests: string;
  /** Counter: LLM requests that failed after retries. */
  llmFailures: string;
  /** Histogram (ms): LLM request latency. */
  llmLatency: string;
  /** Counter: LLM tokens used (prompt + completion). */
  llmTokens: string;
}

export const defaultStatsMetricNames: StatsMetricNames = {
  updates: 'lekha_updates_total',
  replies: 'lekha_replies_total',
  replyLatency: 'lekha_reply_latency_ms',
  llmRequests: 'lekha_llm_requests_total',
  llmFailures: 'lekha_llm_failures_total',
  llmLatency: 'lekha_llm_latency_ms',
  llmTokens: 'lekha_llm_tokens_total',
};
