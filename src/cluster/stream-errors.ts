import { LekhaError } from '../runtime/index.js';

/**
 * An append to the partition streams that Redis did not confirm as asked:
 * fewer replicas than `REDIS_WAIT_REPLICAS` acknowledged it in time. Some or
 * all entries may be in the stream already; appending them again is safe
 * (the runtime skips an update it has seen), so the caller retries.
 */
export class StreamNotReplicatedError extends LekhaError {
  declare readonly code: 'CLUSTER_UNAVAILABLE';

  constructor(
    readonly replicas: number,
    readonly wanted: number,
    readonly timeoutMs: number,
  ) {
    super(
      'CLUSTER_UNAVAILABLE',
      `only ${replicas} of ${wanted} Redis replicas acknowledged the stream append within ${timeoutMs} ms; retry it`,
      { retryable: true },
    );
  }
}

/**
 * The stream ingress was closed before the update was appended: it is not in
 * any stream, so its Telegram offset must not be confirmed (the next leader
 * fetches it again).
 */
export class StreamIngressClosedError extends LekhaError {
  declare readonly code: 'SHUTTING_DOWN';

  constructor() {
    super('SHUTTING_DOWN', 'the stream ingress is closed; the update was not appended', { retryable: false });
  }
}

/**
 * Another member fenced the partition's stream at a later epoch: this member
 * may not take its entries any more (it lost the partition).
 */
export class StreamFencedError extends LekhaError {
  declare readonly code: 'WRITE_FENCED';

  constructor(
    readonly partition: number,
    readonly epoch: number,
  ) {
    super(
      'WRITE_FENCED',
      `the stream of partition ${partition} is fenced at a later epoch than ${epoch}: another member serves it`,
      { retryable: false },
    );
  }
}
