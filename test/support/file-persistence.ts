import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { type ChatMsg, type ChatState, hasReplyInFlight } from '../../src/actors/index.js';
import type { RuntimePersistence } from '../../src/main.js';
import type { Supervisor } from '../../src/supervisor/index.js';

/**
 * A small durable store for crash tests: chat states appended as JSON lines
 * and fsynced, written behind every `intervalMs` from the supervisor's dirty
 * set; `afterFlush` resolves once the next flush is on disk. It stands in for
 * the storage layer's write-behind, with the same contract.
 */
export class FilePersistence implements RuntimePersistence {
  private readonly states = new Map<number, ChatState>();
  private supervisor: Supervisor<number, ChatMsg, ChatState> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly file: string,
    private readonly intervalMs = 20,
  ) {
    FilePersistence.dropTornTail(file);
    for (const [chatId, state] of FilePersistence.read(file)) this.states.set(chatId, state);
  }

  /**
   * Cuts a record a crash tore mid-write (the bytes after the last newline)
   * before anything is appended: otherwise the next record would continue
   * that line and both would be unreadable.
   */
  private static dropTornTail(file: string): void {
    if (!existsSync(file)) return;
    const bytes = readFileSync(file);
    const complete = bytes.lastIndexOf(0x0a) + 1;
    if (complete < bytes.length) truncateSync(file, complete);
  }

  /**
   * The last durable state of every chat in `file`. Only complete lines
   * count: one still being written (read while the process runs) ends
   * without a newline and is not durable yet.
   */
  static read(file: string): Map<number, ChatState> {
    const states = new Map<number, ChatState>();
    if (!existsSync(file)) return states;
    const text = readFileSync(file, 'utf8');
    for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
      if (line === '') continue;
      const { chatId, state } = JSON.parse(line) as { chatId: number; state: ChatState };
      states.set(chatId, state);
    }
    return states;
  }

  load(chatId: number): ChatState | undefined {
    return this.states.get(chatId);
  }

  persist(chatId: number, state: ChatState): void {
    this.write([[chatId, state]]);
  }

  afterFlush(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  attach(supervisor: Supervisor<number, ChatMsg, ChatState>): void {
    this.supervisor = supervisor;
    this.timer = setInterval(() => this.writeDirty(), this.intervalMs);
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.writeDirty();
  }

  async flush(): Promise<void> {
    this.writeDirty();
  }

  /** Every write is on disk when `write` returns: nothing is ever pending to discard. */
  discard(): number {
    return 0;
  }

  async unfinished(): Promise<number[]> {
    return [...this.states].filter(([, state]) => hasReplyInFlight(state)).map(([chatId]) => chatId);
  }

  private writeDirty(): void {
    const waiters = this.waiters;
    this.waiters = [];
    const dirty = this.supervisor?.takeDirty() ?? [];
    if (dirty.length > 0) this.write(dirty);
    for (const wake of waiters) wake();
  }

  private write(entries: Array<[number, ChatState]>): void {
    const fd = openSync(this.file, 'a');
    try {
      appendFileSync(fd, entries.map(([chatId, state]) => `${JSON.stringify({ chatId, state })}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    for (const [chatId, state] of entries) this.states.set(chatId, state);
  }
}
