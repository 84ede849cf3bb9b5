import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import { chatAdminPorts } from '../../src/chat-admin-ports.js';
import { buildHttpApp, type HttpApp } from '../../src/http/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const LIVE = -810;
const STORED = -820;
const EMPTY = -830;
const masha = { id: 5, firstName: 'Маша' };

/**
 * The admin app over the real chat ports: styles are read from chat actors of
 * a chat-actor harness (live) or a stored snapshot (passivated), as in main.
 */
let admin: AdminHarness;
let chats: ReturnType<typeof chatActorHarness>;
let app: HttpApp;
let stored: ChatState;

/** A chat whose bot reply got `n` 👎: its rule keys are lowered (muted from five on). */
async function complainedAbout(h: ReturnType<typeof chatActorHarness>, chatId: number, n: number): Promise<void> {
  h.say(chatId, 'Лёха, как дела?', { from: masha });
  await h.clock.advance(0);
  h.llm.requests.at(-1)!.answer('Нормально!');
  await h.clock.advance(0);
  const replyId = h.egress.sent.at(-1)!.messageId;
  for (let i = 0; i < n; i++) h.react(chatId, replyId, 600 + i, [], ['👎']);
  await h.clock.advance(0);
}

beforeAll(async () => {
  const elsewhere = chatActorHarness();
  await complainedAbout(elsewhere, STORED, 1);
  stored = await elsewhere.state(STORED);

  chats = chatActorHarness();
  const { styles } = chatAdminPorts(
    chats.supervisor,
    async (chatId) => (chatId === STORED ? stored : undefined),
    chats.clock,
  );
  admin = await AdminHarness.create({ http: { styles } });
  for (const id of [LIVE, STORED, EMPTY]) admin.addChat(id, `chat ${id}`);
  app = await admin.app();
  await complainedAbout(chats, LIVE, 5);
});

afterAll(async () => {
  await app.close();
  await admin.close();
});

describe('GET /api/chats/:id/style', () => {
  it('shows a live chat’s lowered and muted rules, lowest first', async () => {
    const res = await admin.request(app, 'GET', `/api/chats/${LIVE}/style`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      source: 'live',
      style: {
        rules: [
          { key: 'humour:light', weight: 0.44, muted: true },
          { key: 'length:short', weight: 0.44, muted: true },
        ],
        muteBelow: 0.5,
        rememberedReplies: 1,
      },
    });
  });

  it('reads a passivated chat from its snapshot without activating it', async () => {
    const res = await admin.request(app, 'GET', `/api/chats/${STORED}/style`, { role: 'viewer' });
    expect(res.json()).toMatchObject({
      source: 'snapshot',
      style: { rules: [{ key: 'humour:light', weight: 0.85, muted: false }, { key: 'length:short' }] },
    });
    expect(chats.supervisor.stats().live).toBe(1);
  });

  it('answers 404 for an unknown chat and for one with no bot state, 401 without a token', async () => {
    expect((await admin.request(app, 'GET', '/api/chats/-899/style', { role: 'viewer' })).json().code).toBe(
      'CHAT_NOT_FOUND',
    );
    const empty = await admin.request(app, 'GET', `/api/chats/${EMPTY}/style`, { role: 'viewer' });
    expect(empty.statusCode).toBe(404);
    expect(empty.json().code).toBe('CHAT_STATE_NOT_FOUND');
    expect((await admin.request(app, 'GET', `/api/chats/${LIVE}/style`)).statusCode).toBe(401);
  });
});

describe('DELETE /api/chats/:id/style', () => {
  it('is for admins only: an operator is refused and nothing changes', async () => {
    const res = await admin.request(app, 'DELETE', `/api/chats/${LIVE}/style`, { role: 'operator' });
    expect(res.statusCode).toBe(403);
    expect(Object.keys((await chats.state(LIVE)).chat.styleWeights)).toHaveLength(2);
  });

  it('forgets the weights through the chat’s actor, audited with what was forgotten', async () => {
    const res = await admin.request(app, 'DELETE', `/api/chats/${LIVE}/style`, { role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      style: { rules: [], muteBelow: 0.5, rememberedReplies: 1 },
      forgotten: ['humour:light', 'length:short'],
    });
    expect((await chats.state(LIVE)).chat.styleWeights).toEqual({});
    const audited = await admin.audit.query({ action: 'chat.style.reset' }, { cursor: undefined, limit: 1 });
    expect(audited.items[0]).toMatchObject({
      outcome: 'ok',
      target: `chat:${LIVE}`,
      details: { forgotten: ['humour:light', 'length:short'] },
    });
  });

  it('answers 404 for a chat with no bot state, without creating one', async () => {
    const res = await admin.request(app, 'DELETE', `/api/chats/${EMPTY}/style`, { role: 'admin' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CHAT_STATE_NOT_FOUND');
    expect(chats.supervisor.stats().live).toBe(1);
  });
});

describe('without the styles port', () => {
  it('answers 503 STYLE_UNAVAILABLE', async () => {
    const bare = await AdminHarness.create();
    bare.addChat(LIVE, 'chat');
    const bareApp = await buildHttpApp(bare.deps());
    try {
      const res = await bare.request(bareApp, 'GET', `/api/chats/${LIVE}/style`, { role: 'viewer' });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('STYLE_UNAVAILABLE');
    } finally {
      await bareApp.close();
      await bare.close();
    }
  });
});
