import { type Counter, HeadlineMetric, type Histogram, type MetricsRegistry } from '../runtime/index.js';

/** What the LLM gateway counts and shows; the gauges read the gateway's state at collection time. */
export class LlmGatewayMetrics {
  readonly requests: Counter;
  readonly modelReplies: Counter;
  readonly offlineReplies: Counter;
  readonly budgetRefusals: Counter;
  readonly failures: Counter;
  readonly retries: Counter;
  readonly rateLimited: Counter;
  readonly fallbacks: Counter;
  readonly toolCallReplies: Counter;
  readonly malformedToolCalls: Counter;
  readonly promptTokens: Counter;
  readonly completionTokens: Counter;
  readonly latency: Histogram;

  constructor(
    metrics: MetricsRegistry,
    read: { costUsd(): number; inflight(): number; queued(): number; breakerOpen(): number },
  ) {
    this.requests = metrics.counter(HeadlineMetric.llmRequests, 'Reply requests made to the LLM gateway');
    this.modelReplies = metrics.counter('lekha_llm_model_replies_total', 'Replies the model generated');
    this.offlineReplies = metrics.counter('lekha_llm_offline_replies_total', 'Replies from the offline responder');
    this.budgetRefusals = metrics.counter(
      'lekha_llm_budget_refusals_total',
      'Requests refused because a daily budget was spent',
    );
    this.failures = metrics.counter(HeadlineMetric.llmFailures, 'Model calls that failed');
    this.retries = metrics.counter('lekha_llm_retries_total', 'Model calls retried');
    this.rateLimited = metrics.counter('lekha_llm_rate_limited_total', 'Model calls answered 429');
    this.fallbacks = metrics.counter('lekha_llm_fallbacks_total', 'Replies produced by a fallback model');
    this.toolCallReplies = metrics.counter(
      'lekha_llm_tool_call_replies_total',
      'Replies in which the model asked for tool calls',
    );
    this.malformedToolCalls = metrics.counter(
      'lekha_llm_malformed_tool_calls_total',
      'Tool calls the model wrote that could not be read (dropped, or the call asked again without tools)',
    );
    this.promptTokens = metrics.counter(HeadlineMetric.llmPromptTokens, 'Prompt tokens used');
    this.completionTokens = metrics.counter(HeadlineMetric.llmCompletionTokens, 'Completion tokens used');
    this.latency = metrics.histogram(HeadlineMetric.llmLatency, 'Time to a reply, retries and waits included');
    metrics.gauge('lekha_llm_cost_usd', 'Estimated spend since start (USD)', read.costUsd);
    metrics.gauge('lekha_llm_inflight', 'Model calls in flight', read.inflight);
    metrics.gauge('lekha_llm_queued', 'Requests waiting for a free slot', read.queued);
    metrics.gauge('lekha_llm_breaker_open', '1 while the circuit breaker is open', read.breakerOpen);
  }
}
