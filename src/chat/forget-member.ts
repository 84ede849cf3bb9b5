import { type ChatState, createChatState } from './chat-state.js';
import { forgetRepliesTo } from './experiments/reply-signals.js';

/**
 * Erases one member from a chat's state (GDPR erasure): their profile, the
 * group-dynamics edges to and from them, their messages in the recent
 * history and the bot's replies to those, their spam fingerprints and
 * hostile pairs, their triggers waiting behind a reply, their tracks in the
 * anomaly detectors, the bot's recent replies to them, and the chat-wide words and phrases only they have used. What others wrote stays, and so
 * do anonymous totals (the chat's message count, mood buckets).
 *
 * A private chat is the member's own: its whole state goes, keeping only
 * the ids that recognise updates already processed. Idempotent: erasing an
 * absent member changes nothing and returns false.
 */
export function forgetMember(state: ChatState, userId: number, nowMs: number): boolean {
  if (state.chatId === userId) return resetPrivateChat(state, nowMs);
  const key = String(userId);
  let changed = false;
  if (key in state.members) {
    delete state.members[key];
    changed = true;
  }
  for (const edge of Object.keys(state.edges)) {
    const [from, to] = edge.split('>');
    if (from !== key && to !== key) continue;
    delete state.edges[edge];
    changed = true;
  }
  const theirs = new Set(state.history.filter((h) => !h.bot && h.from === userId).map((h) => h.id));
  const history = state.history.filter((h) => !theirs.has(h.id) && !(h.bot && theirs.has(h.replyTo)));
  if (history.length !== state.history.length) {
    state.history = history;
    changed = true;
  }
  const chat = state.chat;
  const fingerprints = chat.fingerprints.filter(([, from]) => from !== userId);
  const hostilePairs = chat.hostilePairs.filter(([a, b]) => a !== userId && b !== userId);
  if (fingerprints.length !== chat.fingerprints.length || hostilePairs.length !== chat.hostilePairs.length) {
    chat.fingerprints = fingerprints;
    chat.hostilePairs = hostilePairs;
    changed = true;
  }
  for (const table of [chat.words, chat.phrases]) {
    for (const [word, [, , speakers, lastSpeakerId]] of Object.entries(table)) {
      if (lastSpeakerId !== userId) continue;
      // Said by them alone: the word is theirs. Said by others too: the chat's, with them no longer its last speaker.
      if (speakers <= 1) delete table[word];
      else table[word]![3] = 0;
      changed = true;
    }
  }
  if (forgetInAnomalyTracks(state, userId)) changed = true;
  if (forgetRepliesTo(state, userId)) changed = true;
  if (state.inFlight !== null) {
    const coalesced = state.inFlight.coalesced.filter((c) => c.fromId !== userId);
    if (coalesced.length !== state.inFlight.coalesced.length) {
      state.inFlight.coalesced = coalesced;
      changed = true;
    }
  }
  if (changed) state.revision++;
  return changed;
}

/** The anomaly detectors' track of the member: their habits, and their entries among recent newcomers, link posters and texts. */
function forgetInAnomalyTracks(state: ChatState, userId: number): boolean {
  const anomaly = state.anomaly;
  let changed = false;
  if (String(userId) in anomaly.members) {
    delete anomaly.members[String(userId)];
    changed = true;
  }
  const newcomers = anomaly.newcomers.filter(([id]) => id !== userId);
  const linkPosters = anomaly.linkPosters.filter(([id]) => id !== userId);
  const texts = anomaly.texts.filter(([, id]) => id !== userId);
  if (
    newcomers.length !== anomaly.newcomers.length ||
    linkPosters.length !== anomaly.linkPosters.length ||
    texts.length !== anomaly.texts.length
  ) {
    anomaly.newcomers = newcomers;
    anomaly.linkPosters = linkPosters;
    anomaly.texts = texts;
    changed = true;
  }
  return changed;
}

function resetPrivateChat(state: ChatState, nowMs: number): boolean {
  const blank = createChatState(state.chatId, state.chat.kind, nowMs);
  const empty = Object.keys(state.members).length === 0 && state.history.length === 0 && state.inFlight === null;
  if (empty) return false;
  // Kept: processing ids only, so a redelivered update is still recognised and never handled twice.
  const { lastMessageId, answered, revision } = state;
  Object.assign(state, blank, { lastMessageId, answered: [...answered], revision: revision + 1 });
  return true;
}
