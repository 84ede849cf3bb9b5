import type { LevelWithSilent, Logger } from 'pino';

const standard = new Set<string>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * The log level for routes that are polled all the time (health, metrics,
 * stats, dashboard files): warnings only, so a dashboard polling every
 * second writes no request lines, but never chattier than the process
 * level (a silenced process stays silent).
 */
export function quietLogLevel(logger: Logger): LevelWithSilent {
  const values = logger.levels.values;
  const current = logger.level;
  const atLeastWarn = (values[current] ?? Number.POSITIVE_INFINITY) >= (values.warn as number);
  return atLeastWarn && standard.has(current) ? (current as LevelWithSilent) : 'warn';
}
