import { pino, type Logger } from 'pino';
import { type Config, secretKeys } from './schema.js';

/**
 * The process logger: JSON lines for machines, pretty lines on a terminal.
 * Secrets are redacted wherever they would appear under their own names.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, options: { pretty?: boolean } = {}): Logger {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'lekha' },
    redact: {
      paths: [...secretKeys, ...secretKeys.map((k) => `*.${k}`), 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } } } : {}),
  });
}
