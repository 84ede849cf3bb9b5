import path from 'node:path';
import type { Config } from './config/index.js';
import {
  type AuditLog,
  type ChatDirectory,
  FileTokenStore,
  MemoryAuditLog,
  MemoryChatDirectory,
  type TokenStore,
} from './http/index.js';
import type { Clock } from './runtime/index.js';
import { PostgresAuditLog, PostgresChatDirectory, PostgresTokenStore, type Storage } from './storage/index.js';

/**
 * What the admin surface reads and writes: the database's tables when the
 * runtime has storage; otherwise (a runtime given its own persistence) an
 * in-memory audit log and directory and tokens in a file under DATA_DIR.
 */
export interface AdminStores {
  tokens: TokenStore;
  audit: AuditLog;
  directory: ChatDirectory;
}

export function adminStores(config: Config, clock: Clock, storage: Storage | null): AdminStores {
  if (storage === null) {
    const audit = new MemoryAuditLog();
    return {
      tokens: new FileTokenStore(path.join(config.DATA_DIR, 'admin-tokens.jsonl'), audit),
      audit,
      directory: new MemoryChatDirectory(clock),
    };
  }
  return {
    tokens: new PostgresTokenStore(storage.db),
    audit: new PostgresAuditLog(storage.db),
    directory: new PostgresChatDirectory(storage.db, { clock, cipher: storage.cipher }),
  };
}
