import { type Counter, HeadlineMetric, type Histogram, type MetricsRegistry } from '../runtime/index.js';

/** Models beyond the configured and priced ones that get a label of their own; later ones count as `other`. */
export const MAX_EXTRA_MODEL_LABELS = 8;

/** The label of the models past {@link MAX_EXTRA_MODEL_LABELS}. */
export const OTHER_MODEL_LABEL = 'other';

/** One model's series: its replies, tokens and estimated spend. */
interface ModelSeries {
  replies: Counter;
  promptTokens: Counter;
  completionTokens: Counter;
  costUsd: Counter;
}

/**
 * What the LLM gateway counts and shows; the gauges read the gateway's state
 * at collection time. Replies, tokens and spend are also counted per model
 * that answered. Models come from configuration and persona files, so their
 * number is small, but a `model` label must never grow without bound: the
 * configured and priced models are labelled by name, the first
 * {@link MAX_EXTRA_MODEL_LABELS} others too, and any further one as `other`.
 */
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
  private readonly byModel = new Map<string, ModelSeries>();
  private readonly known: ReadonlySet<string>;
  private extraLabels = 0;

  constructor(
    private readonly metrics: MetricsRegistry,
    knownModels: readonly string[],
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
    this.known = new Set(knownModels);
  }

  /** Counts a reply of `model` (the one that answered, fallbacks included) with its usage and estimated cost. */
  countModelReply(model: string, promptTokens: number, completionTokens: number, costUsd: number): void {
    const series = this.seriesOf(model);
    series.replies.inc();
    series.promptTokens.inc(promptTokens);
    series.completionTokens.inc(completionTokens);
    series.costUsd.inc(costUsd);
  }

  private seriesOf(model: string): ModelSeries {
    const existing = this.byModel.get(model);
    if (existing !== undefined) return existing;
    let label = model;
    if (!this.known.has(model)) {
      if (this.extraLabels >= MAX_EXTRA_MODEL_LABELS) label = OTHER_MODEL_LABEL;
      else this.extraLabels++;
    }
    const labels = { model: label };
    const series: ModelSeries = {
      replies: this.metrics.counter(
        'lekha_llm_replies_by_model_total',
        'Replies the model generated, per model',
        labels,
      ),
      promptTokens: this.metrics.counter(
        'lekha_llm_prompt_tokens_by_model_total',
        'Prompt tokens used, per model',
        labels,
      ),
      completionTokens: this.metrics.counter(
        'lekha_llm_completion_tokens_by_model_total',
        'Completion tokens used, per model',
        labels,
      ),
      costUsd: this.metrics.counter(
        'lekha_llm_cost_usd_by_model_total',
        'Estimated spend per model (USD); 0 for a model without a price',
        labels,
      ),
    };
    // Models past the bound share the `other` series and are not remembered one by one.
    if (label !== OTHER_MODEL_LABEL) this.byModel.set(model, series);
    return series;
  }
}
