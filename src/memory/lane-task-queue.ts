import type { TaskQueue } from 'piscina';
import { Piscina } from 'piscina';

type QueuedTask = Parameters<TaskQueue['push']>[0];

/** Which lane of the embedding pool a task waits in. */
export type EmbeddingLane = 'recall' | 'write';

/** Queue options that put a task in the recall lane (read back through Piscina's queue-options symbol). */
export const RECALL_LANE_OPTIONS: { readonly lane: EmbeddingLane } = Object.freeze({ lane: 'recall' });

/**
 * The embedding pool's task queue: two first-in-first-out lanes, and a free
 * thread always takes from the recall lane first. A recall (a chat waiting
 * for its reply) thus never waits behind queued write batches and index
 * rebuilds, only behind the tasks already running. Piscina's own queue is a
 * single FIFO, hence this one.
 */
export class LaneTaskQueue implements TaskQueue {
  private readonly recalls: QueuedTask[] = [];
  private readonly writes: QueuedTask[] = [];

  get size(): number {
    return this.recalls.length + this.writes.length;
  }

  /** Tasks waiting in the recall lane. */
  get recallSize(): number {
    return this.recalls.length;
  }

  /** Tasks waiting in the write lane. */
  get writeSize(): number {
    return this.writes.length;
  }

  push(task: QueuedTask): void {
    this.laneOf(task).push(task);
  }

  /** Puts back a task Piscina took but could not place: at the head of its lane. */
  unshift(task: QueuedTask): void {
    this.laneOf(task).unshift(task);
  }

  shift(): QueuedTask | null {
    return this.recalls.shift() ?? this.writes.shift() ?? null;
  }

  remove(task: QueuedTask): void {
    // Both lanes: a task's queue options are gone once Piscina has released its payload.
    for (const lane of [this.recalls, this.writes]) {
      const at = lane.indexOf(task);
      if (at >= 0) lane.splice(at, 1);
    }
  }

  private laneOf(task: QueuedTask): QueuedTask[] {
    const options = task[Piscina.queueOptionsSymbol as keyof QueuedTask] as { lane?: EmbeddingLane } | null;
    return options?.lane === 'recall' ? this.recalls : this.writes;
  }
}
