import { describe, expect, it } from 'vitest';
import { buildHttpApp, UnwiredChatActors } from '../../../src/http/index.js';
import { AdminHarness } from '../../support/admin-harness.js';

describe('UnwiredChatActors', () => {
  it('finds no chat state and refuses changes with 503 while no chat actor is wired', async () => {
    const h = await AdminHarness.create();
    const unwired = new UnwiredChatActors(h.supervisor);
    const app = await buildHttpApp({ ...h.deps(), insights: unwired, control: unwired });
    try {
      h.addChat(-1, 'Orphan');
      const read = (await h.request(app, 'GET', '/api/chats/-1', { role: 'viewer' })).json();
      expect(read).toMatchObject({ report: null, source: 'none' });
      const change = await h.request(app, 'POST', '/api/chats/-1/mode', { role: 'operator', body: { mode: 'silent' } });
      expect(change.statusCode).toBe(503);
      expect(change.json()).toMatchObject({ code: 'CHAT_ACTORS_UNAVAILABLE' });
      expect((await h.request(app, 'POST', '/api/chats/-1/release', { role: 'operator' })).json()).toEqual({ released: false });
    } finally {
      await app.close();
      await h.close();
    }
  });
});
