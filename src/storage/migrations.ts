/**
 * One forward-only step of the schema. Applied migrations are recorded with
 * a checksum of their statements; never edit one that has shipped — add the
 * next number instead.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Run in order, in one transaction with the record of the migration. */
  readonly statements: readonly string[];
}

// Conventions of this schema:
// - Telegram ids (chats, users, messages) are `bigint`.
// - Text a user wrote or that describes a person lives in `*_cipher bytea`
//   with a `*_key_id` next to it: the ciphertext (nonce and tag included)
//   and the id of the key that made it, so keys can be rotated row by row.
//   Key id 0 means "stored as plain UTF-8" (no ENCRYPTION_KEY configured).
// - Tables written behind in batches by different writers carry no foreign
//   keys between each other: one batch would otherwise fail on another
//   batch's ordering alone. Erasing a user (GDPR) deletes across tables
//   explicitly, by the indexed user and chat columns below.

const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  statements: [
    `CREATE TABLE chats (
      id bigint PRIMARY KEY,
      type text NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
      title text,
      username text,
      mode text NOT NULL DEFAULT 'normal',
      settings jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_activity_at timestamptz
    )`,
    // Admin chat list, most active first.
    `CREATE INDEX chats_by_activity ON chats (last_activity_at DESC NULLS LAST, id)`,

    `CREATE TABLE users (
      id bigint PRIMARY KEY,
      username text,
      first_name text NOT NULL DEFAULT '',
      last_name text,
      language_code text,
      is_bot boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    // Admin user lookup by @username, case-insensitive as Telegram treats it.
    `CREATE INDEX users_by_username ON users (lower(username)) WHERE username IS NOT NULL`,

    `CREATE TABLE members (
      chat_id bigint NOT NULL,
      user_id bigint NOT NULL,
      status text NOT NULL DEFAULT 'member',
      profile jsonb NOT NULL DEFAULT '{}'::jsonb,
      message_count bigint NOT NULL DEFAULT 0 CHECK (message_count >= 0),
      reply_count bigint NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
      mention_count bigint NOT NULL DEFAULT 0 CHECK (mention_count >= 0),
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (chat_id, user_id)
    )`,
    // A user's chats (admin user page, GDPR export/erase).
    `CREATE INDEX members_by_user ON members (user_id)`,
    // A chat's most active members (chat report).
    `CREATE INDEX members_by_chat_activity ON members (chat_id, last_seen_at DESC)`,

    `CREATE TABLE messages (
      chat_id bigint NOT NULL,
      message_id bigint NOT NULL,
      user_id bigint,
      reply_to_message_id bigint,
      sent_at timestamptz NOT NULL,
      kind text NOT NULL DEFAULT 'text',
      text_cipher bytea,
      text_key_id integer NOT NULL DEFAULT 0 CHECK (text_key_id >= 0),
      PRIMARY KEY (chat_id, message_id)
    )`,
    // Message history of a chat by date (admin history, chat report, recovery).
    `CREATE INDEX messages_by_chat_date ON messages (chat_id, sent_at DESC)`,
    // Everything a user wrote (admin user page, /mydata, /forgetme).
    `CREATE INDEX messages_by_user ON messages (user_id, sent_at DESC) WHERE user_id IS NOT NULL`,
    // Retention: deleting everything older than a date; BRIN stays tiny on append-only data.
    `CREATE INDEX messages_by_date ON messages USING brin (sent_at)`,
    // Full-text search over message text is deliberately not indexed here:
    // the text is encrypted at rest, so Postgres cannot index it. The search
    // design (a keyed blind index of normalised words, or searching decrypted
    // text of a bounded date range) comes with encryption; it adds its own
    // column and GIN index in a later migration.

    // Every row is rewritten at each flush of its chat: free space in each
    // page lets Postgres update in place (HOT) without touching the index.
    `CREATE TABLE snapshots (
      key text PRIMARY KEY,
      schema_version integer NOT NULL CHECK (schema_version > 0),
      seq bigint NOT NULL CHECK (seq >= 0),
      bytes bytea NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    ) WITH (fillfactor = 50)`,
    // Keys whose Redis copy may be older than the row in snapshots (a Redis
    // write failed after or while Postgres took the newer one). Reads skip
    // Redis for them until Redis holds a copy at least as new again.
    `CREATE TABLE snapshot_hot_stale (
      key text PRIMARY KEY,
      marked_at timestamptz NOT NULL DEFAULT now()
    )`,

    `CREATE TABLE memories (
      chat_id bigint NOT NULL,
      id bigint NOT NULL,
      user_id bigint,
      text_cipher bytea,
      text_key_id integer NOT NULL DEFAULT 0 CHECK (text_key_id >= 0),
      embedder text NOT NULL,
      dims integer NOT NULL CHECK (dims > 0),
      vector bytea NOT NULL CHECK (length(vector) = dims * 4),
      feedback integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (chat_id, id)
    )`,
    // Rebuilding a chat's index and retention run by chat and age.
    `CREATE INDEX memories_by_chat_date ON memories (chat_id, created_at)`,
    `CREATE INDEX memories_by_user ON memories (user_id) WHERE user_id IS NOT NULL`,

    `CREATE TABLE reminders (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      chat_id bigint NOT NULL,
      user_id bigint,
      text_cipher bytea,
      text_key_id integer NOT NULL DEFAULT 0 CHECK (text_key_id >= 0),
      due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      locked_by text,
      locked_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    // Claiming due reminders (FOR UPDATE SKIP LOCKED) reads only pending ones.
    `CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending'`,
    `CREATE INDEX reminders_by_chat ON reminders (chat_id, due_at)`,
    `CREATE INDEX reminders_by_user ON reminders (user_id) WHERE user_id IS NOT NULL`,

    `CREATE TABLE audit_log (
      id uuid PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      role text,
      action text NOT NULL,
      target text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      ip text
    )`,
    `CREATE INDEX audit_log_by_date ON audit_log (at DESC)`,
    `CREATE INDEX audit_log_by_actor ON audit_log (actor, at DESC)`,

    `CREATE TABLE admin_tokens (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      token_hash bytea NOT NULL UNIQUE,
      label text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`,
  ],
};

// What the admin API needs from the schema.
//
// Message search: a `search_tsv` column holds the words of the text under
// both the `russian` and the `english` configuration (the Russian one
// stems Cyrillic words, the English one Latin ones), indexed with GIN. A
// generated column cannot compute it — `convert_from` is only STABLE — so a
// trigger fills it on insert and on a change of the text. Only plaintext rows
// (key id 0) get a vector: ciphertext has no words. When encryption at rest
// lands, its migration indexes encrypted rows by a keyed blind index of the
// normalised words (HMAC of each stemmed lexeme, stored as a tsvector of
// digests and searched with the digests of the query's lexemes), so the
// index reveals nothing without the key and the search query stays the same.
const adminApi: Migration = {
  version: 2,
  name: 'admin api: message search, token ids, audit details',
  statements: [
    `ALTER TABLE messages ADD COLUMN search_tsv tsvector`,
    `CREATE FUNCTION messages_search_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.text_key_id = 0 AND NEW.text_cipher IS NOT NULL THEN
        NEW.search_tsv := to_tsvector('russian', convert_from(NEW.text_cipher, 'UTF8'))
          || to_tsvector('english', convert_from(NEW.text_cipher, 'UTF8'));
      ELSE
        NEW.search_tsv := NULL;
      END IF;
      RETURN NEW;
    END
    $$`,
    `CREATE TRIGGER messages_search_tsv BEFORE INSERT OR UPDATE OF text_cipher, text_key_id ON messages
      FOR EACH ROW EXECUTE FUNCTION messages_search_tsv()`,
    // Rows stored before this migration: the trigger fills them.
    `UPDATE messages SET text_key_id = text_key_id WHERE text_key_id = 0 AND text_cipher IS NOT NULL`,
    `CREATE INDEX messages_search ON messages USING gin (search_tsv)`,

    // Tokens are named by a short public id (shown by `lekha token list`,
    // used by `lekha token revoke`) that is not derived from the secret.
    `ALTER TABLE admin_tokens ADD COLUMN public_id text`,
    `UPDATE admin_tokens SET public_id = id::text`,
    `ALTER TABLE admin_tokens ALTER COLUMN public_id SET NOT NULL`,
    `CREATE UNIQUE INDEX admin_tokens_by_public_id ON admin_tokens (public_id)`,
    `ALTER TABLE admin_tokens ADD COLUMN created_by text`,

    // Audit rows are listed newest first by a sequence (a stable keyset
    // cursor; the UUID stays the idempotency key of batched writers).
    `ALTER TABLE audit_log ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`,
    `CREATE UNIQUE INDEX audit_log_by_seq ON audit_log (seq DESC)`,
    `ALTER TABLE audit_log ADD COLUMN actor_label text`,
    `ALTER TABLE audit_log ADD COLUMN user_agent text`,
    `ALTER TABLE audit_log ADD COLUMN outcome text NOT NULL DEFAULT 'ok' CHECK (outcome IN ('ok', 'error'))`,
    `ALTER TABLE audit_log ADD COLUMN status_code integer`,
    `CREATE INDEX audit_log_by_target ON audit_log (target, seq DESC)`,
  ],
};

// Long-term memory. Ids and revisions come from one sequence: an id is never
// reused (HNSW labels stay unique), and every insert or feedback change
// takes a new revision, so (max revision, row count) of a chat identifies
// one state of its memories; an index file written at another is stale.
const longTermMemory: Migration = {
  version: 3,
  name: 'long-term memory: kinds, feedback targets, revisions',
  statements: [
    `CREATE SEQUENCE memory_ids`,
    `ALTER TABLE memories ADD COLUMN kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('fact', 'message', 'bot'))`,
    `ALTER TABLE memories ADD COLUMN message_id bigint NOT NULL DEFAULT 0`,
    `ALTER TABLE memories ADD COLUMN recalled_ids jsonb NOT NULL DEFAULT '[]'`,
    `ALTER TABLE memories ADD COLUMN revision bigint NOT NULL DEFAULT 0`,
    // One memory per message and kind: a message processed again after a
    // crash is not remembered twice. Feedback finds a bot reply by it too.
    `CREATE UNIQUE INDEX memories_by_message ON memories (chat_id, kind, message_id) WHERE message_id <> 0`,
  ],
};

// Updates a quarantined chat could not take, kept so the Telegram offset can
// move past them; an admin replays or discards them. The update is personal
// data, stored like message text (`*_cipher` with its key id).
const deadLetters: Migration = {
  version: 4,
  name: 'dead letters: updates of quarantined chats',
  statements: [
    `CREATE TABLE dead_letters (
      id bigserial PRIMARY KEY,
      chat_id bigint NOT NULL,
      update_id bigint NOT NULL,
      reason text NOT NULL,
      update_cipher bytea NOT NULL,
      update_key_id integer NOT NULL DEFAULT 0,
      failed_at timestamptz NOT NULL,
      UNIQUE (chat_id, update_id)
    )`,
  ],
};

// An audited admin call whose change is applied elsewhere (a chat actor, the
// memory index) is recorded before the change as `requested` and completed
// with its outcome afterwards: a change never happens without its row.
const auditRequested: Migration = {
  version: 5,
  name: 'audit rows recorded before the change they describe',
  statements: [
    `ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check`,
    `ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('ok', 'error', 'requested'))`,
  ],
};

// Durable jobs: members' reminders and plugins' recurring jobs (src/ports/
// scheduler.ts has their life cycle). They replace the `reminders` table of
// migration 1, which no code ever read or wrote: no build wrote a row to it,
// so it is dropped rather than copied. The reminder text is personal data,
// stored like message text (`text_cipher` with its key id; 0 = plain UTF-8).
// Times are the scheduling process's clock, not the server's `now()`, so
// the same SQL runs under a test's clock.
const jobs: Migration = {
  version: 6,
  name: 'durable jobs replace the unused reminders table',
  statements: [
    `DROP TABLE reminders`,
    `CREATE TABLE jobs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL,
      key text,
      chat_id bigint,
      user_id bigint,
      text_cipher bytea,
      text_key_id integer NOT NULL DEFAULT 0 CHECK (text_key_id >= 0),
      due_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'claimed', 'delivering', 'done', 'failed', 'cancelled', 'in_doubt')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts integer NOT NULL CHECK (max_attempts > 0),
      schedule_kind text NOT NULL CHECK (schedule_kind IN ('once', 'every', 'cron')),
      every_ms bigint CHECK (every_ms > 0),
      cron_pattern text,
      time_zone text,
      missed_runs text NOT NULL CHECK (missed_runs IN ('run-once', 'skip')),
      last_error text,
      locked_by text,
      locked_until timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK ((schedule_kind = 'every') = (every_ms IS NOT NULL)),
      CHECK ((schedule_kind = 'cron') = (cron_pattern IS NOT NULL)),
      CHECK ((status IN ('claimed', 'delivering')) = (locked_until IS NOT NULL))
    )`,
    // Claiming reads due pending jobs in due order, and leases that ran out;
    // both partial, so finished jobs (most rows) cost the claim nothing.
    `CREATE INDEX jobs_due ON jobs (due_at, id) WHERE status = 'pending'`,
    `CREATE INDEX jobs_leased ON jobs (locked_until) WHERE status IN ('claimed', 'delivering')`,
    // A chat's and a member's upcoming reminders (`/reminders`, per-chat and
    // per-member limits). Only pending rows: every move of a job writes a new
    // row version into each index that covers it (its status is in their
    // predicates, so no update is HOT), and a run makes three moves. Finished
    // jobs of a member (GDPR erase) are found by a scan, which is rare.
    `CREATE INDEX jobs_by_chat ON jobs (chat_id, due_at) WHERE status = 'pending' AND chat_id IS NOT NULL`,
    `CREATE INDEX jobs_by_user ON jobs (user_id, chat_id) WHERE status = 'pending' AND user_id IS NOT NULL`,
    // Jobs an operator must look at (dashboard: failed and in doubt).
    `CREATE INDEX jobs_attention ON jobs (status, due_at, id) WHERE status IN ('failed', 'in_doubt')`,
    // One row per plugin's recurring job.
    `CREATE UNIQUE INDEX jobs_by_key ON jobs (key) WHERE key IS NOT NULL`,
  ],
};

// Operators' lasting choices about plugins (switched on or off for the
// whole bot, settings overrides). NULL means no choice: the plugin's default
// or its settings from the environment stand. Per-chat choices live in the
// chat's own settings, not here.
const pluginConfig: Migration = {
  version: 7,
  name: "operators' plugin choices",
  statements: [
    `CREATE TABLE plugin_config (
      name text PRIMARY KEY,
      enabled boolean,
      settings jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
};

// Encryption at rest (docs/security.md). Names and titles move from their
// plain columns into `*_cipher` columns with one key id per row (key id 0:
// plain UTF-8, as before), so a key can seal them and rotation can re-seal
// them row by row; the plain columns are emptied and no longer written.
// Encrypted rows are found through keyed digests the application computes:
// `username_digest` (exact @username), and tsvectors of digests of the
// stemmed words (`name_tsv`, `title_tsv`, and `messages.search_tsv` for
// encrypted text, which the trigger now keeps instead of clearing).
// `encryption_keys` records every key that has sealed data, by a public
// fingerprint, so a start with a missing or wrong key is refused at once.
const encryptionAtRest: Migration = {
  version: 8,
  name: 'encryption at rest: sealed names and titles, blind indexes, key registry',
  statements: [
    `CREATE TABLE encryption_keys (
      id integer PRIMARY KEY CHECK (id > 0),
      fingerprint text NOT NULL,
      first_used_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    )`,

    `ALTER TABLE users ADD COLUMN username_cipher bytea, ADD COLUMN first_name_cipher bytea,
      ADD COLUMN last_name_cipher bytea, ADD COLUMN name_key_id integer NOT NULL DEFAULT 0 CHECK (name_key_id >= 0),
      ADD COLUMN username_digest text, ADD COLUMN name_tsv tsvector`,
    `UPDATE users SET username_cipher = convert_to(username, 'UTF8'), first_name_cipher = convert_to(first_name, 'UTF8'),
      last_name_cipher = convert_to(last_name, 'UTF8'), username = NULL, first_name = '', last_name = NULL`,
    `DROP INDEX users_by_username`,
    `CREATE INDEX users_by_username_digest ON users (username_digest) WHERE username_digest IS NOT NULL`,
    `CREATE INDEX users_name_search ON users USING gin (name_tsv)`,

    `ALTER TABLE chats ADD COLUMN title_cipher bytea, ADD COLUMN username_cipher bytea,
      ADD COLUMN name_key_id integer NOT NULL DEFAULT 0 CHECK (name_key_id >= 0), ADD COLUMN title_tsv tsvector`,
    `UPDATE chats SET title_cipher = convert_to(title, 'UTF8'), username_cipher = convert_to(username, 'UTF8'),
      title = NULL, username = NULL`,
    `CREATE INDEX chats_title_search ON chats USING gin (title_tsv)`,

    // Plaintext rows (key id 0) are indexed by Postgres as before; for
    // encrypted ones the row carries the blind index the application wrote.
    `CREATE OR REPLACE FUNCTION messages_search_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.text_key_id = 0 THEN
        IF NEW.text_cipher IS NOT NULL THEN
          NEW.search_tsv := to_tsvector('russian', convert_from(NEW.text_cipher, 'UTF8'))
            || to_tsvector('english', convert_from(NEW.text_cipher, 'UTF8'));
        ELSE
          NEW.search_tsv := NULL;
        END IF;
      END IF;
      RETURN NEW;
    END
    $$`,
    `ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_update_key_id_check CHECK (update_key_id >= 0)`,
  ],
};

// GDPR erasures in progress: each step of an erasure is idempotent and the
// number of steps done is recorded, so one cut short by a crash resumes where
// it stopped. The member's id is sealed like other personal fields and
// dropped when the erasure finishes; the pseudonym (keyed, see FieldCipher)
// is what remains, matching the audit rows of the erasure.
const privacyErasures: Migration = {
  version: 9,
  name: 'privacy: erasures that resume after a crash',
  statements: [
    `CREATE TABLE privacy_erasures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      pseudonym text NOT NULL,
      subject_cipher bytea,
      subject_key_id integer NOT NULL DEFAULT 0 CHECK (subject_key_id >= 0),
      step integer NOT NULL DEFAULT 0 CHECK (step >= 0),
      requested_at timestamptz NOT NULL,
      finished_at timestamptz,
      CHECK ((finished_at IS NULL) = (subject_cipher IS NOT NULL))
    )`,
    `CREATE INDEX privacy_erasures_unfinished ON privacy_erasures (id) WHERE finished_at IS NULL`,
  ],
};

// Dashboard logins (OpenID Connect, Telegram Login Widget). A session's
// secret lives only in the browser's cookie: the table keeps its SHA-256,
// looked up by the unique index. Telegram users an admin allowed to log in
// keep their role here; identity is the Telegram user id, never a name.
const adminSessions: Migration = {
  version: 10,
  name: 'dashboard login sessions and Telegram admins',
  statements: [
    `CREATE TABLE admin_sessions (
      public_id text PRIMARY KEY,
      session_hash bytea NOT NULL UNIQUE,
      method text NOT NULL CHECK (method IN ('oidc', 'telegram')),
      subject text NOT NULL,
      label text NOT NULL,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip text NOT NULL,
      user_agent text
    )`,
    `CREATE TABLE telegram_admins (
      telegram_user_id bigint PRIMARY KEY,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      label text NOT NULL,
      granted_at timestamptz NOT NULL,
      granted_by text NOT NULL
    )`,
  ],
};

// A/B tests and what members thought of the bot's replies. One experiment
// at a time may be live (running or paused). Every reply the bot sends is a
// row of bot_replies (its text sealed like a message's), whatever the
// experiment; reply_signals append what members did about it (reactions,
// replies, quotes, follow-ups). Neither names a member: a reply's trigger
// is found through messages, which erasure and retention already cover.
const experiments: Migration = {
  version: 11,
  name: 'experiments, bot replies and their signals',
  statements: [
    `CREATE TABLE experiments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      unit text NOT NULL CHECK (unit IN ('chat', 'member')),
      variants jsonb NOT NULL,
      minimum_effect double precision NOT NULL CHECK (minimum_effect > 0 AND minimum_effect < 1),
      score_window_ms integer NOT NULL CHECK (score_window_ms > 0),
      status text NOT NULL CHECK (status IN ('running', 'paused', 'stopped')),
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      stopped_at timestamptz,
      CHECK ((status = 'stopped') = (stopped_at IS NOT NULL))
    )`,
    `CREATE UNIQUE INDEX experiments_one_live ON experiments ((true)) WHERE status <> 'stopped'`,
    `CREATE TABLE bot_replies (
      chat_id bigint NOT NULL,
      message_id bigint NOT NULL,
      trigger_message_id bigint NOT NULL,
      sent_at timestamptz NOT NULL,
      persona text NOT NULL,
      template text NOT NULL,
      experiment_id bigint,
      variant text,
      style_rules text[] NOT NULL DEFAULT '{}',
      text_cipher bytea,
      text_key_id integer NOT NULL DEFAULT 0 CHECK (text_key_id >= 0),
      PRIMARY KEY (chat_id, message_id),
      CHECK ((experiment_id IS NULL) = (variant IS NULL))
    )`,
    `CREATE INDEX bot_replies_by_experiment ON bot_replies (experiment_id, sent_at) WHERE experiment_id IS NOT NULL`,
    `CREATE INDEX bot_replies_by_trigger ON bot_replies (chat_id, trigger_message_id)`,
    `CREATE INDEX bot_replies_by_date ON bot_replies USING brin (sent_at)`,
    `CREATE TABLE reply_signals (
      chat_id bigint NOT NULL,
      message_id bigint NOT NULL,
      kind text NOT NULL CHECK (kind IN ('reaction', 'reply', 'quote', 'followup', 'continued', 'rate')),
      value real NOT NULL,
      at timestamptz NOT NULL
    )`,
    `CREATE INDEX reply_signals_by_reply ON reply_signals (chat_id, message_id)`,
    `CREATE INDEX reply_signals_by_date ON reply_signals USING brin (at)`,
  ],
};

// Personas defined from the dashboard. Every save is a new row (the
// version), so what built an old reply can still be shown and exported;
// retiring hides all versions of a name. name_key is the name folded as
// chats look personas up (lower case, ё as е).
const dashboardPersonas: Migration = {
  version: 12,
  name: 'personas defined from the dashboard',
  statements: [
    `CREATE TABLE personas (
      name_key text NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      definition jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      created_by text NOT NULL,
      retired_at timestamptz,
      PRIMARY KEY (name_key, version)
    )`,
  ],
};

// Cluster mode (docs/cluster.md). A member says it is alive by moving
// heartbeat_at (and whether it holds the ingress lock); a partition is served by the member holding its lease, and
// every change of holder bumps the epoch that fences writes of the one before.
const clusterLeases: Migration = {
  version: 13,
  name: 'cluster members and partition leases',
  statements: [
    `CREATE TABLE cluster_members (
      member_id text PRIMARY KEY,
      http_url text,
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now(),
      stopping boolean NOT NULL DEFAULT false,
      leader boolean NOT NULL DEFAULT false
    )`,
    `CREATE TABLE partition_leases (
      partition integer PRIMARY KEY CHECK (partition >= 0),
      owner text,
      epoch bigint NOT NULL DEFAULT 0,
      expires_at timestamptz
    )`,
    // Secrets every member must share and no operator needs to set (the dashboard's CSRF key).
    `CREATE TABLE cluster_secrets (
      name text PRIMARY KEY,
      value bytea NOT NULL
    )`,
  ],
};

const unfinishedSnapshots: Migration = {
  version: 14,
  name: 'snapshots marked unfinished: replies a restart goes on with',
  statements: [
    // A chat whose snapshot holds a reply in flight is started again by the
    // next process (or the member taking its partition) without waiting for
    // a message. Few rows are marked at a time: a partial index finds them,
    // and a write that leaves the mark as it was stays a HOT update.
    `ALTER TABLE snapshots ADD COLUMN unfinished boolean NOT NULL DEFAULT false`,
    `CREATE INDEX snapshots_unfinished ON snapshots (key) WHERE unfinished`,
  ],
};

/** Every migration this build ships, in order. */
export const migrations: readonly Migration[] = [
  initialSchema,
  adminApi,
  longTermMemory,
  deadLetters,
  auditRequested,
  jobs,
  pluginConfig,
  encryptionAtRest,
  privacyErasures,
  adminSessions,
  experiments,
  dashboardPersonas,
  clusterLeases,
  unfinishedSnapshots,
];
