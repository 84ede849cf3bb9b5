import type { Config } from './config/index.js';
import type { TokenStore } from './http/index.js';
import { migrate, openDatabase, PostgresTokenStore } from './storage/index.js';

/** A token store opened on its own, with what releases it. */
export interface OpenedTokenStore {
  store: TokenStore;
  close(): Promise<void>;
}

/**
 * The token store `lekha token` uses: the `admin_tokens` table of the
 * configured database (migrated first, so it works before the first
 * `lekha start`), the same one the running server reads. With embedded
 * PGlite only one process may hold the data directory: run it while the
 * server is stopped, or create tokens with `POST /api/tokens`.
 */
export async function openTokenStore(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<OpenedTokenStore> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { store: new PostgresTokenStore(db), close: () => db.close() };
}
