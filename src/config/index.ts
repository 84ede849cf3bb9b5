export { ConfigError, loadConfig, loadSetting } from './load-config.js';
export { createLogger } from './logger.js';
export { credentialsInEnv } from './secret-scrubber.js';
export { type Config, configSchema, secretKeys } from './schema.js';
export { type ConfiguredKey, EncryptionKeysInvalid, encryptionKeysOf } from './encryption-keys.js';
export { loadPersonaCatalog } from './persona-file.js';
