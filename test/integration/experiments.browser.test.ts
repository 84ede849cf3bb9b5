import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, startHttpServer } from '../../src/http/index.js';
import { LiveExperiments } from '../../src/live-experiments.js';
import {
  AppendWriter,
  migrate,
  PgliteDatabase,
  PostgresExperimentStore,
  StorageReplyLedger,
} from '../../src/storage/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { launchChromium } from '../support/chromium.js';

// The Experiments page in Chromium over the real routes and the real store
// (on embedded PGlite): an admin starts, reads out, pauses, resumes and
// stops an experiment; the readout names a winner only once the server's does.

let h: AdminHarness;
let db: PgliteDatabase;
let appends: AppendWriter;
let ledger: StorageReplyLedger;
let experiments: LiveExperiments;
let server: HttpServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  h = await AdminHarness.create();
  db = await PgliteDatabase.open();
  await migrate(db);
  appends = new AppendWriter({ db, intervalMs: 60_000 });
  ledger = new StorageReplyLedger(appends);
  experiments = await LiveExperiments.load(new PostgresExperimentStore(db));
  server = await startHttpServer({ ...h.deps(), experiments }, { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await appends?.close();
  await db?.close();
  await h?.close();
});

async function open(hash: string, token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 4')) problems.push(m.text());
  });
  await page.goto(`${server.url}/${hash}`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  return page;
}

let nextMessageId = 1;

/** `successes` of `replies` settled replies of `variant` rated up, the rest ignored. */
async function record(experimentId: number, variant: string, replies: number, successes: number): Promise<void> {
  const sentAtMs = Date.now() - 3_600_000;
  for (let i = 0; i < replies; i++) {
    const messageId = nextMessageId++;
    ledger.reply({
      chatId: -9000,
      messageId,
      triggerMessageId: 0,
      sentAtMs,
      persona: 'lekha@1',
      template: 'lekha-persona/3',
      experimentId,
      variant,
      styleRules: [],
      text: 'ответ',
    });
    if (i < successes) ledger.signal({ chatId: -9000, messageId, kind: 'rate', value: 1, atMs: sentAtMs + 1000 });
  }
  await appends.flush();
}

describe('the Experiments page', () => {
  it('lets an admin start one, reads it out, and names a winner only when the readout does', async () => {
    const page = await open('#/experiments', h.tokenFor.admin);
    try {
      await page.waitForSelector('#experiments-none');

      // A persona the bot does not have is refused, and the answer says so.
      await page.fill('#experiment-create input[name=name]', 'shorter replies');
      await page.fill(
        '#experiment-create textarea[name=variants]',
        JSON.stringify([
          { name: 'control', share: 1 },
          { name: 'ghost', share: 1, persona: 'Призрак' },
        ]),
      );
      await page.click('#experiment-create button[type=submit]');
      await page.waitForSelector('#experiments-error:has-text("no persona is named \\"Призрак\\"")');
      expect(experiments.running()).toBeNull();

      await page.fill('#experiment-create textarea[name=variants]', '[{"name": "control"');
      await page.click('#experiment-create button[type=submit]');
      await page.waitForSelector('#experiments-error:has-text("not valid JSON")');

      await page.fill(
        '#experiment-create textarea[name=variants]',
        JSON.stringify([
          { name: 'control', share: 1 },
          { name: 'short', share: 1, overrides: { replyLength: 'short' } },
        ]),
      );
      await page.fill('#experiment-create input[name=minimumEffect]', '0.3');
      await page.click('#experiment-create button[type=submit]');
      await page.waitForSelector('#experiments-list tr[data-status=running]');
      const id = experiments.running()!.id;
      expect(experiments.running()).toMatchObject({ name: 'shorter replies', minimumEffect: 0.3 });

      // No replies yet: collecting, no winner.
      await page.waitForSelector('#experiment-verdict.verdict-collecting');
      expect(await page.textContent('#experiment-verdict')).toContain('Collecting data');
      const minimum = Number(
        await page.getAttribute('#experiment-variants tr[data-variant=control] .sample', 'data-minimum'),
      );
      expect(minimum).toBeGreaterThan(10);

      // A large difference on a few replies is still no verdict.
      await record(id, 'control', 5, 0);
      await record(id, 'short', 5, 5);
      await page.click(`button[data-show="${id}"]`);
      await page.waitForSelector('#experiment-variants tr[data-variant=short] .sample[data-replies="5"]');
      expect(await page.getAttribute('#experiment-verdict', 'class')).toContain('verdict-collecting');
      expect(await page.textContent('#experiment-verdict')).not.toContain('beats');

      // The minimum sample in, with a clear difference: the readout names the winner, and so does the page.
      await record(id, 'control', minimum, Math.round(minimum * 0.2));
      await record(id, 'short', minimum, Math.round(minimum * 0.8));
      await page.click(`button[data-show="${id}"]`);
      await page.waitForSelector('#experiment-verdict.verdict-winner');
      expect(await page.textContent('#experiment-verdict')).toBe('Variant "short" beats the control, significantly.');
      const bar = page.locator('#experiment-variants tr[data-variant=short] .ci-bar');
      const at = async (attribute: string): Promise<number> => Number(await bar.getAttribute(attribute));
      const [low, high, rate] = [await at('data-low'), await at('data-high'), await at('data-rate')];
      expect(low).toBeLessThan(rate);
      expect(rate).toBeLessThan(high);
      expect(rate).toBeGreaterThan(0.7);
      const band = await page.locator('#experiment-variants tr[data-variant=short] .ci-band').boundingBox();
      expect(band!.width).toBeGreaterThan(0);

      // Pause, resume, stop (confirmed): stopped is final, no buttons left.
      await page.click(`button[data-pause="${id}"]`);
      await page.waitForSelector(`#experiments-list tr[data-experiment="${id}"][data-status=paused]`);
      expect(experiments.running()).toBeNull();
      await page.click(`button[data-resume="${id}"]`);
      await page.waitForSelector(`#experiments-list tr[data-experiment="${id}"][data-status=running]`);
      expect(experiments.running()?.id).toBe(id);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.click(`button[data-stop="${id}"]`);
      await page.waitForSelector(`#experiments-list tr[data-experiment="${id}"][data-status=stopped]`);
      expect(experiments.running()).toBeNull();
      expect(await page.locator(`#experiments-list tr[data-experiment="${id}"] button[data-stop]`).count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('shows a viewer the list and the readout, without buttons or the form', async () => {
    const page = await open('#/experiments', h.tokenFor.viewer);
    try {
      await page.waitForSelector('#experiments-list tr[data-status=stopped]');
      await page.waitForSelector('#experiment-verdict');
      expect(await page.locator('#experiment-create').count()).toBe(0);
      expect(await page.locator('button[data-pause], button[data-resume], button[data-stop]').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('raised no script errors', () => {
    expect(problems).toEqual([]);
  });
});
