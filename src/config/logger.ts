import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import { type Config, secretKeys } from './schema.js';

const prettyOptions = { colorize: true, translateTime: 'HH:MM:ss.l' };

/**
 * The process logger: JSON lines for machines, pretty lines on a terminal.
 * Secrets are redacted wherever they would appear under their own names.
 * `tap`, when given, also receives every warn-and-above line (whatever
 * LOG_LEVEL is): the dashboard's recent-errors panel reads it.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, options: { pretty?: boolean; tap?: DestinationStream } = {}): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const base: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: 'lekha' },
    redact: {
      paths: [...secretKeys, ...secretKeys.map((k) => `*.${k}`), 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]'],
      censor: '[redacted]',
    },
  };
  if (options.tap === undefined) {
    return pino({ ...base, ...(pretty ? { transport: { target: 'pino-pretty', options: prettyOptions } } : {}) });
  }
  const streams: pino.StreamEntry[] = [{ level: 'warn', stream: options.tap }];
  if (config.LOG_LEVEL !== 'silent') {
    streams.push({ level: config.LOG_LEVEL, stream: pretty ? prettyStream(prettyOptions) : pino.destination(1) });
  }
  const quietest = config.LOG_LEVEL === 'silent' || pino.levels.values[config.LOG_LEVEL]! > pino.levels.values.warn! ? 'warn' : config.LOG_LEVEL;
  return pino({ ...base, level: quietest }, pino.multistream(streams));
}
