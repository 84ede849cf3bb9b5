/**
 * Names of the metrics the admin surface's headline figures (`/api/stats`
 * and the dashboard overview) are read from. The components that produce
 * them register them under these constants and the stats layer reads them
 * by the same constants, so a rename on either side cannot leave the
 * dashboard reading a metric nobody registers.
 */
export const HeadlineMetric = {
  /** Counter: Telegram updates received by the ingress (polling or webhook). */
  updatesReceived: 'lekha_telegram_updates_received_total',
  /** Counter: model replies delivered to Telegram (command answers and warnings are not replies). */
  repliesSent: 'lekha_chat_replies_sent_total',
  /** Histogram (ms): from the moment a reply is started for its trigger to its delivery to Telegram. */
  replyLatency: 'lekha_chat_reply_latency_ms',
  /** Counter: reply requests made to the LLM gateway. */
  llmRequests: 'lekha_llm_requests_total',
  /** Counter: model calls that failed (each attempt, retried or not). */
  llmFailures: 'lekha_llm_call_failures_total',
  /** Histogram (ms): time to a reply from the LLM gateway, retries and waits included. */
  llmLatency: 'lekha_llm_latency_ms',
  /** Counter: prompt tokens used. */
  llmPromptTokens: 'lekha_llm_prompt_tokens_total',
  /** Counter: completion tokens used. */
  llmCompletionTokens: 'lekha_llm_completion_tokens_total',
} as const;

export type HeadlineMetricName = (typeof HeadlineMetric)[keyof typeof HeadlineMetric];
