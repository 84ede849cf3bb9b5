import type { MemoryHit, MemoryPort, RecallRequest, RememberOutcome, RememberRequest } from '../../src/memory/index.js';

/** A memory port that records what chat actors ask of it and answers recalls from a script. */
export class RecordingMemory implements MemoryPort {
  readonly remembered: RememberRequest[] = [];
  readonly recalls: RecallRequest[] = [];
  readonly feedbacks: Array<{ chatId: number; messageId: number; delta: number }> = [];
  /** What the next recalls answer. */
  hits: MemoryHit[] = [];
  /** When set, recalls never answer (a slow or stuck memory). */
  hold = false;
  /** When set, recalls fail with this error. */
  failWith: Error | null = null;
  private nextId = 1;

  remember(request: RememberRequest): Promise<RememberOutcome> {
    this.remembered.push(request);
    return Promise.resolve({ stored: true, id: this.nextId++ });
  }

  recall(request: RecallRequest): Promise<MemoryHit[]> {
    this.recalls.push(request);
    if (this.hold) return new Promise(() => {});
    if (this.failWith !== null) return Promise.reject(this.failWith);
    return Promise.resolve(this.hits.map((h) => ({ ...h })));
  }

  feedback(chatId: number, messageId: number, delta: number): Promise<number> {
    this.feedbacks.push({ chatId, messageId, delta });
    return Promise.resolve(1);
  }

  forgetUser(): Promise<number> {
    return Promise.resolve(0);
  }
}
