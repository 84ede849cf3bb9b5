import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations, Storage } from '../../../src/storage/index.js';
import { counterFormat } from '../../support/counter-runtime.js';
import { storageSuite } from './storage-suite.js';
import { pgliteSuiteDatabase } from './suite-databases.js';

storageSuite('embedded PGlite', pgliteSuiteDatabase);

describe('storage with no DATABASE_URL', () => {
  it(
    'migrates an embedded database under DATA_DIR at start and finds its snapshots there after a restart',
    { timeout: 120_000 /* starts embedded PGlite twice */ },
    async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lekha-pglite-'));
      try {
        const first = await Storage.open({ dataDir, snapshotIntervalMs: 50 });
        expect(first.db.kind).toBe('pglite');
        const snapshots = await first.writeBehind<string, { seen: number[] }>({ format: counterFormat });
        snapshots.persist('chat:1', { seen: [1, 2, 3] });
        expect(await first.close()).toEqual({ unwrittenSnapshots: 0, unwrittenRows: 0 });

        const second = await Storage.open({ dataDir, snapshotIntervalMs: 50 });
        const reopened = await second.writeBehind<string, { seen: number[] }>({ format: counterFormat });
        expect(await reopened.load('chat:1')).toEqual({ seen: [1, 2, 3] });
        const versions = await second.db.query<{ version: number }>('SELECT version FROM schema_migrations');
        expect(versions.rows).toEqual(migrations.map((m) => ({ version: m.version })));
        await second.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
