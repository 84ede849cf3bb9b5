#!/usr/bin/env node
import { type Config, ConfigError, createLogger, loadConfig } from './config/index.js';
import { RecentErrorLog, runTokenCommand } from './http/index.js';
import { SystemClock } from './runtime/index.js';
import { openTokenStore, startRuntime } from './main.js';

const usage = `Usage: lekha <command> [options]

Commands:
  start                 run the bot (sandbox mode when TELEGRAM_BOT_TOKEN is unset)
  bench <scenario>      run a load benchmark (see README); --quick, --json
  token create --role viewer|operator|admin [--label <text>]
                        make an admin API token (printed once); also: token list, token revoke <id>
  help                  show this text

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'token': {
      const config = readConfig();
      if (config === undefined) return 78;
      return runTokenCommand(rest, {
        store: openTokenStore(config),
        clock: new SystemClock(),
        out: (text) => process.stdout.write(`${text}\n`),
        err: (text) => process.stderr.write(`${text}\n`),
      });
    }
    case 'bench': {
      const { runBench } = await import('../bench/run.js');
      return runBench(rest);
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

/** The configuration, or undefined after explaining on stderr what is wrong with it. */
function readConfig(): Config | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lekha: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

async function start(): Promise<number> {
  const config = readConfig();
  if (config === undefined) return 78; // EX_CONFIG
  const errors = new RecentErrorLog();
  const logger = createLogger(config, { tap: errors });
  const runtime = await startRuntime(config, logger, { errors });
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
    process.stderr.write(`lekha: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
