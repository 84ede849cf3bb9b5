import { LekhaError } from '../runtime/index.js';

/** `PARTITIONS` differs from the partition count the deployment's lease table was created with. */
export class PartitionCountMismatchError extends LekhaError {
  declare readonly code: 'CLUSTER_PARTITIONS_MISMATCH';

  constructor(
    readonly configured: number,
    readonly existing: number,
  ) {
    super(
      'CLUSTER_PARTITIONS_MISMATCH',
      `PARTITIONS is ${configured} but the deployment was started with ${existing} partitions; ` +
        'PARTITIONS is fixed per deployment (chats are hashed onto it), set it back to ' +
        `${existing}`,
      { retryable: false },
    );
  }
}
