/*
 * What a multi-process run must show from outside: every injected update
 * processed exactly once and in its chat's order, no reply sent twice, and
 * chat states equal to those of a single-process run of the same input.
 *
 * How "exactly once, in order" is told from outside, with the chat
 * snapshots (`snapshots`, the durable store) read after every member stopped:
 * - `processedMessages` and each member profile's `messages` count every
 *   user message recorded into the state: an update processed twice counts
 *   twice (too high), a lost one not at all (too low). A redelivery the actor
 *   recognises (`lastUpdateId`) is not counted, which is the point.
 * - the history keeps the user messages in processing order with their
 *   text, each text carrying its `[seq]`: the sequence must be 1, 2, 3… with
 *   no gap, repeat or swap (the scripts stay under the history's 150 entries).
 * - `lastUpdateId` must be the chat's last injected update.
 * The `messages` archive is not used as evidence: it is insert-once (a
 * second insert of a message is skipped by its key), so it cannot show a
 * duplicate, and its appends may be dropped under pressure by design (the
 * write-behind read models), so a missing row is not a lost update.
 *
 * No reply twice: the emulator records every sendMessage; no two replies in a
 * chat may answer the same message id.
 */
import pg from 'pg';
import { CHAT_SNAPSHOTS, type ChatState } from '../../src/actors/index.js';
import { CHAT_STATE_LIMITS } from '../../src/chat/index.js';
import type { SentRecord } from '../../src/sandbox/index.js';
import { SnapshotFormat } from '../../src/storage/index.js';
import { type Injection, SEQ_MARK } from './traffic.js';

const format = new SnapshotFormat<ChatState>(CHAT_SNAPSHOTS);

/** The chat states in a database's `snapshots` table (`chat:<id>` keys), decoded with the project's format. */
export async function readChatStates(databaseUrl: string): Promise<Map<number, ChatState>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; schema_version: number; bytes: Buffer }>(
      `SELECT key, schema_version, bytes FROM snapshots WHERE key LIKE 'chat:%'`,
    );
    const states = new Map<number, ChatState>();
    for (const row of rows) {
      states.set(Number(row.key.slice('chat:'.length)), format.decode(row.key, row.schema_version, row.bytes));
    }
    return states;
  } finally {
    await client.end();
  }
}

/** What the checker found; every list empty means the run kept every guarantee. */
export interface RunCheck {
  /** Chats whose messages were not all recorded (count below the injected), with the detail. */
  lost: string[];
  /** Chats with a message recorded more than once. */
  duplicated: string[];
  /** Chats whose history is not in the injected order. */
  outOfOrder: string[];
  /** Replies sent twice to one message. */
  duplicateReplies: string[];
  /** Totals, for reports: updates missing and recorded twice (summed over chats), replies sent. */
  injected: number;
  processed: number;
  lostUpdates: number;
  duplicateUpdates: number;
  duplicateReplyCount: number;
  replies: number;
}

export function violations(check: RunCheck): string[] {
  return [...check.lost, ...check.duplicated, ...check.outOfOrder, ...check.duplicateReplies];
}

/** Groups injections by chat, in order. */
export function byChat(injected: readonly Injection[]): Map<number, Injection[]> {
  const chats = new Map<number, Injection[]>();
  for (const injection of injected) {
    const list = chats.get(injection.chatId) ?? [];
    list.push(injection);
    chats.set(injection.chatId, list);
  }
  return chats;
}

/** Checks one run: exactly once, in order, no reply twice. */
export function checkRun(
  injected: readonly Injection[],
  states: ReadonlyMap<number, ChatState>,
  sent: readonly SentRecord[],
): RunCheck {
  const check: RunCheck = {
    lost: [],
    duplicated: [],
    outOfOrder: [],
    duplicateReplies: [],
    injected: injected.length,
    processed: 0,
    lostUpdates: 0,
    duplicateUpdates: 0,
    duplicateReplyCount: 0,
    replies: 0,
  };
  for (const [chatId, messages] of byChat(injected)) {
    const state = states.get(chatId);
    if (state === undefined) {
      check.lost.push(`chat ${chatId}: no snapshot (${messages.length} injected)`);
      check.lostUpdates += messages.length;
      continue;
    }
    check.processed += state.processedMessages;
    const expected = messages.length;
    if (state.processedMessages < expected) {
      check.lost.push(`chat ${chatId}: ${state.processedMessages} of ${expected} messages recorded`);
      check.lostUpdates += expected - state.processedMessages;
    } else if (state.processedMessages > expected) {
      check.duplicated.push(`chat ${chatId}: ${state.processedMessages} messages recorded for ${expected} injected`);
      check.duplicateUpdates += state.processedMessages - expected;
    }
    const perUser = new Map<number, number>();
    for (const m of messages) perUser.set(m.from.id, (perUser.get(m.from.id) ?? 0) + 1);
    for (const [userId, count] of perUser) {
      const counted = state.chat.members[String(userId)]?.messages ?? 0;
      if (counted < count) check.lost.push(`chat ${chatId}: member ${userId} has ${counted} of ${count} messages`);
      if (counted > count) check.duplicated.push(`chat ${chatId}: member ${userId} has ${counted} for ${count}`);
    }
    const last = messages[messages.length - 1] as Injection;
    if (state.lastUpdateId !== last.updateId) {
      check.lost.push(`chat ${chatId}: last update ${state.lastUpdateId}, expected ${last.updateId}`);
    }
    const seqs = state.chat.history.filter((h) => !h.bot).map((h) => Number(SEQ_MARK.exec(h.text)?.[1] ?? NaN));
    // A full history keeps the newest entries (the tail of 1…expected); one not yet full keeps them all.
    const full = state.chat.history.length >= CHAT_STATE_LIMITS.historyEntries;
    const kept = full ? Math.min(seqs.length, expected) : expected;
    const want = Array.from({ length: kept }, (_, i) => expected - kept + i + 1);
    if (seqs.length !== want.length || seqs.some((seq, i) => seq !== want[i])) {
      check.outOfOrder.push(`chat ${chatId}: history seqs ${compact(seqs)}`);
    }
  }
  const answered = new Map<string, number>();
  for (const record of sent) {
    check.replies++;
    if (record.replyToMessageId === undefined) continue;
    const key = `${record.chatId}/${record.replyToMessageId}`;
    answered.set(key, (answered.get(key) ?? 0) + 1);
  }
  for (const [key, count] of answered) {
    if (count <= 1) continue;
    check.duplicateReplies.push(`message ${key} answered ${count} times`);
    check.duplicateReplyCount += count - 1;
  }
  return check;
}

/**
 * The deterministic part of a chat's state, with message and update ids
 * replaced by the scripted sequence numbers (the emulators of two runs hand
 * out different ids). Left out, and why:
 * - wall-clock time: `ms`/`*Ms` fields, hour-of-day and weekday buckets, the
 *   mood trend's hour index, flood windows and token buckets (refilled by
 *   time), group-dynamics edges and anomaly baselines (they decay with time);
 * - replies: the bot's history entries, reply counters, the reply in flight,
 *   answered/recent/styled replies and `revision` (which counts them too) —
 *   how triggers coalesce behind a reply in flight depends on how fast the
 *   model answered relative to the next message, which no two runs share.
 *   Replies are checked separately (never twice).
 */
export function chatProjection(state: ChatState, messages: readonly Injection[]): unknown {
  const seqOfMessage = new Map(messages.map((m) => [m.messageId, m.seq]));
  const seqOfUpdate = new Map(messages.map((m) => [m.updateId, m.seq]));
  const chat = state.chat;
  const members = Object.values(chat.members)
    .filter((m) => !m.isBot)
    .sort((a, b) => a.id - b.id)
    .map((m) => ({
      id: m.id,
      name: m.name,
      username: m.username,
      messages: m.messages,
      chars: m.chars,
      languages: m.languages,
      topics: m.topics,
      words: m.words,
      forms: m.forms,
      positive: m.positive,
      negative: m.negative,
      neutral: m.neutral,
      mood: m.mood,
      toxicity: m.toxicity,
      toxicMessages: m.toxicMessages,
      insultsSent: m.insultsSent,
      insultsReceived: m.insultsReceived,
      formal: m.formal,
      informal: m.informal,
      questions: m.questions,
      repeatHash: m.repeatHash,
      repeatCount: m.repeatCount,
    }));
  return {
    lastUpdate: seqOfUpdate.get(state.lastUpdateId) ?? `unknown update ${state.lastUpdateId}`,
    processedMessages: state.processedMessages,
    title: state.title,
    lastMessage: seqOfMessage.get(chat.lastMessageId) ?? `unknown message ${chat.lastMessageId}`,
    settings: chat.settings,
    profile: {
      kind: chat.chat.kind,
      messages: chat.chat.messages,
      mood: chat.chat.mood,
      words: chat.chat.words,
      phrases: chat.chat.phrases,
    },
    members,
    history: chat.history
      .filter((h) => !h.bot)
      .map((h) => ({ seq: seqOfMessage.get(h.id) ?? `unknown message ${h.id}`, from: h.from, text: h.text })),
  };
}

/** Where two runs' chat states differ (at most a few paths per chat); empty when they agree. */
export function compareRuns(
  a: { injected: readonly Injection[]; states: ReadonlyMap<number, ChatState> },
  b: { injected: readonly Injection[]; states: ReadonlyMap<number, ChatState> },
): string[] {
  const differences: string[] = [];
  const aChats = byChat(a.injected);
  const bChats = byChat(b.injected);
  for (const [chatId, aMessages] of aChats) {
    const aState = a.states.get(chatId);
    const bState = b.states.get(chatId);
    const bMessages = bChats.get(chatId) ?? [];
    if (aState === undefined || bState === undefined) {
      differences.push(
        `chat ${chatId}: state ${aState === undefined ? 'missing' : 'present'} vs ${bState === undefined ? 'missing' : 'present'}`,
      );
      continue;
    }
    const paths: string[] = [];
    diff(chatProjection(aState, aMessages), chatProjection(bState, bMessages), `chat ${chatId}`, paths);
    differences.push(...paths.slice(0, 3));
  }
  return differences;
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 3) return;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (!Object.is(a, b)) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of [...keys].sort()) {
    diff((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, out);
  }
}

/** `1,2,3,5,4` written short: runs as `1-3`. */
function compact(seqs: readonly number[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= seqs.length; i++) {
    if (i < seqs.length && seqs[i] === (seqs[i - 1] as number) + 1) continue;
    parts.push(i - 1 === start ? String(seqs[start]) : `${seqs[start]}-${seqs[i - 1]}`);
    start = i;
  }
  return parts.join(',');
}
