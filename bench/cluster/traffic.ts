/*
 * Traffic for the multi-process tests and the cluster bench: a script of
 * messages over many chats (group chats with several members, and private
 * chats), every message carrying its chat's sequence number, injected
 * through the Bot API emulator at a steady rate. The same script injected
 * into another emulator (a single-process reference run) gives the same
 * input in the same order.
 */
import type { BotApiEmulator } from '../../src/sandbox/index.js';

/** One scripted message. */
export interface ScriptedMessage {
  chatId: number;
  /** 1, 2, 3… within the chat: written into the text as `[seq]`. */
  seq: number;
  from: { id: number; firstName: string };
  text: string;
  /** Whether it asks the bot for a reply (a private message, or one naming "Лёха"). */
  trigger: boolean;
}

/** A scripted message as injected: with the ids the emulator gave it. */
export interface Injection extends ScriptedMessage {
  updateId: number;
  messageId: number;
  atMs: number;
}

export interface TrafficShape {
  groups: number;
  /** Members writing in each group. */
  membersPerGroup: number;
  privates: number;
  /** Messages per group chat over the whole script. */
  messagesPerGroup: number;
  /** Messages per private chat (each one asks for a reply). */
  messagesPerPrivate: number;
  /** Every n-th group message names the bot (asks for a reply). */
  triggerEvery: number;
}

const WORDS = [
  'пицца',
  'футбол',
  'погода',
  'работа',
  'отпуск',
  'кофе',
  'кошка',
  'собака',
  'машина',
  'дача',
  'книга',
  'фильм',
  'концерт',
  'море',
  'горы',
  'поезд',
];

const TEMPLATES = ['сегодня обсуждаем', 'а вот у меня', 'кто любит', 'вчера видел'];

/** Seq marks in message texts: `[12]`. */
export const SEQ_MARK = /\[(\d+)\]/;

/**
 * At most this many messages per member in a whole script: the chat
 * filters flag a member's 8th message within 10 s (the default flood limit)
 * by the processing clock, and a failover's backlog is processed in a burst.
 * A flagged message stays out of the history and the word counts, so two
 * runs of one input would differ by timing alone.
 */
export const MAX_MESSAGES_PER_MEMBER = 7;

/**
 * The script: chats interleaved round-robin (so every chat advances steadily
 * and a stall or failover cuts across all of them), deterministic texts
 * varied enough to give word statistics something to count.
 */
export function trafficScript(shape: TrafficShape, chatIdBase = 0): ScriptedMessage[] {
  if (
    Math.ceil(shape.messagesPerGroup / shape.membersPerGroup) > MAX_MESSAGES_PER_MEMBER ||
    shape.messagesPerPrivate > MAX_MESSAGES_PER_MEMBER
  ) {
    throw new Error(`a member may send at most ${MAX_MESSAGES_PER_MEMBER} messages in a script (the flood limit)`);
  }
  const chats: Array<{ id: number; users: Array<{ id: number; firstName: string }>; count: number; group: boolean }> =
    [];
  for (let g = 0; g < shape.groups; g++) {
    const users = Array.from({ length: shape.membersPerGroup }, (_, u) => ({
      id: 10_000 + g * 100 + u,
      firstName: `Участник${u + 1}`,
    }));
    chats.push({ id: -(1_000_000 + chatIdBase + g), users, count: shape.messagesPerGroup, group: true });
  }
  for (let p = 0; p < shape.privates; p++) {
    const id = 500_000 + chatIdBase + p;
    chats.push({ id, users: [{ id, firstName: `Собеседник${p + 1}` }], count: shape.messagesPerPrivate, group: false });
  }
  const script: ScriptedMessage[] = [];
  const longest = Math.max(shape.messagesPerGroup, shape.messagesPerPrivate);
  for (let seq = 1; seq <= longest; seq++) {
    chats.forEach((chat, c) => {
      if (seq > chat.count) return;
      const from = chat.users[(seq - 1) % chat.users.length] as { id: number; firstName: string };
      // No two messages of a chat alike (for seq < 256): the copy-paste filter would drop repeats from the history.
      const a = WORDS[(seq + c) % WORDS.length] as string;
      const b = WORDS[(Math.floor(seq / WORDS.length) * 5 + c * 3 + 7) % WORDS.length] as string;
      const trigger = !chat.group || seq % shape.triggerEvery === 0;
      const text = chat.group
        ? trigger
          ? `Лёха, что думаешь про ${a} и ${b}? [${seq}]`
          : `${TEMPLATES[seq % TEMPLATES.length]} ${a} и ${b} [${seq}]`
        : `расскажи про ${a} и ${b} [${seq}]`;
      script.push({ chatId: chat.id, seq, from, text, trigger });
    });
  }
  return script;
}

/**
 * Injects a script into an emulator at `perSecond` messages a second (in
 * small batches every 20 ms, so the rate holds on a busy machine), recording
 * each injection's ids. `run` resolves when the whole script is in; `paused`
 * stops it between batches (the tests use it to hold traffic at a point).
 */
export class TrafficDriver {
  readonly injected: Injection[] = [];
  private next = 0;
  private stopped = false;
  private readonly probeSeq = new Map<number, number>();

  constructor(
    private readonly emulator: BotApiEmulator,
    private readonly script: readonly ScriptedMessage[],
  ) {}

  get done(): boolean {
    return this.next >= this.script.length;
  }

  /** Injects the next `count` messages at once. */
  injectNext(count: number): Injection[] {
    const batch: Injection[] = [];
    while (batch.length < count && this.next < this.script.length) {
      const message = this.script[this.next++] as ScriptedMessage;
      const chatType = message.chatId > 0 ? ('private' as const) : ('supergroup' as const);
      const { updateId, message: sent } = this.emulator.injectMessage({
        chatId: message.chatId,
        chatType,
        ...(chatType === 'supergroup' ? { title: `Чат ${-message.chatId}` } : {}),
        from: message.from,
        text: message.text,
      });
      const injection = { ...message, updateId, messageId: sent.message_id, atMs: Date.now() };
      this.injected.push(injection);
      batch.push(injection);
    }
    return batch;
  }

  /**
   * Injects one message outside the script into a chat the script does not
   * use (a probe: the bench's "does this chat answer again"), numbered in
   * that chat's own sequence.
   */
  probe(chatId: number, from: { id: number; firstName: string }): Injection {
    const seq = (this.probeSeq.get(chatId) ?? 0) + 1;
    this.probeSeq.set(chatId, seq);
    const text = `Лёха, ты тут? [${seq}]`;
    const { updateId, message } = this.emulator.injectMessage({
      chatId,
      chatType: chatId > 0 ? 'private' : 'supergroup',
      from,
      text,
    });
    const injection = {
      chatId,
      seq,
      from,
      text,
      trigger: true,
      updateId,
      messageId: message.message_id,
      atMs: Date.now(),
    };
    this.injected.push(injection);
    return injection;
  }

  /** Injects the rest of the script (or `limit` more messages) at a steady rate. */
  async run(perSecond: number, limit = Number.POSITIVE_INFINITY): Promise<void> {
    const tickMs = 20;
    const startedAt = Date.now();
    const startIndex = this.next;
    const end = Math.min(this.script.length, startIndex + limit);
    while (this.next < end && !this.stopped) {
      const due = Math.min(end, startIndex + Math.floor(((Date.now() - startedAt) / 1000) * perSecond) + 1);
      if (due > this.next) this.injectNext(due - this.next);
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
  }

  /** Stops a running {@link run} after its current batch. */
  stop(): void {
    this.stopped = true;
  }
}
