import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp, MemberPrivacy } from '../../src/http/index.js';
import type { Identity } from '../../src/ports/index.js';
import { MemberDataNotFoundError } from '../../src/privacy/index.js';
import { AdminHarness } from '../support/admin-harness.js';

const KNOWN = 987_654_321;

/** The privacy engine's contract: known member 987654321, everyone else unknown. */
class RecordingPrivacy implements MemberPrivacy {
  erased: Array<{ userId: number; requester: Identity }> = [];
  pseudonym(userId: number) {
    return `ps-${userId % 97}`;
  }
  async exportMember(userId: number) {
    if (userId !== KNOWN || this.erased.length > 0) throw new MemberDataNotFoundError();
    return { format: 'lekha-member-data/1', userId, messages: [{ text: 'hi' }] };
  }
  async erase(userId: number, requester: Identity) {
    this.erased.push({ userId, requester });
    return { erasureId: 1, pseudonym: this.pseudonym(userId), chats: 3, memories: 2, rows: { messages: 5 } };
  }
}

let h: AdminHarness;
let app: HttpApp;
/** An admin surface without storage: no privacy engine. */
let without: AdminHarness;
let bare: HttpApp;
const privacy = new RecordingPrivacy();

beforeAll(async () => {
  h = await AdminHarness.create({ http: { privacy } });
  app = await h.app();
  without = await AdminHarness.create();
  bare = await without.app();
});

afterAll(async () => {
  await app.close();
  await bare.close();
  await without.close();
  await h.close();
});

describe('GDPR routes', () => {
  it('are for admins only', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      expect((await h.request(app, 'GET', `/api/users/${KNOWN}/data`, { role })).statusCode).toBe(403);
      expect((await h.request(app, 'DELETE', `/api/users/${KNOWN}`, { role })).statusCode).toBe(403);
    }
    expect(privacy.erased).toEqual([]);
  });

  it('export as an attachment, audited under the pseudonym, never the id', async () => {
    const res = await h.request(app, 'GET', `/api/users/${KNOWN}/data`, { role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('.json');
    expect(res.json()).toMatchObject({ userId: KNOWN, messages: [{ text: 'hi' }] });
    const audit = await h.request(app, 'GET', '/api/audit?action=user.*', { role: 'admin' });
    const rows = audit.json() as { items: Array<{ action: string; target: string }> };
    expect(rows.items.map((r) => [r.action, r.target])).toContainEqual(['user.data.export', `user:~ps-${KNOWN % 97}`]);
    expect(JSON.stringify(rows)).not.toContain(String(KNOWN));
  });

  it('erase through the engine with the caller as requester, then 404 for a second erase', async () => {
    const res = await h.request(app, 'DELETE', `/api/users/${KNOWN}`, { role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ chats: 3, memories: 2, rows: { messages: 5 } });
    expect(privacy.erased).toEqual([{ userId: KNOWN, requester: expect.objectContaining({ role: 'admin' }) }]);
    const again = await h.request(app, 'DELETE', `/api/users/${KNOWN}`, { role: 'admin' });
    expect([again.statusCode, again.json().code]).toEqual([404, 'MEMBER_DATA_NOT_FOUND']);
    expect(privacy.erased).toHaveLength(1);
  });

  it('refuse ids that are not user ids with 400, before the engine is asked', async () => {
    for (const id of ['abc', '0', '-7', '1.5', '1e23', String(2 ** 53)]) {
      const res = await h.request(app, 'DELETE', `/api/users/${id}`, { role: 'admin' });
      expect([id, res.statusCode]).toEqual([id, 400]);
    }
    expect(privacy.erased).toHaveLength(1);
  });

  it('answer 503 PRIVACY_UNAVAILABLE in a process without storage', async () => {
    for (const [method, url] of [
      ['DELETE', `/api/users/${KNOWN}`],
      ['GET', `/api/users/${KNOWN}/data`],
    ] as const) {
      const res = await without.request(bare, method, url, { role: 'admin' });
      expect([url, res.statusCode, res.json().code]).toEqual([url, 503, 'PRIVACY_UNAVAILABLE']);
    }
  });
});
