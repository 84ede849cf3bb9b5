import path from 'node:path';
import type { Config } from './config/index.js';
import {
  type AdminSessionStore,
  type AuditLog,
  type ChatDirectory,
  FileSessionStore,
  FileTelegramAdminStore,
  FileTokenStore,
  MemoryAuditLog,
  MemoryChatDirectory,
  type TelegramAdminStore,
  type TokenStore,
} from './http/index.js';
import type { Clock } from './runtime/index.js';
import {
  PostgresAuditLog,
  PostgresChatDirectory,
  PostgresSessionStore,
  PostgresTelegramAdminStore,
  PostgresTokenStore,
  type Storage,
} from './storage/index.js';

/**
 * What the admin surface reads and writes: the database's tables when the
 * runtime has storage; otherwise (a runtime given its own persistence) an
 * in-memory audit log and directory, and tokens, dashboard sessions and
 * Telegram admins in files under DATA_DIR (so logins survive a restart).
 */
export interface AdminStores {
  tokens: TokenStore;
  sessions: AdminSessionStore;
  telegramAdmins: TelegramAdminStore;
  audit: AuditLog;
  directory: ChatDirectory;
}

export function adminStores(config: Config, clock: Clock, storage: Storage | null): AdminStores {
  if (storage === null) {
    const audit = new MemoryAuditLog();
    return {
      tokens: new FileTokenStore(path.join(config.DATA_DIR, 'admin-tokens.jsonl'), audit),
      sessions: new FileSessionStore(path.join(config.DATA_DIR, 'admin-sessions.jsonl'), audit),
      telegramAdmins: new FileTelegramAdminStore(path.join(config.DATA_DIR, 'telegram-admins.jsonl'), audit),
      audit,
      directory: new MemoryChatDirectory(clock),
    };
  }
  return {
    tokens: new PostgresTokenStore(storage.db),
    sessions: new PostgresSessionStore(storage.db),
    telegramAdmins: new PostgresTelegramAdminStore(storage.db),
    audit: new PostgresAuditLog(storage.db),
    directory: new PostgresChatDirectory(storage.db, { clock, cipher: storage.cipher }),
  };
}
