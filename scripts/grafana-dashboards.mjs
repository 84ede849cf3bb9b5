#!/usr/bin/env node
// Writes Lekha's Grafana dashboards (deploy/grafana/*.json) from the panel
// lists below, so every dashboard has the same layout, datasource and
// variables. Edit here, run `node scripts/grafana-dashboards.mjs`, commit
// both; test/deploy checks the JSON files are what this script writes and
// that every query uses only metrics a running Lekha exports.
//
// Grafana's provisioning (deploy/grafana/provisioning) loads the files with
// the Prometheus datasource whose uid is `prometheus`.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };
const RATE = '[$__rate_interval]';

/** Queries: `[expr, legend]` pairs. */
const rate = (metric, legend) => [`sum(rate(${metric}{instance=~"$instance"}${RATE}))`, legend];
const value = (metric, legend) => [`sum(${metric}{instance=~"$instance"})`, legend];
const quantiles = (histogram, by = '') => {
  const group = by === '' ? 'le' : `le, ${by}`;
  const suffix = by === '' ? '' : ` {{${by}}}`;
  return [0.5, 0.95, 0.99].map((q) => [
    `histogram_quantile(${q}, sum by (${group}) (rate(${histogram}_bucket{instance=~"$instance"}${RATE})))`,
    `p${Math.round(q * 100)}${suffix}`,
  ]);
};
const rateBy = (metric, by, legend = `{{${by}}}`) => [
  `sum by (${by}) (rate(${metric}{instance=~"$instance"}${RATE}))`,
  legend,
];

/** A panel: title, unit, queries, and a description that says what to look for. */
const panel = (title, unit, description, ...targets) => ({ title, unit, description, targets });

export const dashboards = {
  'lekha-runtime': {
    title: 'Lekha · Runtime',
    description: 'Updates in, actor turns, mailboxes, quarantines, restarts and the Node process.',
    panels: [
      panel(
        'Updates',
        'reqps',
        'Telegram updates received and completed (turn run, effects durable) per second.',
        rate('lekha_telegram_updates_received_total', 'received'),
        rate('lekha_telegram_updates_completed_total', 'completed'),
      ),
      panel('Turns', 'ops', 'Actor turns run per second.', rate('lekha_turns_total', 'turns')),
      panel('Turn latency', 'ms', 'Duration of one actor turn.', ...quantiles('lekha_turn_latency_ms')),
      panel(
        'Actors',
        'short',
        'Actors in memory, keys passivated to storage, and side effects (model calls, sends) in flight.',
        value('lekha_actors_live', 'live'),
        value('lekha_actors_passivated', 'passivated'),
        value('lekha_side_effects_inflight', 'side effects in flight'),
      ),
      panel(
        'Mailbox depth',
        'short',
        'Messages waiting in all chat mailboxes, and in the deepest one (MAILBOX_CAPACITY is its limit).',
        value('lekha_mailbox_depth', 'waiting'),
        [`max(lekha_mailbox_depth_max{instance=~"$instance"})`, 'deepest mailbox'],
      ),
      panel(
        'Mailbox pressure',
        'short',
        'Updates handed over and not finished, waits of the poller on full mailboxes, and messages full mailboxes refused or dropped (per second).',
        value('lekha_telegram_updates_inflight', 'updates in flight'),
        rate('lekha_telegram_backpressure_waits_total', 'poller waits/s'),
        rate('lekha_mailbox_rejected_total', 'rejected/s'),
        rate('lekha_mailbox_dropped_total', 'dropped/s'),
      ),
      panel(
        'Quarantines and dead letters',
        'short',
        'Chats in quarantine (their updates go to the dead letters) and dead letters per second.',
        value('lekha_actors_quarantined', 'quarantined chats'),
        rate('lekha_dead_letters_total', 'messages given up/s'),
        rate('lekha_telegram_updates_dead_lettered_total', 'updates dead-lettered/s'),
      ),
      panel(
        'Restarts and persistence',
        'ops',
        'Actor restarts after a failed turn or load; persist hooks that failed.',
        rate('lekha_actor_restarts_total', 'restarts'),
        rate('lekha_persist_failures_total', 'persist failures'),
        rate('lekha_actor_activations_total', 'activations'),
        rate('lekha_actor_passivations_total', 'passivations'),
      ),
      panel(
        'Replies',
        'ops',
        'Model replies started, delivered and given up; answers sent without the model.',
        rate('lekha_chat_replies_started_total', 'started'),
        rate('lekha_chat_replies_sent_total', 'sent'),
        rate('lekha_chat_reply_failures_total', 'given up'),
        rate('lekha_chat_answers_total', 'answers'),
        rate('lekha_chat_offline_replies_total', 'offline replies'),
      ),
      panel(
        'Chat messages',
        'ops',
        'Messages recorded by chat actors; triggers folded into a reply already in flight; updates and messages skipped as already processed (redeliveries); replies not resent after a crash because they may have been sent.',
        rate('lekha_chat_messages_total', 'messages'),
        rate('lekha_chat_triggers_coalesced_total', 'triggers coalesced'),
        rate('lekha_chat_redelivered_updates_total', 'redelivered updates skipped'),
        rate('lekha_chat_duplicate_messages_total', 'duplicate messages skipped'),
        rate('lekha_chat_replies_in_doubt_total', 'replies in doubt'),
      ),
      panel(
        'Reply latency',
        'ms',
        'From the moment a reply is started to its delivery to Telegram.',
        ...quantiles('lekha_chat_reply_latency_ms'),
      ),
      panel(
        'Process',
        'bytes',
        'Resident memory and V8 heap of the Lekha process.',
        value('process_resident_memory_bytes', 'resident'),
        value('nodejs_heap_size_used_bytes', 'heap used'),
      ),
      panel(
        'Event loop lag',
        's',
        'Event-loop delay (p99 since the last scrape); a busy loop delays every chat.',
        value('nodejs_eventloop_lag_p99_seconds', 'p99'),
      ),
      panel('CPU', 'percentunit', 'CPU time of the process per second.', rate('process_cpu_seconds_total', 'cpu')),
    ],
  },
  'lekha-telegram': {
    title: 'Lekha · Telegram',
    description: 'Polling, offsets, the egress queue and Telegram’s 429s.',
    panels: [
      panel(
        'getUpdates calls',
        'ops',
        'Long-polling calls and failed calls per second. No successful call for minutes: see the runbook, LekhaPollingStalled.',
        rate('lekha_telegram_polls_total', 'polls'),
        rate('lekha_telegram_poll_failures_total', 'failures'),
      ),
      panel(
        'getUpdates round trip',
        'ms',
        'One long poll, its wait included: near the poll timeout (30 s) when the bot is idle, short while updates flow. Long round trips under load mean a slow network or Bot API server.',
        ...quantiles('lekha_telegram_poll_ms'),
      ),
      panel(
        'Offset stalled',
        's',
        'How long updates have waited without the confirmed offset moving (0 when it keeps up).',
        value('lekha_telegram_offset_stalled_seconds', 'stalled for'),
      ),
      panel(
        'Offsets behind',
        'short',
        'Update ids received but not yet confirmed to Telegram: the highest update id + 1 minus the offset confirmed with the next call. Stays near the number of updates being worked on; growing means the ingress is behind.',
        [
          `max(lekha_telegram_update_id_highest{instance=~"$instance"}) + 1 - max(lekha_telegram_offset{instance=~"$instance"})`,
          'behind',
        ],
      ),
      panel(
        'Updates',
        'reqps',
        'Updates received and completed; malformed, ignored (no chat) and redelivered updates.',
        rate('lekha_telegram_updates_received_total', 'received'),
        rate('lekha_telegram_updates_completed_total', 'completed'),
        rate('lekha_telegram_updates_malformed_total', 'malformed'),
        rate('lekha_telegram_updates_ignored_total', 'ignored'),
        rate('lekha_telegram_updates_redelivered_total', 'redelivered'),
      ),
      panel(
        'Durability',
        'ops',
        'Failed waits for durable effects and failed dead-letter writes (both retried; the offset waits).',
        rate('lekha_telegram_durability_failures_total', 'durability failures'),
        rate('lekha_telegram_dead_letter_failures_total', 'dead-letter write failures'),
      ),
      panel(
        '429 flood waits',
        'ops',
        '429 answers from Telegram that paused a send queue, per second.',
        rate('lekha_telegram_flood_waits_total', '429s'),
      ),
      panel(
        'Egress queue',
        'short',
        'Message parts waiting to be sent; replies refused because a send queue was full (per second).',
        value('lekha_telegram_egress_queued', 'queued parts'),
        rate('lekha_telegram_egress_overflow_total', 'overflow/s'),
      ),
      panel(
        'Sends',
        'ops',
        'Messages sent, sends retried (5xx, network) and replies given up.',
        rate('lekha_telegram_messages_sent_total', 'sent'),
        rate('lekha_telegram_send_retries_total', 'retried'),
        rate('lekha_telegram_send_failures_total', 'given up'),
      ),
      panel(
        'Send latency',
        'ms',
        'From queueing a reply to its last part being sent (includes pacing and 429 waits).',
        ...quantiles('lekha_telegram_send_latency_ms'),
      ),
      panel(
        'Typing indicators',
        'ops',
        'Typing indicators sent and skipped for lack of rate budget.',
        rate('lekha_telegram_typing_sent_total', 'sent'),
        rate('lekha_telegram_typing_dropped_total', 'skipped'),
      ),
      panel(
        'Privacy mode',
        'short',
        '1 when the bot’s privacy mode is on: it sees only part of group traffic.',
        value('lekha_telegram_privacy_mode', 'privacy mode'),
      ),
    ],
  },
  'lekha-llm': {
    title: 'Lekha · LLM',
    description: 'Model latency, tokens, cost, fallbacks and the circuit breaker.',
    panels: [
      panel(
        'Requests',
        'ops',
        'Reply requests to the LLM gateway; replies by the model, by a fallback model and by the offline responder.',
        rate('lekha_llm_requests_total', 'requests'),
        rate('lekha_llm_model_replies_total', 'model replies'),
        rate('lekha_llm_fallbacks_total', 'fallback model'),
        rate('lekha_llm_offline_replies_total', 'offline responder'),
      ),
      panel(
        'Latency',
        'ms',
        'Time to a reply from the gateway, retries and waits included.',
        ...quantiles('lekha_llm_latency_ms'),
      ),
      panel(
        'Tokens',
        'short',
        'Prompt and completion tokens per second.',
        rate('lekha_llm_prompt_tokens_total', 'prompt'),
        rate('lekha_llm_completion_tokens_total', 'completion'),
      ),
      panel(
        'Estimated cost',
        'currencyUSD',
        'Estimated spend since the process started (resets on restart).',
        value('lekha_llm_cost_usd', 'USD since start'),
      ),
      panel(
        'Failures',
        'ops',
        'Failed model calls (each attempt), retries, 429s from the provider, and requests refused by a daily budget.',
        rate('lekha_llm_call_failures_total', 'failed calls'),
        rate('lekha_llm_retries_total', 'retries'),
        rate('lekha_llm_rate_limited_total', '429s'),
        rate('lekha_llm_budget_refusals_total', 'budget refusals'),
      ),
      panel(
        'Circuit breaker',
        'short',
        '1 while the breaker is open: replies come from the offline responder.',
        value('lekha_llm_breaker_open', 'open'),
      ),
      panel(
        'Concurrency',
        'short',
        'Model calls in flight and requests waiting for a free slot.',
        value('lekha_llm_inflight', 'in flight'),
        value('lekha_llm_queued', 'queued'),
      ),
      panel(
        'Tool calls',
        'ops',
        'Replies asking for tools, tool calls run and refused, malformed tool calls, timed-out rounds, replies that ran out of tool rounds.',
        rate('lekha_llm_tool_call_replies_total', 'replies with tool calls'),
        rate('lekha_chat_tool_calls_total', 'tool calls run'),
        rate('lekha_chat_tool_calls_refused_total', 'refused'),
        rate('lekha_llm_malformed_tool_calls_total', 'malformed'),
        rate('lekha_chat_tool_timeouts_total', 'timed-out rounds'),
        rate('lekha_chat_tool_rounds_exhausted_total', 'rounds exhausted'),
      ),
      panel(
        'Leak guard',
        'ops',
        'Model replies the leak guard blocked.',
        rate('lekha_chat_leak_blocks_total', 'blocked'),
      ),
    ],
  },
  'lekha-storage': {
    title: 'Lekha · Storage',
    description: 'Snapshot write-behind to Postgres, the Redis hot tier and the append-only archive.',
    panels: [
      panel(
        'Flush lag',
        'ms',
        'Age of the oldest snapshot not yet durable in Postgres.',
        value('lekha_snapshot_flush_lag_ms', 'flush lag'),
      ),
      panel(
        'Pending snapshots',
        'short',
        'Snapshots taken and not yet durable.',
        value('lekha_snapshots_pending', 'pending'),
      ),
      panel(
        'Snapshot writes',
        'ops',
        'Snapshots made durable, batches Postgres did not take (retried), states that could not be encoded.',
        rate('lekha_snapshots_written_total', 'written'),
        rate('lekha_snapshot_write_failures_total', 'failed batches'),
        rate('lekha_snapshot_encode_failures_total', 'encode failures'),
      ),
      panel(
        'Flush duration',
        'ms',
        'Duration of one write of pending snapshots.',
        ...quantiles('lekha_snapshot_flush_ms'),
      ),
      panel(
        'Activations by source',
        'ops',
        'Where activated actors’ state came from.',
        rate('lekha_snapshot_loads_pending_total', 'pending (not yet written)'),
        rate('lekha_snapshot_loads_redis_total', 'Redis'),
        rate('lekha_snapshot_loads_postgres_total', 'Postgres'),
        rate('lekha_snapshot_loads_empty_total', 'no snapshot'),
      ),
      panel(
        'Redis hot tier',
        'ops',
        'Redis write, read and decode failures (Postgres answers instead) per second, and keys whose Redis copy is stale.',
        rate('lekha_snapshot_hot_write_failures_total', 'write failures'),
        rate('lekha_snapshot_hot_read_failures_total', 'read failures'),
        rate('lekha_snapshot_hot_decode_failures_total', 'decode failures'),
        value('lekha_snapshot_hot_stale', 'stale keys'),
      ),
      panel(
        'Append-only archive',
        'short',
        'Rows waiting to be written; rows written, refused and batches failed (per second).',
        value('lekha_append_rows_queued', 'queued'),
        rate('lekha_append_rows_written_total', 'written/s'),
        rate('lekha_append_rows_rejected_total', 'rejected/s'),
        rate('lekha_append_write_failures_total', 'failed batches/s'),
        rate('lekha_archive_rows_dropped_total', 'dropped (queue full)/s'),
      ),
    ],
  },
  'lekha-memory': {
    title: 'Lekha · Memory',
    description: 'Long-term memory: recall latency, the embedding pool and writes.',
    panels: [
      panel(
        'Recall latency',
        'ms',
        'Embedding the query and searching the index (RECALL_TIMEOUT_MS caps what a reply waits for).',
        ...quantiles('lekha_memory_recall_ms'),
      ),
      panel(
        'Recalls',
        'ops',
        'Recalls answered and failed (the reply went on without memories).',
        rate('lekha_memory_recalls_total', 'answered'),
        rate('lekha_memory_recall_failures_total', 'failed'),
      ),
      panel(
        'Embedding pool',
        'short',
        'Tasks waiting for an embedding thread.',
        value('lekha_memory_pool_queue', 'queued tasks'),
      ),
      panel(
        'Pool utilisation',
        'percentunit',
        'Share of the embedding pool’s capacity in use since start.',
        value('lekha_memory_pool_utilisation', 'utilisation'),
      ),
      panel(
        'Writes',
        'ops',
        'Memories stored; writes dropped (pool or queue full) and failed.',
        rate('lekha_memory_remembered_total', 'remembered'),
        rate('lekha_memory_writes_dropped_total', 'dropped'),
        rate('lekha_memory_write_failures_total', 'failed'),
      ),
      panel(
        'Shards',
        'short',
        'Chat indexes loaded in the shards, writes being embedded or stored, index rebuilds per second.',
        value('lekha_memory_loaded_chats', 'loaded chats'),
        value('lekha_memory_pending_writes', 'pending writes'),
        rate('lekha_memory_index_rebuilds_total', 'rebuilds/s'),
      ),
    ],
  },
  'lekha-plugins': {
    title: 'Lekha · Plugins',
    description: 'Plugin handler calls by plugin: rate, failures, timeouts, breaker refusals and latency.',
    panels: [
      panel(
        'Calls',
        'ops',
        'Handler calls (commands, tools, listeners, jobs) by plugin.',
        rateBy('lekha_plugin_calls_total', 'plugin'),
      ),
      panel(
        'Failures',
        'ops',
        'Calls that threw or timed out, by plugin.',
        rateBy('lekha_plugin_failures_total', 'plugin'),
      ),
      panel(
        'Timeouts',
        'ops',
        'Calls that ran out of time (PLUGIN_TIMEOUT_MS), by plugin.',
        rateBy('lekha_plugin_timeouts_total', 'plugin'),
      ),
      panel(
        'Breaker refusals',
        'ops',
        'Calls refused at once because the plugin’s breaker was open, by plugin.',
        rateBy('lekha_plugin_rejected_total', 'plugin'),
      ),
      panel(
        'Latency p95',
        'ms',
        'p95 duration of handler calls, by plugin.',
        quantiles('lekha_plugin_latency_ms', 'plugin')[1],
      ),
    ],
  },
  'lekha-scheduler': {
    title: 'Lekha · Scheduler',
    description: 'Scheduled jobs: runs, failures, retries and lateness.',
    panels: [
      panel(
        'Runs',
        'ops',
        'Job runs started and succeeded; failed runs scheduled again.',
        rate('lekha_scheduler_executed_total', 'started'),
        rate('lekha_scheduler_succeeded_total', 'succeeded'),
        rate('lekha_scheduler_retried_total', 'retried'),
      ),
      panel(
        'Failures',
        'ops',
        'Jobs out of attempts; claims or moves the job store did not take.',
        rate('lekha_scheduler_failed_total', 'out of attempts'),
        rate('lekha_scheduler_store_failures_total', 'store failures'),
      ),
      panel('Running', 'short', 'Job runs in progress in this process.', value('lekha_scheduler_running', 'running')),
      panel(
        'Lateness',
        'ms',
        'How long after its due time a run started.',
        ...quantiles('lekha_scheduler_lateness_ms'),
      ),
      panel(
        'Skipped, in doubt, lease lost',
        'ops',
        'Missed runs skipped by policy; runs cut off that may have been delivered (never run again); moves refused because another process took the job.',
        rate('lekha_scheduler_skipped_total', 'skipped'),
        rate('lekha_scheduler_in_doubt_total', 'in doubt'),
        rate('lekha_scheduler_lease_lost_total', 'lease lost'),
      ),
    ],
  },
};

/** The Grafana JSON model of one dashboard. */
export function dashboardJson(uid, { title, description, panels }) {
  return {
    uid,
    title,
    description,
    tags: ['lekha'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    links: [
      {
        title: 'Lekha dashboards',
        type: 'dashboards',
        tags: ['lekha'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    templating: {
      list: [
        {
          name: 'instance',
          label: 'Instance',
          type: 'query',
          datasource: DATASOURCE,
          query: { query: 'label_values(lekha_turns_total, instance)', refId: 'instance' },
          definition: 'label_values(lekha_turns_total, instance)',
          refresh: 2,
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { selected: true, text: ['All'], value: ['$__all'] },
        },
      ],
    },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      description: p.description,
      datasource: DATASOURCE,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: p.unit, min: 0 }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi' } },
      targets: p.targets.map(([expr, legendFormat], j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: DATASOURCE,
        expr,
        legendFormat,
      })),
    })),
  };
}

/** File name → file text for every dashboard. */
export function renderDashboards() {
  return Object.fromEntries(
    Object.entries(dashboards).map(([uid, spec]) => [
      `${uid}.json`,
      `${JSON.stringify(dashboardJson(uid, spec), null, 2)}\n`,
    ]),
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = resolve(import.meta.dirname, '..', 'deploy', 'grafana');
  for (const [file, text] of Object.entries(renderDashboards())) writeFileSync(join(dir, file), text);
}
