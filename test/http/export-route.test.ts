import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpApp, type MessageView, startHttpServer } from '../../src/http/index.js';
import { ManualClock } from '../../src/runtime/index.js';
import { AdminHarness } from '../support/admin-harness.js';

let h: AdminHarness;
let app: HttpApp;
const chat = -1002003004005;
const start = Date.UTC(2026, 4, 10, 12, 0, 0);

const tricky: Array<[string, string]> = [
  ['Ann, the "Great"', 'hello, world'],
  ['Bob', 'she said "hi"\nand left'],
  ['=cmd|calc', '=HYPERLINK("http://evil","click")'],
  ['Dan', '+1 to that'],
  ['Eve', '-2+3'],
  ['Fay', '@SUM(A1:A2)'],
  ['Gus', '\tindented'],
  ['Hal', '\rcarriage'],
  ['Ivy', 'plain'],
];

beforeAll(async () => {
  const clock = new ManualClock(start);
  h = await AdminHarness.create({ clock });
  app = await h.app();
  h.addChat(chat, 'Export "chat", with commas');
  h.addChat(-7, 'Other chat');
  let userId = 1;
  for (const [name, text] of tricky) {
    h.say(chat, userId++, name, text);
    await clock.advance(60_000);
  }
  h.say(-7, 50, 'Zed', 'elsewhere');
  await h.settle();
});

afterAll(async () => {
  await app.close();
  await h.close();
});

const exportOf = (query: string) => h.request(app, 'GET', `/api/export?${query}`, { role: 'admin' });

describe('GET /api/export', () => {
  it('writes CSV with correct quoting and neutralises spreadsheet formulas', async () => {
    const res = await exportOf(`chat=${chat}&format=csv&kind=messages`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="lekha-messages-${chat}-2026-05-10.csv"`);
    const at = (i: number) => new Date(start + i * 60_000).toISOString();
    expect(res.body).toBe(
      [
        'chat_id,message_id,date,user_id,display_name,reply_to_message_id,text',
        `${chat},1,${at(0)},1,"Ann, the ""Great""",,"hello, world"`,
        `${chat},2,${at(1)},2,Bob,,"she said ""hi""\nand left"`,
        `${chat},3,${at(2)},3,'=cmd|calc,,"'=HYPERLINK(""http://evil"",""click"")"`,
        `${chat},4,${at(3)},4,Dan,,'+1 to that`,
        `${chat},5,${at(4)},5,Eve,,'-2+3`,
        `${chat},6,${at(5)},6,Fay,,'@SUM(A1:A2)`,
        `${chat},7,${at(6)},7,Gus,,'\tindented`,
        `${chat},8,${at(7)},8,Hal,,"'\rcarriage"`,
        `${chat},9,${at(8)},9,Ivy,,plain`,
        '',
      ].join('\n'),
    );
  });

  it('writes JSON that parses back to the messages as the API shows them', async () => {
    const res = await exportOf(`chat=${chat}&format=json&kind=messages`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const rows = res.json() as MessageView[];
    expect(rows.map((m) => [m.displayName, m.text])).toEqual(tricky);
    expect(rows[0]).toMatchObject({ chatId: chat, messageId: 1, userId: 1, replyToMessageId: null });
  });

  it('exports members of every chat when no chat is given', async () => {
    const res = await exportOf('format=csv&kind=members');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('chat_id,user_id,username,display_name,messages,first_seen_at,last_seen_at');
    expect(lines).toHaveLength(1 + tricky.length + 1);
    expect(lines.some((l) => l.startsWith('-7,50,,Zed,1,'))).toBe(true);
    expect(res.headers['content-disposition']).toContain('lekha-members-all-');
  });

  it("exports one chat's member analytics, and refuses analytics across all chats", async () => {
    const res = await exportOf(`chat=${chat}&format=csv&kind=analytics`);
    const [header, first] = res.body.split('\n');
    expect(header).toBe(
      'chat_id,user_id,messages,avg_length,toxicity,tone_positive,tone_neutral,tone_negative,languages,favourite_words,replies_to,replied_by,activity_by_hour',
    );
    expect(first).toBe(`${chat},1,1,12,0,0,1,0,,hello:1 world:1,,,0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0`);
    const all = await exportOf('format=csv&kind=analytics');
    expect(all.statusCode).toBe(400);
    expect(all.json()).toMatchObject({ code: 'CHAT_REQUIRED' });
  });

  it('keeps only messages inside from/to', async () => {
    const from = new Date(start + 60_000).toISOString();
    const to = new Date(start + 2 * 60_000).toISOString();
    const rows = (
      await exportOf(`chat=${chat}&format=json&kind=messages&from=${from}&to=${to}`)
    ).json() as MessageView[];
    expect(rows.map((m) => m.messageId)).toEqual([2, 3]);
  });

  it.each([
    ['format=xml&kind=messages', 'querystring/format must be one of: csv, json'],
    ['format=csv', "querystring must have required property 'kind'"],
    ['format=csv&kind=messages&chat=x', 'querystring/chat must be integer'],
  ])('rejects %s with 400', async (query, message) => {
    const res = await exportOf(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('answers 404 for an unknown chat', async () => {
    expect((await exportOf('chat=-999&format=csv&kind=messages')).json()).toMatchObject({ code: 'CHAT_NOT_FOUND' });
  });

  it('streams: the first bytes leave before the store has been read to the end', async () => {
    const total = 200_000;
    let pulled = 0;
    const harness = await AdminHarness.create();
    harness.addChat(-1, 'Huge');
    const deps = harness.deps();
    const directory = Object.create(deps.directory) as typeof deps.directory;
    directory.streamMessages = async function* () {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield {
          chatId: -1,
          messageId: i,
          userId: 1,
          displayName: 'Ann',
          date: new Date(start).toISOString(),
          text: `line ${i} `.repeat(10),
          replyToMessageId: null,
        };
      }
    };
    const server = await startHttpServer({ ...deps, directory }, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${server.url}/api/export?chat=-1&format=csv&kind=messages`, {
        headers: { authorization: `Bearer ${harness.tokenFor.admin}` },
      });
      expect(res.headers.get('content-length')).toBeNull();
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^chat_id,message_id/);
      expect(pulled).toBeLessThan(total / 2);
      await reader.cancel();
    } finally {
      await server.close();
      await harness.close();
    }
  });
});

describe('GET /api/backup', () => {
  it('answers 409 BACKUP_UNAVAILABLE, pointing at pg_dump, when the bot does not run the embedded database', async () => {
    const res = await h.request(app, 'GET', '/api/backup', { role: 'admin' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BACKUP_UNAVAILABLE', message: expect.stringContaining('pg_dump') });
  });
});
