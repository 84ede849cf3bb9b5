import { z } from 'zod';
import { MAX_HEAP_GROWTH_PERCENT } from '../runtime/index.js';
import { EncryptionKeysInvalid, encryptionKeysOf } from './encryption-keys.js';
import { parseOidcRoles } from './oidc-roles.js';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const url = z.url({ protocol: /^https?$/ });
const optionalSecret = z.string().min(1).optional();
/** A comma-separated list; blanks around and between items are dropped. */
const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/**
 * Every setting Lekha reads, from the environment. Names and meanings are
 * the contract of DESIGN.md §10; defaults make `lekha start` work with no
 * environment at all (sandbox mode, embedded database).
 */
export const configSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a bot token like 123456:ABC-DEF… from @BotFather')
      .optional(),
    TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
    TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
    WEBHOOK_URL: url.optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1–256 characters of A–Z, a–z, 0–9, _ and - (Telegram secret_token)')
      .optional(),
    GROQ_API_KEY: optionalSecret,
    GROQ_BASE_URL: url.optional(),
    GROQ_MODEL: z.string().min(1).default('llama-3.1-8b-instant'),
    GROQ_FALLBACK_MODELS: commaList,
    GROQ_TIMEOUT_MS: positiveInt.default(20_000),
    GROQ_MAX_TOKENS: positiveInt.default(512),
    GROQ_RPM: positiveInt.default(30),
    GROQ_TPM: positiveInt.default(6_000),
    GROQ_MAX_CONCURRENCY: positiveInt.default(16),
    LLM_DAILY_TOKENS_PER_CHAT: z.coerce.number().int().min(0).default(0),
    LLM_DAILY_TOKENS_PER_USER: z.coerce.number().int().min(0).default(0),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// connection URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'expected 1–64 characters of A–Z, a–z, 0–9, :, _, . and -')
      .default('lekha:'),
    REDIS_SNAPSHOT_TTL_S: z.coerce
      .number()
      .int()
      .min(0)
      .default(7 * 24 * 3600),
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: port.default(8080),
    ADMIN_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
    ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`')
      .optional(),
    /** Keys by id for rotation, `id:base64,…`; the highest id writes (src/config/encryption-keys.ts). */
    ENCRYPTION_KEYS: z.string().min(1).optional(),
    EMBEDDER: z.enum(['hash', 'transformers']).default('hash'),
    MODEL_DIR: z.string().min(1).optional(),
    MODEL_NAME: z.string().min(1).default('Xenova/paraphrase-multilingual-MiniLM-L12-v2'),
    MODEL_DTYPE: z.enum(['fp32', 'q8']).default('fp32'),
    MODEL_ALLOW_DOWNLOAD: z
      .enum(['true', 'false'], { message: 'expected true or false' })
      .default('false')
      .transform((v) => v === 'true'),
    EMBED_THREADS: z.coerce.number().int().min(0).default(0),
    EMBED_MAX_QUEUE: positiveInt.default(256),
    MEMORY_SHARDS: positiveInt.max(64).default(2),
    MEMORY_MAX_PER_CHAT: positiveInt.default(20_000),
    MEMORY_MAX_AGE_DAYS: positiveInt.default(365),
    MEMORY_IDLE_UNLOAD_MS: positiveInt.default(600_000),
    RECALL_TIMEOUT_MS: positiveInt.default(250),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unsafe, for debugging only: message text, names and chat titles at debug level, errors and request lines whole (personal data in the logs). */
    LOG_UNSAFE_CONTENT: z
      .enum(['true', 'false'], { message: 'expected true or false' })
      .default('false')
      .transform((v) => v === 'true'),
    SNAPSHOT_INTERVAL_MS: positiveInt.default(1000),
    MAILBOX_CAPACITY: positiveInt.default(1000),
    ACTOR_IDLE_MS: z.coerce.number().int().min(0).default(600_000),
    MAX_LIVE_ACTORS: positiveInt.default(100_000),
    SHUTDOWN_DEADLINE_MS: positiveInt.default(10_000),
    /** How far the V8 heap may grow past what lives before a full collection, in percent; 0: V8's own choice (src/runtime/heap-growth.ts). */
    HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(MAX_HEAP_GROWTH_PERCENT).default(100),
    /** Messages older than this many days are deleted (the `messages` table); 0 keeps them forever. */
    RETENTION_MESSAGES_DAYS: z.coerce.number().int().min(0).default(365),
    /** Audit rows older than this many days are deleted; 0 keeps them forever. */
    RETENTION_AUDIT_DAYS: z.coerce.number().int().min(0).default(0),
    POLLING_STALL_MS: positiveInt.default(60_000),
    /** Plugin modules to load besides the built-in ones: package names or paths, comma-separated. */
    PLUGINS: commaList,
    /** A JSON file of plugin choices for the whole bot: `{ "<plugin>": { "enabled": true, "settings": { … } } }`. */
    PLUGINS_CONFIG: z.string().min(1).optional(),
    /**
     * A YAML or JSON file of personas: `personas: [...]` and optionally
     * `default: <name>` (see docs/personas.md). Unset: Лёха alone.
     */
    PERSONA_FILE: z.string().min(1).optional(),
    /** The default persona's name, for a quick start without a persona file (it answers to the name's case forms). */
    PERSONA_NAME: z.string().trim().min(1).max(40).optional(),
    /** What the default persona answers to instead, comma-separated; each word's Russian case forms count too. */
    PERSONA_ALIASES: z
      .string()
      .optional()
      .transform((s) =>
        s === undefined
          ? undefined
          : s
              .split(',')
              .map((a) => a.trim())
              .filter((a) => a.length > 0),
      ),
    /** The longest a plugin's handler may run. */
    PLUGIN_TIMEOUT_MS: positiveInt.default(10_000),
    /**
     * Where browsers reach the dashboard (e.g. `https://lekha.example.com`):
     * the base of login redirect URIs. `https` makes session cookies Secure.
     */
    PUBLIC_URL: url.optional(),
    /** OpenID Connect issuer for dashboard logins (its discovery document is read at start). */
    OIDC_ISSUER: url.optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: optionalSecret,
    OIDC_SCOPES: z.string().min(1).default('openid email profile'),
    /** The ID token / userinfo claim that `group:` entries of OIDC_ROLES match (a string or a list). */
    OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
    OIDC_ROLES: commaList.transform((entries, ctx) => {
      const rules = parseOidcRoles(entries);
      if (typeof rules === 'string') {
        ctx.addIssue({ code: 'custom', message: rules });
        return z.NEVER;
      }
      return rules;
    }),
    /** `on`: several processes share the chats through Redis Streams and Postgres leases (docs/cluster.md). */
    CLUSTER_MODE: z.enum(['on', 'off'], { message: 'expected on or off' }).default('off'),
    /** How many partitions the chats are spread over; fixed for the life of a deployment. */
    PARTITIONS: positiveInt.max(4096).default(64),
    /** This process's name in the cluster (unique among the live ones); default: host, pid and a random suffix. */
    CLUSTER_MEMBER_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1–64 characters of A–Z, a–z, 0–9, _, ., : and -')
      .optional(),
    /** A partition lease (and a member's heartbeat) runs out this long after its last renewal. */
    CLUSTER_LEASE_MS: positiveInt.min(1000).default(5000),
    /** How often a member renews its heartbeat and leases and looks at the others. */
    CLUSTER_HEARTBEAT_MS: positiveInt.min(50).default(1000),
    /** Where the other members reach this process's admin HTTP; default: http://HTTP_HOST:<port it listens on>. */
    CLUSTER_ADVERTISE_URL: url.optional(),
    /** Redis replicas an ingress append must reach (WAIT) before Telegram may forget the update; 0: the primary's answer. */
    REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(16).default(0),
    REDIS_WAIT_TIMEOUT_MS: positiveInt.default(1000),
    /** The bot's @username (without @) for the Telegram Login Widget; verification uses TELEGRAM_BOT_TOKEN. */
    TELEGRAM_LOGIN_BOT: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'expected the bot username without @, e.g. lekha_bot')
      .optional(),
    /** How old Telegram login data may be (its `auth_date`). */
    TELEGRAM_LOGIN_MAX_AGE_S: positiveInt.default(24 * 3600),
    /** A dashboard session ends after this long without a request… */
    SESSION_IDLE_S: positiveInt.default(3600),
    /** …and this long after login, whatever its activity. */
    SESSION_MAX_AGE_S: positiveInt.default(12 * 3600),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_MODE === 'webhook') {
      if (env.WEBHOOK_URL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'required when TELEGRAM_MODE=webhook' });
      }
      if (env.WEBHOOK_SECRET === undefined) {
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'required when TELEGRAM_MODE=webhook' });
      }
    }
    const keys = encryptionKeysOf(env);
    if (keys instanceof EncryptionKeysInvalid) {
      ctx.addIssue({ code: 'custom', path: [keys.variable], message: keys.message });
    }
    if (env.OIDC_ISSUER !== undefined) {
      for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PUBLIC_URL'] as const) {
        if (env[name] === undefined)
          ctx.addIssue({ code: 'custom', path: [name], message: 'required when OIDC_ISSUER is set' });
      }
      if (env.OIDC_ROLES.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['OIDC_ROLES'],
          message:
            'required when OIDC_ISSUER is set: who gets which role, e.g. admin:alice@example.com,viewer:group:ops',
        });
      }
      if (!env.OIDC_SCOPES.split(' ').includes('openid')) {
        ctx.addIssue({ code: 'custom', path: ['OIDC_SCOPES'], message: 'must include openid' });
      }
      if (new URL(env.OIDC_ISSUER).protocol === 'http:' && !isLoopback(env.OIDC_ISSUER)) {
        ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'expected https (http only for localhost)' });
      }
    } else {
      for (const name of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
        if (env[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'needs OIDC_ISSUER' });
      }
    }
    if (env.TELEGRAM_LOGIN_BOT !== undefined) {
      if (env.TELEGRAM_BOT_TOKEN === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['TELEGRAM_BOT_TOKEN'],
          message: "required when TELEGRAM_LOGIN_BOT is set (it checks the widget's signature)",
        });
      }
      if (env.PUBLIC_URL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'required when TELEGRAM_LOGIN_BOT is set' });
      }
    }
    if (env.SESSION_IDLE_S > env.SESSION_MAX_AGE_S) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_IDLE_S'], message: 'must not exceed SESSION_MAX_AGE_S' });
    }
    if (env.CLUSTER_MODE === 'on') {
      if (env.DATABASE_URL === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['DATABASE_URL'],
          message:
            "required when CLUSTER_MODE=on (a Postgres server every member reaches; the embedded database is one process's)",
        });
      if (env.REDIS_URL === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['REDIS_URL'],
          message: 'required when CLUSTER_MODE=on (it carries the update streams)',
        });
      if (env.TELEGRAM_BOT_TOKEN === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['TELEGRAM_BOT_TOKEN'],
          message: 'required when CLUSTER_MODE=on (the sandbox is one process)',
        });
      if (env.CLUSTER_HEARTBEAT_MS * 3 > env.CLUSTER_LEASE_MS)
        ctx.addIssue({
          code: 'custom',
          path: ['CLUSTER_HEARTBEAT_MS'],
          message: 'must be at most a third of CLUSTER_LEASE_MS (a lease is renewed several times before it runs out)',
        });
    }
    if (env.EMBEDDER === 'transformers' && env.MODEL_DIR === undefined) {
      ctx.addIssue({ code: 'custom', path: ['MODEL_DIR'], message: 'required when EMBEDDER=transformers' });
    }
  });

function isLoopback(address: string): boolean {
  const host = new URL(address).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export type Config = z.output<typeof configSchema>;

/** Names of the secrets: never logged, never echoed in errors. */
export const secretKeys = [
  'TELEGRAM_BOT_TOKEN',
  'WEBHOOK_SECRET',
  'GROQ_API_KEY',
  'ADMIN_TOKEN',
  'ENCRYPTION_KEY',
  'ENCRYPTION_KEYS',
  'OIDC_CLIENT_SECRET',
] as const;
