import { type Config, secretKeys } from './config/index.js';
import { HttpListenError } from './http/index.js';
import { LekhaError, type LekhaErrorCode } from './runtime/index.js';
import { DataDirInUseError } from './storage/index.js';
import { TelegramApiError } from './telegram/index.js';

/** What a start error may quote: the values it names, and the secrets it must never show. */
export type StartErrorConfig = Pick<Config, 'TELEGRAM_API_ROOT' | 'WEBHOOK_URL' | (typeof secretKeys)[number]>;

/**
 * Why the runtime could not start, as one line an operator can act on: the
 * cause and the variable to change. The message never carries a secret:
 * what it quotes from elsewhere is scrubbed of the configured secrets and
 * of anything in a Bot API token's place. `cause` keeps the original error.
 */
export class StartError extends LekhaError {
  constructor(code: LekhaErrorCode, message: string, options: { cause: unknown; retryable: boolean }) {
    super(code, message, options);
  }
}

/** Socket error codes and the step that raises them, as Node spells them (`connect ECONNREFUSED`). */
const SYSCALL_OF: Record<string, string> = {
  ECONNREFUSED: 'connect',
  ETIMEDOUT: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  ECONNRESET: 'read',
  EPIPE: 'write',
  ENOTFOUND: 'getaddrinfo',
  EAI_AGAIN: 'getaddrinfo',
};

/**
 * The start error for what a start step threw. `sandbox`: the Bot API was
 * the built-in emulator, not `TELEGRAM_API_ROOT`.
 */
export function toStartError(error: unknown, config: StartErrorConfig, sandbox: boolean): StartError {
  if (error instanceof StartError) return error;
  const say = (code: LekhaErrorCode, message: string, retryable: boolean): StartError =>
    new StartError(code, scrub(message, config), { cause: error, retryable });
  const telegram = sandbox ? "the sandbox's Bot API emulator" : `TELEGRAM_API_ROOT=${config.TELEGRAM_API_ROOT}`;
  if (error instanceof TelegramApiError) {
    const answer = `${error.errorCode} ${error.description}`;
    if (error.errorCode === 401 || error.errorCode === 404) {
      return say(
        'TELEGRAM_TOKEN_REFUSED',
        `TELEGRAM_BOT_TOKEN was refused by Telegram (${answer}): check the token from @BotFather`,
        false,
      );
    }
    if (error.errorCode === undefined)
      return say(
        'TELEGRAM_UNREACHABLE',
        `cannot reach Telegram at ${telegram}: ${networkReason(error.description)}`,
        true,
      );
    if (error.method === 'setWebhook') {
      return say(
        'TELEGRAM_WEBHOOK_REFUSED',
        `Telegram refused WEBHOOK_URL=${config.WEBHOOK_URL ?? ''} (${answer}): use a public HTTPS URL that reaches this server`,
        false,
      );
    }
    return say('TELEGRAM_REFUSED', `Telegram at ${telegram} answered ${error.method} with ${answer}`, error.retryable);
  }
  if (error instanceof HttpListenError) {
    if (error.reason === 'EADDRINUSE') {
      return say(
        'HTTP_PORT_IN_USE',
        `HTTP_PORT ${error.port} is already in use on ${error.host}: set HTTP_PORT to a free port`,
        true,
      );
    }
    const hint =
      error.reason === 'EACCES'
        ? 'ports below 1024 need privileges: set HTTP_PORT to 1024 or above'
        : error.reason === 'EADDRNOTAVAIL'
          ? 'set HTTP_HOST to an address of this machine (127.0.0.1, or 0.0.0.0 for all)'
          : 'check HTTP_HOST and HTTP_PORT';
    return say(
      'HTTP_LISTEN_FAILED',
      `cannot listen on HTTP_HOST=${error.host} HTTP_PORT=${error.port} (${error.reason}): ${hint}`,
      false,
    );
  }
  if (error instanceof DataDirInUseError) {
    return say(error.code, `${error.message}: stop that process, or set DATA_DIR to another directory`, false);
  }
  if (error instanceof LekhaError) return say(error.code, `${error.code}: ${error.message}`, error.retryable);
  return say('START_FAILED', `start failed: ${error instanceof Error ? error.message : String(error)}`, false);
}

/** A failure with no answer as Node names it (`connect ECONNREFUSED`, `read ECONNRESET`); other failures (a timeout) as described. */
function networkReason(description: string): string {
  const code = /\((E[A-Z_]+)\)/.exec(description)?.[1];
  if (code === undefined) return description;
  const syscall = SYSCALL_OF[code];
  return syscall === undefined ? code : `${syscall} ${code}`;
}

/** Removes the configured secrets, and anything in a Bot API URL's token place, from text quoted from elsewhere. */
function scrub(text: string, config: StartErrorConfig): string {
  let out = text.replace(/\/bot\d+:[\w-]+/g, '/bot[redacted]');
  for (const key of secretKeys) {
    const secret = config[key];
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
