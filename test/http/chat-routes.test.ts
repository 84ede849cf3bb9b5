import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, type ChatSettings, type ChatSummary, type HttpApp } from '../../src/http/index.js';
import {
  ActorQuarantinedError,
  AskTimeoutError,
  MailboxFullError,
  ManualClock,
  ShuttingDownError,
} from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';

// Building an app compiles every route schema (~0.2 s), so tests share one
// app on the system clock and keep apart by chat id; tests that move time
// build their own on a manual clock.
let shared: { h: AdminHarness; app: HttpApp };
let own: { h: AdminHarness; app: HttpApp } | null = null;
let h: AdminHarness;
let app: HttpApp;
/** The runtime error the shared app's chat control answers with, when set. */
let controlError: Error | null = null;

beforeAll(async () => {
  const harness = await AdminHarness.create();
  const deps = harness.deps();
  const control = deps.control;
  const failing = {
    setMode: (chatId: number, mode: ChatSettings['mode']) =>
      controlError === null ? control.setMode(chatId, mode) : Promise.reject(controlError),
    updateSettings: control.updateSettings.bind(control),
    release: control.release.bind(control),
  };
  shared = { h: harness, app: await buildHttpApp({ ...deps, control: failing }) };
});

afterAll(async () => {
  await shared.app.close();
  await shared.h.close();
});

afterEach(async () => {
  controlError = null;
  if (own !== null) {
    await own.app.close();
    await own.h.close();
    own = null;
  }
});

/** Uses the shared app, or (with a clock or idle timeout) a fresh one. */
async function setUp(options: Parameters<typeof AdminHarness.create>[0] = {}): Promise<void> {
  if (Object.keys(options).length === 0) {
    ({ h, app } = shared);
    return;
  }
  const harness = await AdminHarness.create(options);
  own = { h: harness, app: await harness.app() };
  ({ h, app } = own);
}

describe('GET /api/chats', () => {
  it('lists chats by last activity in pages whose cursors neither repeat nor skip a chat', async () => {
    const clock = new ManualClock();
    await setUp({ clock });
    for (let i = 1; i <= 7; i++) {
      h.addChat(-i, `Chat ${i}`);
      await clock.advance(1000);
      h.say(-i, 1, 'Ann', `message ${i}`);
    }
    h.addChat(-99, 'Silent chat');
    const seen: number[] = [];
    let url = '/api/chats?limit=3';
    for (let page = 0; page < 5; page++) {
      const body = (await h.request(app, 'GET', url, { role: 'viewer' })).json() as {
        items: ChatSummary[];
        nextCursor: string | null;
      };
      seen.push(...body.items.map((c) => c.id));
      if (body.nextCursor === null) break;
      url = `/api/chats?limit=3&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual([-7, -6, -5, -4, -3, -2, -1, -99]);
  });

  it('finds chats by part of the title, ignoring case and ё/е, or by id', async () => {
    await setUp();
    h.addChat(-1, 'Ёлки-палки');
    h.addChat(-2, 'Work chat');
    const byTitle = (
      await h.request(app, 'GET', `/api/chats?query=${encodeURIComponent('ЕЛКИ')}`, { role: 'viewer' })
    ).json();
    expect(byTitle.items.map((c: ChatSummary) => c.id)).toEqual([-1]);
    const byId = (await h.request(app, 'GET', '/api/chats?query=-2', { role: 'viewer' })).json();
    expect(byId.items.map((c: ChatSummary) => c.id)).toEqual([-2]);
  });

  it('shows members, messages today and last activity', async () => {
    await setUp();
    h.addChat(-5, 'Counted');
    h.say(-5, 1, 'Ann', 'one');
    h.say(-5, 2, 'Bob', 'two');
    h.say(-5, 1, 'Ann', 'three');
    const [chat] = (await h.request(app, 'GET', '/api/chats?query=Counted', { role: 'viewer' })).json()
      .items as ChatSummary[];
    expect(chat).toMatchObject({
      id: -5,
      title: 'Counted',
      type: 'supergroup',
      mode: 'normal',
      members: 2,
      messagesToday: 3,
    });
    expect(Date.parse(chat?.lastActivityAt ?? '')).toBeGreaterThan(0);
  });

  it.each([
    ['/api/chats?limit=0', 'querystring/limit must be >= 1'],
    ['/api/chats?limit=201', 'querystring/limit must be <= 200'],
    ['/api/chats?limit=ten', 'querystring/limit must be integer'],
    ['/api/chats?cursor=not%20base64!', 'querystring/cursor must match pattern'],
    ['/api/chats?colour=red', "querystring has an unknown field 'colour'"],
  ])('rejects %s with 400 and says what is wrong', async (url, message) => {
    await setUp();
    const res = await h.request(app, 'GET', url, { role: 'viewer' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FST_ERR_VALIDATION', message: expect.stringContaining(message) });
  });

  it('rejects a well-formed cursor this server never issued', async () => {
    await setUp();
    const forged = Buffer.from(JSON.stringify(['x', 'y', 'z'])).toString('base64url');
    const res = await h.request(app, 'GET', `/api/chats?cursor=${forged}`, { role: 'viewer' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_CURSOR' });
  });
});

describe('GET /api/chats/:id', () => {
  it('reports a live chat from its actor', async () => {
    await setUp();
    h.addChat(-10, 'Live');
    h.say(-10, 1, 'Ann', 'спасибо друзья', { replyToUserId: 2 });
    h.say(-10, 2, 'Bob', 'круто', { replyToUserId: 1 });
    await h.settle();
    const body = (await h.request(app, 'GET', '/api/chats/-10', { role: 'viewer' })).json();
    expect(body.source).toBe('live');
    expect(body.chat).toMatchObject({ id: -10, title: 'Live' });
    expect(body.report).toMatchObject({
      chatId: -10,
      mode: 'normal',
      messages: 2,
      allies: [{ a: 1, b: 2, score: 1 }],
      conflicts: [],
    });
    expect(body.report.activityByHour).toHaveLength(24);
    expect(body.report.mood.label).toBe('positive');
  });

  it('reports a passivated chat from its snapshot without bringing its actor back', async () => {
    const clock = new ManualClock();
    await setUp({ clock, idleMs: 60_000 });
    h.addChat(-11, 'Sleeping');
    h.say(-11, 1, 'Ann', 'hello world');
    await h.settle();
    await clock.advance(120_000);
    expect(h.supervisor.isLive(-11)).toBe(false);
    const activations = h.supervisor.stats().activations;
    const body = (await h.request(app, 'GET', '/api/chats/-11', { role: 'viewer' })).json();
    expect(body.source).toBe('snapshot');
    expect(body.report).toMatchObject({ chatId: -11, messages: 1 });
    expect(h.supervisor.stats().activations).toBe(activations);
    expect(h.supervisor.isLive(-11)).toBe(false);
  });

  it('answers a chat with no state yet with a null report', async () => {
    await setUp();
    h.addChat(-12, 'Quiet');
    const body = (await h.request(app, 'GET', '/api/chats/-12', { role: 'viewer' })).json();
    expect(body).toMatchObject({ report: null, source: 'none' });
  });

  it('answers 404 for a chat it does not know and 400 for an id that is not a number', async () => {
    await setUp();
    const missing = await h.request(app, 'GET', '/api/chats/-404', { role: 'viewer' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'CHAT_NOT_FOUND' });
    const bad = await h.request(app, 'GET', '/api/chats/abc', { role: 'viewer' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('params/id must be integer');
  });
});

describe('POST /api/chats/:id/mode', () => {
  it("delivers the mode to the chat's actor and answers with what the actor now holds", async () => {
    await setUp();
    h.addChat(-20, 'Moded');
    h.say(-20, 1, 'Ann', 'hi');
    const res = await h.request(app, 'POST', '/api/chats/-20/mode', { role: 'operator', body: { mode: 'silent' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().settings.mode).toBe('silent');
    const held = await h.supervisor.ask<ChatSettings>(-20, (reply) => ({ type: 'GetSettings', reply }));
    expect(held.mode).toBe('silent');
    const report = (await h.request(app, 'GET', '/api/chats/-20', { role: 'viewer' })).json();
    expect(report.report.mode).toBe('silent');
  });

  it('wakes a passivated chat to apply the change, and the change is persisted', async () => {
    const clock = new ManualClock();
    await setUp({ clock, idleMs: 60_000 });
    h.addChat(-21, 'Asleep');
    h.say(-21, 1, 'Ann', 'hi');
    await h.settle();
    await clock.advance(120_000);
    expect(h.supervisor.isLive(-21)).toBe(false);
    const res = await h.request(app, 'POST', '/api/chats/-21/mode', { role: 'operator', body: { mode: 'active' } });
    expect(res.json().settings.mode).toBe('active');
    h.flush();
    expect(h.snapshots.get(-21)?.settings.mode).toBe('active');
    expect((await h.directory.getChat(-21))?.mode).toBe('active');
  });

  it.each([
    [{ mode: 'loud' }, 'body/mode must be one of: silent, normal, active'],
    [{}, "body must have required property 'mode'"],
    [{ mode: 'silent', extra: true }, "body has an unknown field 'extra'"],
  ])('rejects %j with 400', async (body, message) => {
    await setUp();
    h.addChat(-22, 'Strict');
    const res = await h.request(app, 'POST', '/api/chats/-22/mode', { role: 'operator', body });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('answers 409 for a quarantined chat and lets an operator release it', async () => {
    await setUp();
    h.addChat(-23, 'Broken');
    h.unreadable.add(-23);
    h.say(-23, 1, 'Ann', 'hi');
    await h.settle();
    const refused = await h.request(app, 'POST', '/api/chats/-23/mode', { role: 'operator', body: { mode: 'silent' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'ACTOR_QUARANTINED' });
    const alerts = (await h.request(app, 'GET', '/api/alerts', { role: 'viewer' })).json();
    expect(alerts.quarantined).toEqual([
      { chatId: -23, reason: expect.stringContaining('SNAPSHOT_CORRUPT'), until: expect.any(String) },
    ]);

    h.unreadable.delete(-23);
    const released = await h.request(app, 'POST', '/api/chats/-23/release', { role: 'operator' });
    expect(released.json()).toEqual({ released: true });
    await h.settle();
    const applied = await h.request(app, 'POST', '/api/chats/-23/mode', { role: 'operator', body: { mode: 'silent' } });
    expect(applied.json().settings.mode).toBe('silent');
    const again = await h.request(app, 'POST', '/api/chats/-23/release', { role: 'operator' });
    expect(again.json()).toEqual({ released: false });
  });

  it.each([
    [new AskTimeoutError(-24, 5000), 504, 'ASK_TIMEOUT'],
    [new MailboxFullError(-24, 1000), 503, 'MAILBOX_FULL'],
    [new ShuttingDownError(), 503, 'SHUTTING_DOWN'],
    [new ActorQuarantinedError(-24, 'boom', 0), 409, 'ACTOR_QUARANTINED'],
  ])('answers %s from the runtime with %i', async (error, status, code) => {
    await setUp();
    controlError = error;
    h.addChat(-24, 'Failing');
    const res = await h.request(app, 'POST', '/api/chats/-24/mode', { role: 'operator', body: { mode: 'silent' } });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code });
  });
});

describe('GET and PATCH /api/chats/:id/settings', () => {
  it('changes only the given settings, through the actor, and reads them back', async () => {
    await setUp();
    h.addChat(-30, 'Tuned');
    h.say(-30, 1, 'Ann', 'hi');
    const res = await h.request(app, 'PATCH', '/api/chats/-30/settings', {
      role: 'operator',
      body: { bannedWords: ['казино'], allowedLinkDomains: ['*.example.org'], filters: { links: false } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().settings).toEqual({
      mode: 'normal',
      persona: null,
      personaTuning: null,
      language: 'auto',
      rateLimitPerUserPerMin: 10,
      bannedWords: ['казино'],
      onViolation: 'warn',
      allowedLinkDomains: ['*.example.org'],
      filters: { flood: true, links: false, pii: true },
      anomaly: { action: 'alert', minutes: 60 },
    });
    const read = (await h.request(app, 'GET', '/api/chats/-30/settings', { role: 'viewer' })).json();
    expect(read).toMatchObject({ source: 'live', settings: { bannedWords: ['казино'] } });
  });

  it('fixes the reply language of a chat and reads it back', async () => {
    await setUp();
    h.addChat(-33, 'Fixed');
    h.say(-33, 1, 'Ann', 'hi');
    const res = await h.request(app, 'PATCH', '/api/chats/-33/settings', {
      role: 'operator',
      body: { language: 'ru' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().settings.language).toBe('ru');
    const read = (await h.request(app, 'GET', '/api/chats/-33/settings', { role: 'viewer' })).json();
    expect(read.settings.language).toBe('ru');
    const uk = await h.request(app, 'PATCH', '/api/chats/-33/settings', { role: 'operator', body: { language: 'uk' } });
    expect(uk.statusCode).toBe(200);
    expect(uk.json().settings.language).toBe('uk');
    expect((await h.request(app, 'GET', '/api/chats/-33/settings', { role: 'viewer' })).json().settings.language).toBe(
      'uk',
    );
  });

  describe('persona', () => {
    const personas = {
      list: () => [
        {
          name: 'Лёха',
          version: 1,
          id: 'Лёха@1',
          aliases: ['Лёха', 'lekha'],
          language: 'match' as const,
          replyLength: null,
          emoji: null,
          model: null,
          character: ['You are {name}.'],
          styleRules: [],
          tunable: { replyLength: ['short' as const, 'medium' as const, 'long' as const], emoji: [], styleLines: 0 },
          default: true,
          source: 'config' as const,
        },
        {
          name: 'Вася',
          version: 3,
          id: 'Вася@3',
          aliases: ['Вася'],
          language: 'ru' as const,
          replyLength: 'short' as const,
          emoji: 'none' as const,
          model: 'ft:llama-3.1-8b:acme:vasya:1',
          character: ['You are {name}, a fisherman.'],
          styleRules: ['Plain words.'],
          tunable: { replyLength: [], emoji: ['none' as const], styleLines: 2 },
          default: false,
          source: 'config' as const,
        },
      ],
    };

    it('lists the personas to a viewer, with version, aliases, style, model, character and the default', async () => {
      await setUp({ http: { personas } });
      const res = await h.request(own!.app, 'GET', '/api/personas', { role: 'viewer' });
      expect(res.statusCode).toBe(200);
      expect(res.json().personas).toEqual(personas.list());
      expect((await h.request(own!.app, 'GET', '/api/personas')).statusCode).toBe(401);
    });

    it('switches a chat to a known persona by its name in any case, audited, and back to the default with null', async () => {
      await setUp({ http: { personas } });
      h.addChat(-34, 'Persona');
      h.say(-34, 1, 'Ann', 'hi');
      const res = await h.request(own!.app, 'PATCH', '/api/chats/-34/settings', {
        role: 'operator',
        body: { persona: 'вася' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().settings.persona).toBe('Вася');
      const read = (await h.request(own!.app, 'GET', '/api/chats/-34/settings', { role: 'viewer' })).json();
      expect(read.settings.persona).toBe('Вася');
      const audited = await h.audit.query({ action: 'chat.settings.update' }, { cursor: undefined, limit: 1 });
      expect(audited.items[0]?.details).toMatchObject({
        patch: { persona: 'вася' },
      });
      const back = await h.request(own!.app, 'PATCH', '/api/chats/-34/settings', {
        role: 'operator',
        body: { persona: null },
      });
      expect(back.json().settings.persona).toBeNull();
    });

    it('refuses a persona the bot does not have, naming the ones it has', async () => {
      await setUp({ http: { personas } });
      h.addChat(-35, 'Unknown persona');
      h.say(-35, 1, 'Ann', 'hi');
      const res = await h.request(own!.app, 'PATCH', '/api/chats/-35/settings', {
        role: 'operator',
        body: { persona: 'Петя' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CHAT_SETTINGS_INVALID' });
      expect(res.json().message).toContain('no persona is named "Петя" (there are: Лёха, Вася)');
      const read = (await h.request(own!.app, 'GET', '/api/chats/-35/settings', { role: 'viewer' })).json();
      expect(read.settings.persona).toBeNull();
    });
  });

  it.each([
    [{ persona: 'x'.repeat(41) }, 'body/persona must NOT have more than 40 characters'],
    [{}, 'body must NOT have fewer than 1 properties'],
    [{ language: 'de' }, 'body/language must be one of: auto, ru, uk, en'],
    [{ rateLimitPerUserPerMin: -1 }, 'body/rateLimitPerUserPerMin must be >= 0'],
    [{ allowedLinkDomains: ['not a domain'] }, 'body/allowedLinkDomains/0 must match pattern'],
    [{ bannedWords: ['a', 'a'] }, 'body/bannedWords must NOT have duplicate items'],
    [{ filters: { spam: true } }, "body/filters has an unknown field 'spam'"],
    [{ mode: 'silent' }, "body has an unknown field 'mode'"],
  ])('rejects %j with 400', async (body, message) => {
    await setUp();
    h.addChat(-31, 'Strict');
    const res = await h.request(app, 'PATCH', '/api/chats/-31/settings', { role: 'operator', body });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('answers 404 when the chat has no bot state yet', async () => {
    await setUp();
    h.addChat(-32, 'Stateless');
    const res = await h.request(app, 'GET', '/api/chats/-32/settings', { role: 'viewer' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'CHAT_STATE_NOT_FOUND' });
  });
});
