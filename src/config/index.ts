export { ConfigError, loadConfig } from './load-config.js';
export { createLogger } from './logger.js';
export { type Config, configSchema, secretKeys } from './schema.js';
