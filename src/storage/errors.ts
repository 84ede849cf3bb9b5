import { LekhaError } from '../runtime/index.js';

/**
 * A stored snapshot was written by a newer Lekha (a schema version this
 * build does not know). Not retryable: the key is quarantined and its
 * snapshot kept for the newer build, never replaced with an empty state.
 */
export class SnapshotVersionUnknownError extends LekhaError {
  declare readonly code: 'SNAPSHOT_VERSION_UNKNOWN';

  constructor(
    readonly key: string,
    readonly version: number,
    readonly known: number,
  ) {
    super(
      'SNAPSHOT_VERSION_UNKNOWN',
      `snapshot of ${key} has schema version ${version}, this build knows versions up to ${known}: run a newer Lekha`,
      { retryable: false },
    );
  }
}

/** A stored snapshot cannot be decoded or does not have the shape of the state. Not retryable. */
export class SnapshotCorruptError extends LekhaError {
  declare readonly code: 'SNAPSHOT_CORRUPT';

  constructor(
    readonly key: string,
    detail: string,
    cause?: unknown,
  ) {
    super('SNAPSHOT_CORRUPT', `snapshot of ${key} is corrupt: ${detail}`, { retryable: false, cause });
  }
}

/** A snapshot has an older schema version and no upgrade path to the current one. Not retryable. */
export class SnapshotUpgradeError extends LekhaError {
  declare readonly code: 'SNAPSHOT_UPGRADE_FAILED';

  constructor(
    readonly key: string,
    readonly from: number,
    detail: string,
    cause?: unknown,
  ) {
    super('SNAPSHOT_UPGRADE_FAILED', `snapshot of ${key} cannot be upgraded from version ${from}: ${detail}`, {
      retryable: false,
      cause,
    });
  }
}

/** The database could not be reached or refused the operation; retrying later may help. */
export class StorageUnavailableError extends LekhaError {
  declare readonly code: 'STORAGE_UNAVAILABLE';

  constructor(what: string, cause: unknown) {
    super('STORAGE_UNAVAILABLE', `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * A snapshot was not written because this member does not hold its
 * partition at the epoch it was taken under: another member serves the
 * chat now, and its state wins. Not retryable.
 */
export class WriteFencedError extends LekhaError {
  declare readonly code: 'WRITE_FENCED';

  constructor(
    readonly key: string,
    detail: string,
  ) {
    super('WRITE_FENCED', `snapshot of ${key} was not written: ${detail}`, { retryable: false });
  }
}

/** Recorded migrations differ from the ones this build ships (edited after they were applied). */
export class MigrationMismatchError extends LekhaError {
  declare readonly code: 'MIGRATION_MISMATCH';

  constructor(
    readonly version: number,
    detail: string,
  ) {
    super('MIGRATION_MISMATCH', `migration ${version} ${detail}`, { retryable: false });
  }
}

/** Too many rows wait for the database (it has been down for a while); the caller must slow down. */
export class AppendQueueFullError extends LekhaError {
  declare readonly code: 'APPEND_QUEUE_FULL';

  constructor(
    readonly table: string,
    readonly maxQueuedRows: number,
  ) {
    super('APPEND_QUEUE_FULL', `${maxQueuedRows} rows already wait to be written; ${table} row refused`);
  }
}

/**
 * The audit row of an admin change could not be written, so the change was
 * not made either (both are one transaction). Retrying later may help; the
 * cause (the driver's error) is for the server log only.
 */
export class AuditUnavailableError extends LekhaError {
  declare readonly code: 'AUDIT_UNAVAILABLE';

  constructor(cause: unknown) {
    super('AUDIT_UNAVAILABLE', 'the audit log cannot be written right now, so nothing was changed; try again later', {
      cause,
    });
  }
}

/** A pagination cursor storage did not make (or one that was tampered with). Not retryable. */
export class InvalidCursorError extends LekhaError {
  declare readonly code: 'INVALID_CURSOR';

  constructor() {
    super('INVALID_CURSOR', 'the cursor is not one this server issued; start again without a cursor', {
      retryable: false,
    });
  }
}

/** A stored text is encrypted with a key this process does not hold. Not retryable. */
export class TextKeyUnknownError extends LekhaError {
  declare readonly code: 'TEXT_KEY_UNKNOWN';

  constructor(readonly keyId: number) {
    super('TEXT_KEY_UNKNOWN', `stored text is encrypted with key ${keyId}, which this process does not hold`, {
      retryable: false,
    });
  }
}

/**
 * A stored encrypted value does not authenticate under its key: it was
 * changed or truncated, or sealed by another key under the same id. Not
 * retryable; the message names only the key id, never the bytes.
 */
export class FieldTamperedError extends LekhaError {
  declare readonly code: 'FIELD_TAMPERED';

  constructor(
    readonly keyId: number,
    cause?: unknown,
  ) {
    super('FIELD_TAMPERED', `a stored value sealed with key ${keyId} does not authenticate (changed or wrong key)`, {
      retryable: false,
      cause,
    });
  }
}

/** Why the configured keys cannot open the stored data; checked at start, the message says what to set. */
export class EncryptionKeyError extends LekhaError {
  declare readonly code: 'ENCRYPTION_KEY_MISSING' | 'ENCRYPTION_KEY_MISMATCH' | 'ENCRYPTION_KEY_REMOVED';

  constructor(
    code: 'ENCRYPTION_KEY_MISSING' | 'ENCRYPTION_KEY_MISMATCH' | 'ENCRYPTION_KEY_REMOVED',
    message: string,
    readonly keyIds: readonly number[],
  ) {
    super(code, message, { retryable: false });
  }
}

/**
 * Another process holds the data directory (embedded PGlite allows one
 * process at a time). `pid` is the holder's, when known.
 */
export class DataDirInUseError extends LekhaError {
  declare readonly code: 'DATA_DIR_IN_USE';

  constructor(
    readonly dir: string,
    readonly pid: number | null,
  ) {
    super('DATA_DIR_IN_USE', `data directory ${dir} is in use by ${pid === null ? 'another process' : `PID ${pid}`}`, {
      retryable: false,
    });
  }
}

/** An experiment is running or paused already: only one may be live, so a new one waits until it is stopped. */
export class ExperimentConflictError extends LekhaError {
  declare readonly code: 'EXPERIMENT_CONFLICT';

  constructor(readonly live: { id: number; name: string; status: string } | null) {
    super(
      'EXPERIMENT_CONFLICT',
      live === null
        ? 'another experiment is running or paused: stop it before starting a new one'
        : `experiment ${live.id} "${live.name}" is ${live.status}: stop it before starting a new one`,
      { retryable: false },
    );
  }
}

/** A stopped experiment is final: it is neither resumed nor paused, and stopping it again changes nothing. */
export class ExperimentStoppedError extends LekhaError {
  declare readonly code: 'EXPERIMENT_STOPPED';

  constructor(readonly id: number) {
    super('EXPERIMENT_STOPPED', `experiment ${id} is stopped, which is final: start a new experiment instead`, {
      retryable: false,
    });
  }
}
