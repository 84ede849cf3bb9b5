import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { issueToken } from '../src/http/index.js';
import { setUpAudit } from './support/set-up-audit.js';
import { startRuntime } from '../src/main.js';
import { openTokenStore } from '../src/open-token-store.js';
import { SystemClock } from '../src/runtime/index.js';

describe('startRuntime', () => {
  it(
    'serves the admin surface on HTTP_HOST:HTTP_PORT with ADMIN_TOKEN and CLI-made tokens, and stops cleanly',
    { timeout: 90_000 /* opens embedded PGlite twice */ },
    async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lekha-main-'));
      try {
        const config = loadConfig({
          DATA_DIR: dataDir,
          HTTP_PORT: '0',
          ADMIN_TOKEN: 'main-test-admin-token-000',
          LOG_LEVEL: 'silent',
        });
        const tokens = await openTokenStore(config);
        const { token } = await issueToken(
          tokens.store,
          { role: 'viewer', label: 'made by the CLI', createdBy: 'cli' },
          new SystemClock(),
          setUpAudit,
        );
        await tokens.close();
        const runtime = await startRuntime(config, pino({ level: 'silent' }));
        if (runtime.http === null) throw new Error('the runtime should serve HTTP by default');
        const { url } = runtime.http;
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        const ready = await fetch(`${url}/readyz`);
        expect(await ready.json()).toMatchObject({
          status: 'ready',
          checks: [
            { name: 'storage', ready: true },
            { name: 'telegram', ready: true },
          ],
        });
        const admin = await fetch(`${url}/api/me`, { headers: { authorization: 'Bearer main-test-admin-token-000' } });
        expect(await admin.json()).toMatchObject({ role: 'admin' });
        const viewer = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(await viewer.json()).toMatchObject({ role: 'viewer', label: 'made by the CLI' });
        expect((await fetch(`${url}/`)).headers.get('content-type')).toContain('text/html');
        const report = await runtime.stop();
        expect(report.drained).toBe(true);
        await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
