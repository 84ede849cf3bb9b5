import { Redis } from 'ioredis';
import type { Logger } from '../runtime/index.js';
import type { ClusterSignal } from './cluster-ports.js';

export interface RedisClusterSignalOptions {
  url: string;
  /** The pub/sub channel the deployment's members share (`<prefix>cluster`). */
  channel: string;
  logger?: Logger;
}

/**
 * Members telling each other "something changed, look now" over Redis
 * pub/sub: a member that joins, stops or releases partitions announces it,
 * and the others tick at once instead of at their next heartbeat. A lost
 * announcement costs only that wait, so delivery needs no guarantee.
 */
export class RedisClusterSignal implements ClusterSignal {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: RedisClusterSignalOptions) {
    this.publisher = new Redis(options.url, { lazyConnect: true });
    this.subscriber = new Redis(options.url, { lazyConnect: true });
    this.subscriber.on('message', (channel: string) => {
      if (channel !== options.channel) return;
      for (const listener of this.listeners) listener();
    });
    // Reconnects are ioredis's; an error between them is only worth a line.
    for (const client of [this.publisher, this.subscriber])
      client.on('error', (error: Error) => options.logger?.debug?.({ err: error }, 'cluster signal connection error'));
  }

  /** Connects and subscribes. */
  async open(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.options.channel);
  }

  async announce(): Promise<void> {
    await this.publisher.publish(this.options.channel, '1');
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
