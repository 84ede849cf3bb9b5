export {
  type AppendColumn,
  type AppendTable,
  AppendWriter,
  type AppendWriterOptions,
  type AppendWriterStats,
} from './append-writer.js';
export { type AuditRow, auditLogTable } from './audit-log-table.js';
export { type Database, type Queryable, type QueryResult } from './database.js';
export { DATA_DIR_LOCK_FILE, DataDirLock } from './data-dir-lock.js';
export {
  BackupRefusedError,
  restoreEmbeddedBackup,
  type RestoreOptions,
  type RestoreOutcome,
  writeEmbeddedBackup,
} from './embedded-backup.js';
export {
  AppendQueueFullError,
  DataDirInUseError,
  MigrationMismatchError,
  SnapshotCorruptError,
  SnapshotUpgradeError,
  SnapshotVersionUnknownError,
  StorageUnavailableError,
  ExperimentConflictError,
  ExperimentStoppedError,
  WriteFencedError,
} from './errors.js';
export { MemoryExperimentStore } from './memory-experiment-store.js';
export { PostgresExperimentStore } from './postgres-experiment-store.js';
export { MemoryPersonaStore } from './memory-persona-store.js';
export { PostgresPersonaStore } from './postgres-persona-store.js';
export { botRepliesTable, replySignalsTable, StorageReplyLedger, textArrayLiteral } from './storage-reply-ledger.js';
export { type MessageRow, messagesTable } from './messages-table.js';
export { migrate, type MigrateReport } from './migrate.js';
export { type Migration, migrations } from './migrations.js';
export { type DatabaseLocation, EMBEDDED_DATABASE_DIR, openDatabase } from './open-database.js';
export { PgliteDatabase } from './pglite-database.js';
export { PostgresDatabase, type PostgresDatabaseOptions } from './postgres-database.js';
export { MemoryDeadLetterStore } from './memory-dead-letter-store.js';
export { PostgresDeadLetterStore } from './postgres-dead-letter-store.js';
export { MemoryPluginConfigStore } from './memory-plugin-config-store.js';
export { PostgresPluginConfigStore } from './postgres-plugin-config-store.js';
export { PostgresSnapshotStore } from './postgres-snapshot-store.js';
export { RedisSnapshotStore, type RedisSnapshotStoreOptions } from './redis-snapshot-store.js';
export { SnapshotFormat, type SnapshotFormatOptions, type SnapshotUpgrade } from './snapshot-format.js';
export {
  type DurableSnapshotStore,
  type FencedKeys,
  NONE_FENCED,
  type SnapshotFence,
  type SnapshotRecord,
  type SnapshotStore,
} from './snapshot-store.js';
export { Storage, type StorageCloseReport, type StorageOptions } from './storage.js';
export {
  type DirtySource,
  type FenceOf,
  type FlushAwaitable,
  WriteBehind,
  type WriteBehindCloseReport,
  type WriteBehindOptions,
  type WriteBehindStats,
} from './write-behind.js';
export {
  AuditUnavailableError,
  EncryptionKeyError,
  FieldTamperedError,
  InvalidCursorError,
  TextKeyUnknownError,
} from './errors.js';
export { checkEncryptionKeys, registerKey, retireKey } from './encryption/key-registry.js';
export { Keyring, type KeyringOptions, type MasterKey } from './encryption/keyring.js';
export { envelopeKeyId, openEnvelope, sealEnvelope } from './encryption/sealed-envelope.js';
export { PlainCipher } from './plain-cipher.js';
export { PostgresAuditLog } from './postgres-audit-log.js';
export { PostgresChatDirectory, type PostgresChatDirectoryOptions } from './postgres-chat-directory.js';
export { PostgresTokenStore } from './postgres-token-store.js';
export { PostgresSessionStore } from './postgres-session-store.js';
export { PostgresTelegramAdminStore } from './postgres-telegram-admin-store.js';
export {
  archivedChatsTable,
  archivedMessagesTable,
  archivedUsersTable,
  StorageChatArchive,
} from './storage-chat-archive.js';
export { PostgresMemberDataStore } from './postgres-member-data-store.js';
export { DEFAULT_SCORE_WINDOW_MS, PostgresFinetuneSource } from './postgres-finetune-source.js';
export { PostgresMemoryStore } from './postgres-memory-store.js';
export { DEFAULT_MAX_ATTEMPTS, JOB_STATUSES } from './job-defaults.js';
export { MemoryJobStore } from './memory-job-store.js';
export { PostgresJobStore } from './postgres-job-store.js';
export {
  KeyRotation,
  type KeyRotationOptions,
  type KeyUsage,
  type RotationProgress,
  type RotationReport,
} from './encryption/key-rotation.js';
