import type { ClusterSignal } from './cluster-ports.js';

/**
 * A {@link ClusterSignal} within one process: every node given the same
 * instance hears every announcement (tests, and a single-process cluster).
 */
export class MemoryClusterSignal implements ClusterSignal {
  private readonly listeners = new Set<() => void>();

  async announce(): Promise<void> {
    for (const listener of [...this.listeners]) queueMicrotask(listener);
  }

  subscribe(listener: () => void): () => void {
    // A wrapper per subscription, so subscribing one function twice gives two.
    const entry = (): void => listener();
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }
}
