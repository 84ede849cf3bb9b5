import { ANOMALY_KINDS, type AnomalyKind } from '../chat/index.js';
import { type Counter, HeadlineMetric, type Histogram, type MetricsRegistry } from '../runtime/index.js';

/** Counters every chat actor feeds; created once and shared. */
export class ChatActorCounters {
  readonly redeliveries: Counter;
  readonly duplicateMessages: Counter;
  readonly messages: Counter;
  readonly repliesStarted: Counter;
  readonly repliesSent: Counter;
  readonly replyFailures: Counter;
  readonly repliesInDoubt: Counter;
  readonly coalesced: Counter;
  readonly offlineReplies: Counter;
  readonly leakBlocks: Counter;
  readonly answers: Counter;
  readonly toolCalls: Counter;
  readonly toolCallsRefused: Counter;
  readonly toolTimeouts: Counter;
  readonly toolRoundsExhausted: Counter;
  readonly anomalyActionsFailed: Counter;
  readonly flaggedDeletesFailed: Counter;
  private readonly anomalies: Map<AnomalyKind, Counter>;
  /** From the moment a reply is started for its trigger to its delivery to Telegram. */
  readonly replyLatency: Histogram;

  constructor(metrics: MetricsRegistry) {
    this.redeliveries = metrics.counter(
      'lekha_chat_redelivered_updates_total',
      'Updates skipped because their update id is not above the last one the chat processed',
    );
    this.duplicateMessages = metrics.counter(
      'lekha_chat_duplicate_messages_total',
      'Messages skipped because their message id is not above the last one the chat processed',
    );
    this.messages = metrics.counter('lekha_chat_messages_total', 'Messages recorded by chat actors');
    this.repliesStarted = metrics.counter('lekha_chat_replies_started_total', 'Replies the chat actors started');
    this.repliesSent = metrics.counter(HeadlineMetric.repliesSent, 'Replies delivered to Telegram');
    this.replyFailures = metrics.counter(
      'lekha_chat_reply_failures_total',
      'Replies given up (model or Telegram failed for good)',
    );
    this.repliesInDoubt = metrics.counter(
      'lekha_chat_replies_in_doubt_total',
      'Replies not resent after a crash because they may have been sent',
    );
    this.coalesced = metrics.counter(
      'lekha_chat_triggers_coalesced_total',
      'Triggers folded into a later reply while one was in flight',
    );
    this.offlineReplies = metrics.counter(
      'lekha_chat_offline_replies_total',
      'Replies that came from the offline responder',
    );
    this.leakBlocks = metrics.counter(
      'lekha_chat_leak_blocks_total',
      'Model replies the leak guard blocked (reasons are counted per chat in its report)',
    );
    this.answers = metrics.counter(
      'lekha_chat_answers_total',
      'Answers sent without the model: commands, catch-ups, filter and rate-limit warnings',
    );
    this.toolCalls = metrics.counter(
      'lekha_chat_tool_calls_total',
      'Tool calls run for the model while it wrote a reply',
    );
    this.toolCallsRefused = metrics.counter(
      'lekha_chat_tool_calls_refused_total',
      'Tool calls the model asked for that were not run (unknown tool or unreadable arguments)',
    );
    this.toolTimeouts = metrics.counter(
      'lekha_chat_tool_timeouts_total',
      'Rounds of tool calls given up because they took too long',
    );
    this.toolRoundsExhausted = metrics.counter(
      'lekha_chat_tool_rounds_exhausted_total',
      'Replies whose model still asked for tools after the last round allowed (asked again for a plain answer)',
    );
    this.anomalies = new Map(
      ANOMALY_KINDS.map((kind) => [
        kind,
        metrics.counter('lekha_anomalies_total', 'Raids and account takeovers the chat actors detected', { kind }),
      ]),
    );
    this.anomalyActionsFailed = metrics.counter(
      'lekha_anomaly_actions_failed_total',
      'Anomaly actions (admin notices, restrictions) refused for lack of rights or failed at Telegram',
    );
    this.flaggedDeletesFailed = metrics.counter(
      'lekha_flagged_deletes_failed_total',
      'Messages a filter flagged for deletion (onViolation: delete) that Telegram refused to delete, or could not',
    );
    this.replyLatency = metrics.histogram(
      HeadlineMetric.replyLatency,
      'From a reply being started for its trigger to its delivery to Telegram (recall, model and send included)',
    );
  }

  /** The counter of one kind of anomaly (`lekha_anomalies_total{kind}`). */
  anomaly(kind: AnomalyKind): Counter {
    return this.anomalies.get(kind)!;
  }
}
