/**
 * Every code a `LekhaError` may carry, with what it means. One list for the
 * whole program (edges included) so that a code is spelled in one place: a
 * `LekhaError` with a code missing here, or a table keyed by a misspelt one,
 * does not compile. Codes are stable: logs, HTTP answers, tests and operators'
 * alerts match on them. Add a code here when you add an error class.
 */
export const ERROR_CODES = {
  // The actor kernel and supervisor.
  MAILBOX_FULL: "the actor's mailbox is full and the message's overflow policy rejects it",
  ACTOR_QUARANTINED: 'the key failed too often and refuses messages until its cooldown ends or an admin releases it',
  SHUTTING_DOWN: 'the runtime is shutting down and takes no new messages',
  ASK_TIMEOUT: 'an ask got no reply in time',
  ACTOR_STOPPED: 'the actor stopped (restart, quarantine, passivation or shutdown) before it replied',
  CLOSE_INCOMPLETE: 'some resources failed to close at shutdown',
  INVALID_OPTION: 'a component was built with an option it cannot work with (the message names the option)',

  // Configuration and start-up.
  CONFIG_INVALID: 'the environment does not describe a valid configuration',
  START_FAILED: 'start-up failed for a reason with no code of its own',
  TELEGRAM_TOKEN_REFUSED: 'Telegram refused TELEGRAM_BOT_TOKEN at start-up',
  TELEGRAM_UNREACHABLE: 'Telegram could not be reached at start-up',
  TELEGRAM_WEBHOOK_REFUSED: 'Telegram refused WEBHOOK_URL at start-up',
  TELEGRAM_REFUSED: 'Telegram refused a start-up call for another reason',

  // Chat state (domain).
  CHAT_SETTINGS_INVALID: 'chat settings that break their schema',
  CHAT_STATE_INVALID: 'a persisted chat state that is corrupt or of an unknown shape',
  CHAT_STATE_VERSION_UNKNOWN: 'a persisted chat state written by a newer version',

  // Storage.
  SNAPSHOT_VERSION_UNKNOWN: 'a stored snapshot was written by a newer Lekha',
  SNAPSHOT_CORRUPT: 'a stored snapshot cannot be decoded or has the wrong shape',
  SNAPSHOT_UPGRADE_FAILED: 'an older snapshot has no upgrade path to the current version',
  STORAGE_UNAVAILABLE: 'the database could not be reached or refused the operation',
  STORAGE_CLOSED: 'the snapshot writer is closed',
  MIGRATION_MISMATCH: 'recorded migrations differ from the ones this build ships',
  APPEND_QUEUE_FULL: 'too many rows wait for the database; the row was refused',
  AUDIT_UNAVAILABLE: 'the audit row cannot be written, so the change or call was refused',
  INVALID_CURSOR: 'a pagination cursor this server did not issue',
  TEXT_KEY_UNKNOWN: 'stored text is encrypted with a key this process does not hold',
  FIELD_TAMPERED: 'a stored encrypted value does not authenticate under its key (changed, truncated or another key)',
  ENCRYPTION_KEY_MISSING: 'the database holds encrypted data and no ENCRYPTION_KEY is configured',
  ENCRYPTION_KEY_MISMATCH: 'a configured key id is not the key that encrypted the stored data (fingerprint differs)',
  ENCRYPTION_KEY_REMOVED: 'stored data still uses a key id that is not configured any more',
  DATA_DIR_IN_USE: 'another process holds the data directory',
  BACKUP_INVALID: 'a file given to restore is not a backup this build can restore (the message says why)',
  RESTORE_WOULD_REPLACE: 'the data directory already holds a database and the restore was not told to replace it',

  // Long-term memory.
  MEMORY_SATURATED: 'the embedding pool is saturated; the memory work was dropped',
  MEMORY_SHARD_DOWN: 'a memory shard died with the request in flight and is being restarted',
  MEMORY_CLOSED: 'the memory service is closed',
  MEMORY_MODEL_MISSING: 'the sentence model files are not where MODEL_DIR says',
  MEMORY_MODEL_LOAD_FAILED: 'the sentence model files cannot be loaded',
  EMBEDDER_OPTIONS_INVALID: 'the transformers embedder got options it cannot work with',

  // LLM.
  LLM_CHAT_BUSY: 'the chat already has an LLM request in flight',

  // Telegram.
  EGRESS_OVERFLOW: "a chat's outgoing queue, or the sender's, is full",
  EGRESS_CLOSED: 'the Telegram sender is closed',
  TELEGRAM_SEND_FAILED: 'Telegram refused a send for good, or retries ran out',
  TELEGRAM_API_REFUSED: 'Telegram answered a Bot API call with an error',
  TELEGRAM_API_UNREACHABLE: 'a Bot API call got no answer',
  DEAD_LETTER_REPLAY_IN_PROGRESS: 'the dead letter is already being replayed',

  // Plugins.
  PLUGIN_INVALID:
    'a plugin cannot be registered: a bad manifest, a missing or mismatched dependency, a clash (the message says which)',
  PLUGIN_LOAD_FAILED: 'a module named in PLUGINS cannot be imported or exports no plugin',
  PLUGIN_SETTINGS_INVALID: "settings that break the plugin's schema (the message names each bad field)",
  PLUGIN_NOT_FOUND: 'no plugin with that name is loaded',
  PLUGIN_REFUSED: 'the change is not allowed for this plugin (a plugin every chat needs cannot be switched off)',
  PLUGIN_TIMEOUT: "a plugin's handler did not finish within its time limit",
  PLUGIN_FAILED: 'a plugin could not answer (its upstream is down or refused); the chat got its short explanation',
  PLUGIN_DATA_REFUSED:
    "a plugin's data for a chat that is not plain JSON or is bigger than 64 KiB (nothing was stored)",
  PLUGIN_HTTP_FAILED: "a plugin's upstream request failed (network, timeout, status or body)",

  // The scheduler.
  INVALID_DURATION:
    'a duration that is not a whole number of seconds, minutes, hours or days (`30s`, `10m`, `2h`, `1d`)',
  INVALID_CRON: 'a cron pattern or time zone that cannot be read',
  JOB_HANDLER_MISSING: 'a job of a kind this process has no handler for',
  JOB_TIMEOUT: "a job's handler did not settle within its timeout and was aborted",
  JOB_IN_DOUBT: "a job's handler cannot tell whether its effect happened, so the job is not run again",
  JOB_OUT_OF_ATTEMPTS: 'a job was claimed more often than its attempts allow (its runs never finished)',

  // The admin HTTP server and API.
  HTTP_PORT_IN_USE: 'another process holds HTTP_PORT',
  HTTP_LISTEN_FAILED: 'the admin server cannot listen on HTTP_HOST:HTTP_PORT',
  TOKEN_FILE_CORRUPT: 'a line of the admin token file cannot be read',
  ADMIN_FILE_CORRUPT: 'a line of the admin sessions or Telegram admins file cannot be read',
  SESSION_NOT_FOUND: 'no dashboard session with that id',
  TELEGRAM_ADMIN_NOT_FOUND: 'no dashboard role is granted to that Telegram user',
  LOGIN_NOT_CONFIGURED: 'the login method asked for is not configured on this server',
  LOGIN_REFUSED: 'a dashboard login was refused (bad state, bad signature, expired data or no role)',
  UNAUTHORIZED: 'no admin token, a malformed one, or one that is unknown or revoked',
  FORBIDDEN: "the admin token's role is below what the route needs",
  RATE_LIMITED: 'too many admin API requests from this client',
  INVALID_RANGE: 'a time range whose `from` is after its `to`',
  INVALID_DATE: 'a date or time that is not `YYYY-MM-DD` or ISO 8601 with its offset',
  CHAT_REQUIRED: 'the request needs a chat id',
  CHAT_NOT_FOUND: 'no chat with that id is known',
  CHAT_STATE_NOT_FOUND: 'the chat has no bot state yet',
  USER_NOT_FOUND: 'the user is not a member of the chat',
  TOKEN_NOT_FOUND: 'no admin token with that id',
  DEAD_LETTER_NOT_FOUND: 'no dead letter with that id',
  DEAD_LETTERS_UNAVAILABLE: 'dead letters are not kept in this process',
  MEMORY_UNAVAILABLE: 'long-term memory is not running in this process',
  STYLE_UNAVAILABLE: 'chat styles are not available in this process',
  PLUGINS_UNAVAILABLE: 'the plugin host is not running in this process',
  PLUGIN_ROUTE_TIMEOUT: "a plugin's admin route did not answer in time",
  PLUGIN_ROUTE_FAILED: "a plugin's admin route threw (the server log has the error, the caller does not)",
  SCHEDULER_UNAVAILABLE: 'the scheduler is not running in this process',
  JOB_NOT_FOUND: 'no job with that id in a state the call needs',
  MEMBER_DATA_NOT_FOUND: 'nothing is stored about that user id',
  BACKUP_UNAVAILABLE: 'backups over HTTP are for the embedded database; a Postgres server is backed up with pg_dump',
  PRIVACY_UNAVAILABLE: 'GDPR export and erasure need storage, which this process runs without',
  FINETUNE_UNAVAILABLE: 'fine-tune exports read the database, which this process runs without',
  EXPERIMENTS_UNAVAILABLE: 'A/B experiments are not kept in this process',
  EXPERIMENT_NOT_FOUND: 'no experiment with that id',
  EXPERIMENT_INVALID: 'an experiment that breaks its schema or names a persona the bot does not have',
  EXPERIMENT_CONFLICT: 'another experiment is running or paused; only one may be live at a time',
  EXPERIMENT_STOPPED: 'the experiment is stopped, which is final',
  PERSONA_INVALID: 'a persona definition that breaks the persona schema or takes a name already used',
  PERSONA_READONLY: 'the persona comes from PERSONA_FILE (or is the built-in default): change it there',
  PERSONA_NOT_FOUND: 'no persona defined from the dashboard has that name',
  PERSONAS_UNAVAILABLE: 'personas cannot be defined from the dashboard in this process',

  // Cluster mode.
  CLUSTER_PARTITIONS_MISMATCH: 'PARTITIONS differs from the partition count the deployment was started with',
  CHAT_NOT_OWNED: 'another member of the cluster serves the chat (or nobody does at this moment); ask again',
  WRITE_FENCED:
    'a write carried a partition epoch older than the current lease: another member serves the partition now',
  CLUSTER_UNAVAILABLE: 'this member cannot take part in the cluster now (Redis or Postgres unreachable, leases lost)',
  CLUSTER_FORWARD_FAILED: 'the member that serves the chat could not be reached',
} as const satisfies Readonly<Record<string, string>>;

/** A code a `LekhaError` may carry: one of the keys of {@link ERROR_CODES}. */
export type LekhaErrorCode = keyof typeof ERROR_CODES;
