#!/usr/bin/env node
import { type Config, ConfigError, createLogger, credentialsInEnv, loadConfig } from './config/index.js';
import { RecentErrorLog, runTokenCommand } from './http/index.js';
import { type Runtime, startRuntime } from './main.js';
import { type OpenedTokenStore, openTokenStore } from './open-token-store.js';
import { LekhaError, setHeapGrowth, SystemClock } from './runtime/index.js';
import { StartError } from './start-error.js';
import { Redis } from 'ioredis';
import { runKeysCommand } from './keys-command.js';
import { runBackupCommand, runRestoreCommand } from './backup-command.js';
import { runExportCommand } from './export-command.js';
import { fieldCipherOf } from './open-storage.js';
import { DataDirInUseError, KeyRotation, migrate, openDatabase } from './storage/index.js';

const usage = `Usage: lekha <command> [options]

Commands:
  start                 run the bot (sandbox mode when TELEGRAM_BOT_TOKEN is unset)
  migrate               bring the database schema up to date (also done by start)
  bench <scenario>      run a load benchmark (see docs/benchmarks.md); --quick, --json
  emulator              run the Bot API and Groq emulators for manual testing
  token create --role viewer|operator|admin [--label <text>]
                        make an admin API token (printed once); also: token list, token revoke <id>
  keys status|rotate    show which encryption keys stored data uses; re-encrypt it with the newest key
  backup [--out <file>] write the embedded database (DATA_DIR) to a .tar.gz; Postgres: use pg_dump
  restore <file> [--force]
                        replace the embedded database with a backup (the old one is kept beside it)
  export finetune --since <date> [--until <date>] [--min-score 0.5] [--format openai|sharegpt] --out <dir>
                        write the bot's scored replies as fine-tuning data (docs/personas.md#fine-tuning)
  help                  show this text

Configuration comes from environment variables; see "Configuration" in README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'migrate':
      return migrateCommand();
    case 'token': {
      const config = readConfig();
      if (typeof config === 'number') return config;
      const tokens = await openTokenStoreOrExplain(config);
      if (typeof tokens === 'number') return tokens;
      try {
        return await runTokenCommand(rest, {
          store: tokens.store,
          clock: new SystemClock(),
          out: (text) => process.stdout.write(`${text}\n`),
          err: (text) => process.stderr.write(`${text}\n`),
        });
      } finally {
        await tokens.close();
      }
    }
    case 'keys':
      return keysCommand(rest);
    case 'export': {
      const config = readConfig();
      if (typeof config === 'number') return config;
      return runExportCommand(rest, config, {
        out: (text) => process.stdout.write(`${text}\n`),
        err: (text) => process.stderr.write(`${text}\n`),
        now: () => new Date(),
      });
    }
    case 'backup':
    case 'restore': {
      const config = readConfig();
      if (typeof config === 'number') return config;
      const io = {
        out: (text: string) => process.stdout.write(`${text}\n`),
        err: (text: string) => process.stderr.write(`${text}\n`),
        now: () => new Date(),
      };
      return command === 'backup' ? runBackupCommand(rest, config, io) : runRestoreCommand(rest, config, io);
    }
    case 'bench': {
      const { benchMain } = await import('../bench/run.js');
      return benchMain(rest);
    }
    case 'emulator': {
      const { runEmulatorCommand } = await import('./sandbox/index.js');
      return runEmulatorCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${usage}\n`);
      return 0;
    default:
      process.stderr.write(`lekha: unknown command "${command}"\n\n${usage}\n`);
      return 2;
  }
}

/** The configuration, or the exit code after reporting why there is none. */
function readConfig(): Config | number {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lekha: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}

async function migrateCommand(): Promise<number> {
  const config = readConfig();
  if (typeof config === 'number') return config;
  const logger = createLogger(config);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  try {
    const report = await migrate(db, { logger });
    const applied = report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`;
    process.stdout.write(`schema version ${report.version} (${db.kind}): ${applied}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * `lekha keys …` against the configured database (migrated first) and
 * Redis hot tier, with the configured keys.
 */
async function keysCommand(argv: string[]): Promise<number> {
  const config = readConfig();
  if (typeof config === 'number') return config;
  const logger = createLogger(config);
  let db;
  try {
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    process.stderr.write(`lekha: ${error.message}: stop it first, or use a Postgres server (DATABASE_URL)\n`);
    return 1;
  }
  const redis = config.REDIS_URL === undefined ? undefined : new Redis(config.REDIS_URL, { lazyConnect: true });
  try {
    await migrate(db, { logger });
    await redis?.connect();
    const rotation = new KeyRotation({
      db,
      cipher: fieldCipherOf(config),
      redis,
      redisKeyPrefix: config.REDIS_KEY_PREFIX,
    });
    return await runKeysCommand(argv, {
      rotation,
      out: (text) => process.stdout.write(`${text}\n`),
      err: (text) => process.stderr.write(`${text}\n`),
    });
  } catch (error) {
    if (!(error instanceof LekhaError) || error.retryable) throw error;
    process.stderr.write(`lekha keys: ${error.message}\n`);
    return 1;
  } finally {
    redis?.disconnect();
    await db.close();
  }
}

/**
 * The token store, or the exit code after saying why not: with embedded
 * PGlite a running server holds the data directory, and a token written
 * beside it would be lost.
 */
async function openTokenStoreOrExplain(config: Config): Promise<OpenedTokenStore | number> {
  try {
    return await openTokenStore(config);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    process.stderr.write(
      `lekha: ${error.message}: manage tokens in the running server's dashboard or with POST /api/tokens, or stop it first\n`,
    );
    return 1;
  }
}

async function start(): Promise<number> {
  const config = readConfig();
  if (typeof config === 'number') return config;
  setHeapGrowth(config.HEAP_GROWTH_PERCENT);
  const errors = new RecentErrorLog();
  const logger = createLogger(config, { tap: errors, secrets: credentialsInEnv(process.env) });
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, logger, { errors });
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    // What was opened is closed already; one line says what to fix. The cause is not quoted: a Bot API URL carries the token.
    process.stderr.write(`lekha: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
    // A persona file is read at start, with the rest of the configuration's exit code.
    return error.code === 'CONFIG_INVALID' ? 78 : 1;
  }
  // Signals alone do not keep Node running; this timer does until a signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'stopping');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  clearInterval(keepAlive);
  const report = await runtime.stop();
  logger.info(report, 'stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const text =
      error instanceof LekhaError
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`lekha: ${text}\n`);
    process.exitCode = 1;
  },
);
