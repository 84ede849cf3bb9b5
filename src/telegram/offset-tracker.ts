interface Entry {
  done: boolean;
  waiters: Array<() => void> | null;
}

/**
 * Follows every update from the moment it is handed to the runtime until its
 * turn has run and its effects are durable, and derives the offset that may
 * be confirmed to Telegram: the lowest update still unfinished. Telegram
 * forgets an update once a later offset is confirmed, so confirming past an
 * unfinished one could lose it on a crash.
 */
export class OffsetTracker {
  private progressAtMs: number;
  private readonly entries = new Map<number, Entry>();
  /** Tracked ids in ascending order; finished ones at the front are dropped as the offset passes them. */
  private order: number[] = [];
  private head = 0;
  private highestSeen = -1;
  private progressWaiters: Array<() => void> = [];

  /** `now` times the stall measure; without it stalls are not measured. */
  constructor(private readonly now: () => number = () => 0) {
    this.progressAtMs = now();
  }

  /**
   * How long updates have been waiting without the offset moving: 0 when
   * nothing is in flight. Grows while one unfinished update holds every later
   * one back — a stalled ingress.
   */
  stalledForMs(): number {
    return this.entries.size === 0 ? 0 : Math.max(0, this.now() - this.progressAtMs);
  }

  /** Updates handed over and not yet finished. */
  get inFlight(): number {
    return this.entries.size;
  }

  /** The highest update id ever tracked (-1 before the first). */
  get highest(): number {
    return this.highestSeen;
  }

  /**
   * The offset to confirm: every update below it is finished. `undefined`
   * before the first update, so the first poll after a start asks Telegram
   * for everything it still holds.
   */
  get confirmableOffset(): number | undefined {
    if (this.head < this.order.length) return this.order[this.head];
    return this.highestSeen < 0 ? undefined : this.highestSeen + 1;
  }

  has(updateId: number): boolean {
    return this.entries.has(updateId);
  }

  /** Starts following `updateId`. Returns false when it is already followed. */
  begin(updateId: number): boolean {
    if (this.entries.has(updateId)) return false;
    if (this.entries.size === 0) this.progressAtMs = this.now();
    this.entries.set(updateId, { done: false, waiters: null });
    if (updateId > this.highestSeen) {
      this.order.push(updateId);
      this.highestSeen = updateId;
    } else {
      // Webhook deliveries may overtake each other; keep the order sorted.
      let i = this.order.length;
      while (i > this.head && (this.order[i - 1] as number) > updateId) i--;
      this.order.splice(i, 0, updateId);
    }
    return true;
  }

  /** The update's turn ran and its effects are durable. */
  complete(updateId: number): void {
    const entry = this.entries.get(updateId);
    if (entry === undefined || entry.done) return;
    entry.done = true;
    if (entry.waiters !== null) for (const wake of entry.waiters) wake();
    entry.waiters = null;
    this.advance();
  }

  /** Stops following an update that was never handed over (the runtime refused it). */
  abandon(updateId: number): void {
    const entry = this.entries.get(updateId);
    if (entry === undefined || entry.done) return;
    this.entries.delete(updateId);
    const i = this.order.indexOf(updateId, this.head);
    if (i >= 0) this.order.splice(i, 1);
    // Polling hands updates over in ascending order, so the refused one is the newest:
    // the offset must not pass it.
    if (updateId === this.highestSeen) this.highestSeen = updateId - 1;
    this.advance();
  }

  /** Resolves when `updateId` is finished (at once when it is not followed). */
  whenComplete(updateId: number): Promise<void> {
    const entry = this.entries.get(updateId);
    if (entry === undefined || entry.done) return Promise.resolve();
    return new Promise((resolve) => (entry.waiters ??= []).push(resolve));
  }

  /** Resolves the next time the confirmable offset moves forward. */
  progress(): Promise<void> {
    return new Promise((resolve) => this.progressWaiters.push(resolve));
  }

  private advance(): void {
    let moved = false;
    while (this.head < this.order.length) {
      const id = this.order[this.head] as number;
      const entry = this.entries.get(id);
      if (entry !== undefined && !entry.done) break;
      this.entries.delete(id);
      this.head++;
      moved = true;
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    if (moved) this.progressAtMs = this.now();
    if (moved && this.progressWaiters.length > 0) {
      const waiters = this.progressWaiters;
      this.progressWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}
