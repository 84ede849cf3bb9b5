import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpServer, type MemberPrivacy, startHttpServer } from '../../src/http/index.js';
import type { Identity } from '../../src/ports/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { launchChromium } from '../support/chromium.js';

// The dashboard's GDPR buttons in a real browser, over the real admin API:
// an admin exports a member's data as a file and erases them after confirming.

const CHAT = -2001;
const MASHA = 2;

class RecordingPrivacy implements MemberPrivacy {
  erased: Array<{ userId: number; requester: Identity }> = [];
  pseudonym(userId: number) {
    return `ps${userId}`;
  }
  async exportMember(userId: number) {
    return { format: 'lekha-member-data/1', userId };
  }
  async erase(userId: number, requester: Identity) {
    this.erased.push({ userId, requester });
    return { erasureId: 1, pseudonym: this.pseudonym(userId), chats: 1, memories: 0, rows: {} };
  }
}

const privacy = new RecordingPrivacy();
let h: AdminHarness;
let server: HttpServer;
let browser: Browser;

beforeAll(async () => {
  h = await AdminHarness.create({ http: { privacy } });
  h.addChat(CHAT, 'Приватность');
  h.say(CHAT, 1, 'Вася', 'привет всем');
  h.say(CHAT, MASHA, 'Маша', 'и вам привет');
  await h.settle();
  server = await startHttpServer(h.deps(), { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function chatPage(token: string): Promise<Page> {
  const page = await browser.newPage({ locale: 'ru-RU', acceptDownloads: true });
  await page.goto(`${server.url}/`);
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#chart-updates');
  await page.goto(`${server.url}/#/chats/${CHAT}`);
  await page.waitForSelector('#members tbody tr');
  return page;
}

describe('the member list’s GDPR buttons', () => {
  it('let an admin download a member’s data and erase them after confirming', async () => {
    const page = await chatPage(h.tokenFor.admin);
    const row = page.locator(`#members tbody tr[data-user-id="${MASHA}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('.member-export').click()]);
    expect(download.suggestedFilename()).toBe(`lekha-user-${MASHA}.json`);

    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.locator('.member-erase').click();
    expect(privacy.erased).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('.member-erase').click();
    await expect.poll(() => row.getAttribute('class')).toContain('erased');
    expect(privacy.erased).toEqual([{ userId: MASHA, requester: expect.objectContaining({ role: 'admin' }) }]);
    await page.close();
  });

  it('are not shown to an operator', async () => {
    const page = await chatPage(h.tokenFor.operator);
    expect(await page.locator('.member-erase').count()).toBe(0);
    await page.close();
  });
});
