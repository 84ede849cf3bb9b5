import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

const ADMIN_TOKEN = 'dead-letters-browser-admin-token-0123';
const BROKEN_CHAT = -9003;

let schema: TestSchema;
let dataDir: string;
let h: Harness;
let db: pg.Client;
let browser: Browser;

beforeAll(async () => {
  schema = await createTestSchema('dead_letters_browser');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-dead-letters-'));
  h = await startHarness({ env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: dataDir }, storage: true });
  db = new pg.Client({ connectionString: schema.url });
  await db.connect();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await h?.close();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dead letters on the alerts page', () => {
  it('shows an update of a broken chat, and replays it once the chat is fixed and released', async () => {
    await db.query(
      `INSERT INTO snapshots (key, schema_version, seq, bytes, updated_at) VALUES ($1, 2, 1, '\\xdeadbeef'::bytea, now())`,
      [`chat:${BROKEN_CHAT}`],
    );
    h.botApi.injectMessage({ chatId: BROKEN_CHAT, from: { id: 77, firstName: 'Петя' }, text: 'Лёха, ты тут?' });
    await waitFor(
      'the update to be dead-lettered',
      async () => (await db.query('SELECT 1 FROM dead_letters')).rowCount === 1,
    );

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await page.goto(`${h.runtime.http?.url}/#/alerts`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#dead-letters tbody tr');
    const row = await page.textContent('#dead-letters tbody tr');
    expect(row).toContain(String(BROKEN_CHAT));
    expect(row).toContain('SNAPSHOT_CORRUPT');
    expect(row).not.toContain('ты тут');

    // Replaying into a chat still quarantined is refused, and the page says why.
    await page.click('#dead-letters button[data-replay]');
    await page.waitForSelector('p.error:not([hidden])');
    expect(await page.textContent('p.error:not([hidden])')).toContain('quarantined');

    await db.query('DELETE FROM snapshots WHERE key = $1', [`chat:${BROKEN_CHAT}`]);
    await page.click('#quarantined button');
    await page.waitForSelector('#quarantined tbody tr', { state: 'detached' });
    await page.click('#dead-letters button[data-replay]');
    await waitFor('the replayed message to be answered', () => h.botApi.sentTo(BROKEN_CHAT).length === 1);
    await page.waitForSelector('#dead-letters tbody tr', { state: 'detached' });
    await page.close();
  });
});
