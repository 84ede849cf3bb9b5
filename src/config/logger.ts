import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import { contentSafeErrors } from './content-safe-errors.js';
import { contentSafeRequest } from './content-safe-request.js';
import { type Config, secretKeys } from './schema.js';
import { type SecretSettings, secretScrubber } from './secret-scrubber.js';

const prettyOptions = { colorize: true, translateTime: 'HH:MM:ss.l' };

/** What the logger needs from the configuration: the level, the content switch, and the secrets it must never write. */
export type LoggerSettings = Pick<Config, 'LOG_LEVEL'> & Partial<Pick<Config, 'LOG_UNSAFE_CONTENT'>> & SecretSettings;

export interface LoggerOptionsForProcess {
  /** Pretty lines instead of JSON (default: when stdout is a terminal). */
  pretty?: boolean;
  /** Also receives every warn-and-above line, whatever LOG_LEVEL is. */
  tap?: DestinationStream;
  /** Where lines go instead of stdout (JSON, never pretty). */
  destination?: DestinationStream;
  /** More values no line may carry, besides the configured secrets (plugins' keys, see `credentialsInEnv`). */
  secrets?: readonly string[];
}

/**
 * The process logger: JSON lines for machines, pretty lines on a terminal.
 *
 * No line carries a secret: secrets are redacted under their own names, and
 * every written line (messages, nested error messages, causes, stacks) has
 * the configured secret values and anything shaped like a bot token
 * replaced. Errors lose the fields that carry user content (see
 * {@link contentSafeErrors}) and request lines their query values (see
 * {@link contentSafeRequest}) unless LOG_UNSAFE_CONTENT is on.
 * `tap`, when given, also receives every warn-and-above line (whatever
 * LOG_LEVEL is): the dashboard's recent-errors panel reads it.
 */
export function createLogger(config: LoggerSettings, options: LoggerOptionsForProcess = {}): Logger {
  const pretty = options.destination === undefined && (options.pretty ?? process.stdout.isTTY === true);
  const base: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: 'lekha' },
    redact: {
      paths: [
        ...secretKeys,
        ...secretKeys.map((k) => `*.${k}`),
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'req.headers.authorization',
        'req.headers["x-telegram-bot-api-secret-token"]',
      ],
      censor: '[redacted]',
    },
    serializers: config.LOG_UNSAFE_CONTENT === true ? {} : { err: contentSafeErrors, req: contentSafeRequest },
    hooks: { streamWrite: secretScrubber(config, options.secrets) },
  };
  if (options.tap === undefined) {
    if (options.destination !== undefined) return pino(base, options.destination);
    return pino({ ...base, ...(pretty ? { transport: { target: 'pino-pretty', options: prettyOptions } } : {}) });
  }
  const streams: pino.StreamEntry[] = [{ level: 'warn', stream: options.tap }];
  if (config.LOG_LEVEL !== 'silent') {
    streams.push({
      level: config.LOG_LEVEL,
      stream: options.destination ?? (pretty ? prettyStream(prettyOptions) : pino.destination(1)),
    });
  }
  const quietest =
    config.LOG_LEVEL === 'silent' || pino.levels.values[config.LOG_LEVEL]! > pino.levels.values.warn!
      ? 'warn'
      : config.LOG_LEVEL;
  return pino({ ...base, level: quietest }, pino.multistream(streams));
}
