#!/usr/bin/env node
import { ConfigError, createLogger, loadConfig } from './config/index.js';
import { startRuntime } from './main.js';

const usage = `Usage: lekha <command> [options]

Commands:
  start                 run the bot (sandbox mode when TELEGRAM_BOT_TOKEN is unset)
  bench <scenario>      run a load benchmark (see README); --quick, --json
  emulator              run the Bot API and Groq emulators for manual testing
  help                  show this text

Configuration comes from environment variables; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start();
    case 'bench': {
      const { runBench } = await import('../bench/run.js');
      return runBench(rest);
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

async function start(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`lekha: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config);
  const runtime = await startRuntime(config, logger);
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
