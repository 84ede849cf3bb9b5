import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp, MemberSummary, MessageView } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';

let h: AdminHarness;
let app: HttpApp;
let clock: ManualClock;
const chat = -500;
const start = Date.UTC(2026, 2, 1, 9, 0, 0);

beforeAll(async () => {
  clock = new ManualClock(start);
  h = await AdminHarness.create({ clock });
  app = await h.app();
  h.addChat(chat, 'History');
  const lines: Array<[number, string, string]> = [
    [1, 'Ann', 'Доброе утро, чат'],
    [2, 'Bob', 'Кто идёт обедать?'],
    [1, 'Ann', 'Я иду обедать в 13:00'],
    [3, 'Cleo', 'lunch sounds good'],
    [2, 'Bob', 'ОБЕДАТЬ пора'],
    [3, 'Cleo', 'Ёжик в тумане'],
  ];
  for (const [userId, name, text] of lines) {
    h.say(chat, userId, name, text, { username: name.toLowerCase() });
    await clock.advance(60 * 60_000);
  }
  await h.settle();
});

afterAll(async () => {
  await app.close();
  await h.close();
});

const texts = (items: MessageView[]): string[] => items.map((m) => m.text);

describe('GET /api/chats/:id/users', () => {
  it('lists members by activity and pages through them', async () => {
    const first = (await h.request(app, 'GET', `/api/chats/${chat}/users?limit=2`, { role: 'viewer' })).json();
    expect(first.items.map((m: MemberSummary) => [m.userId, m.messages])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const second = (
      await h.request(app, 'GET', `/api/chats/${chat}/users?limit=2&cursor=${first.nextCursor}`, { role: 'viewer' })
    ).json();
    expect(second).toMatchObject({
      items: [{ userId: 3, username: 'cleo', displayName: 'Cleo', messages: 2 }],
      nextCursor: null,
    });
  });

  it('finds members by name or username', async () => {
    const found = (await h.request(app, 'GET', `/api/chats/${chat}/users?query=cle`, { role: 'viewer' })).json();
    expect(found.items.map((m: MemberSummary) => m.userId)).toEqual([3]);
  });

  it("shows a member's profile with the analytics the chat's actor computed", async () => {
    const res = (await h.request(app, 'GET', `/api/chats/${chat}/users/2`, { role: 'viewer' })).json();
    expect(res.member).toMatchObject({
      userId: 2,
      displayName: 'Bob',
      messages: 2,
      firstSeenAt: new Date(start + 3_600_000).toISOString(),
    });
    expect(res.source).toBe('live');
    expect(res.analytics).toMatchObject({ userId: 2, messages: 2 });
    expect(res.analytics.favouriteWords[0]).toEqual({ word: 'обедать', count: 2 });
    expect(res.analytics.activityByHour[10]).toBe(1);
  });

  it('answers 404 for a user who is not a member, and for an unknown chat', async () => {
    const user = await h.request(app, 'GET', `/api/chats/${chat}/users/99`, { role: 'viewer' });
    expect(user.statusCode).toBe(404);
    expect(user.json()).toMatchObject({ code: 'USER_NOT_FOUND' });
    const other = await h.request(app, 'GET', '/api/chats/-501/users', { role: 'viewer' });
    expect(other.json()).toMatchObject({ code: 'CHAT_NOT_FOUND' });
  });
});

describe('GET /api/chats/:id/messages', () => {
  const search = async (query: string) => {
    const res = await h.request(app, 'GET', `/api/chats/${chat}/messages?${query}`, { role: 'viewer' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: MessageView[]; nextCursor: string | null };
  };

  it('lists the history newest first', async () => {
    expect(texts((await search('')).items)[0]).toBe('Ёжик в тумане');
  });

  it('matches every word of q, ignoring case and ё/е', async () => {
    expect(texts((await search(`q=${encodeURIComponent('обедать')}`)).items)).toEqual([
      'ОБЕДАТЬ пора',
      'Я иду обедать в 13:00',
      'Кто идёт обедать?',
    ]);
    expect(texts((await search(`q=${encodeURIComponent('иду обедать')}`)).items)).toEqual(['Я иду обедать в 13:00']);
    expect(texts((await search(`q=${encodeURIComponent('ежик')}`)).items)).toEqual(['Ёжик в тумане']);
  });

  it('narrows by user and by an inclusive time range', async () => {
    expect(texts((await search('user=3')).items)).toEqual(['Ёжик в тумане', 'lunch sounds good']);
    const from = new Date(start + 2 * 3_600_000).toISOString();
    const to = new Date(start + 4 * 3_600_000).toISOString();
    expect(texts((await search(`from=${from}&to=${to}`)).items)).toEqual([
      'ОБЕДАТЬ пора',
      'lunch sounds good',
      'Я иду обедать в 13:00',
    ]);
  });

  it('pages through results without repeating or skipping', async () => {
    const seen: string[] = [];
    let query = 'limit=4';
    for (;;) {
      const page = await search(query);
      seen.push(...texts(page.items));
      if (page.nextCursor === null) break;
      query = `limit=4&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual(texts((await search('limit=200')).items));
    expect(seen).toHaveLength(6);
  });

  it.each([
    ['from=yesterday', 'querystring/from must match format "date-time"'],
    ['user=abc', 'querystring/user must be integer'],
    [`q=${'x'.repeat(201)}`, 'querystring/q must NOT have more than 200 characters'],
    ['q=', 'querystring/q must NOT have fewer than 1 characters'],
  ])('rejects %s with 400', async (query, message) => {
    const res = await h.request(app, 'GET', `/api/chats/${chat}/messages?${query}`, { role: 'viewer' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('rejects a range that ends before it starts', async () => {
    const res = await h.request(
      app,
      'GET',
      `/api/chats/${chat}/messages?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`,
      { role: 'viewer' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_RANGE' });
  });
});
