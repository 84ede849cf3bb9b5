import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOG,
  DEFAULT_PERSONA,
  type FinetuneManifest,
  openaiExampleSchema,
  personaInstructions,
  preferenceExampleSchema,
  sharegptExampleSchema,
  stemWord,
} from '../../src/chat/index.js';
import { FinetuneExport, memberPseudonyms } from '../../src/finetune-export.js';
import type { HttpApp } from '../../src/http/index.js';
import { Keyring, PostgresFinetuneSource, Storage } from '../../src/storage/index.js';
import { AdminHarness } from '../support/admin-harness.js';
import { CLI_TEST_TIMEOUT_MS, lekha } from '../support/lekha-cli.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

const key = randomBytes(32);
const keyring = () => new Keyring([{ id: 1, key }], { stem: stemWord });

const ALICE = 770_012_340_1;
const BORIS = 770_012_340_2;
const EROFEY = 770_012_340_3;
const BOT = 770_012_349_9;
const CHAT_A = -100_700_1;
const CHAT_B = -100_700_2;
const CHAT_C = -100_700_3;
const CHAT_D = -100_700_4;
const BASE = Date.UTC(2026, 10, 10, 12, 0, 0);
const at = (minute: number) => BASE + minute * 60_000;

/** Everything personal the fixture holds: none of it may appear in an export. */
const FORBIDDEN = [
  'алис',
  'петров',
  'alice',
  'борис',
  'boris',
  'ерофе',
  '916',
  '123-45-67',
  '555-35-35',
  'example.com',
  'BOT-ARCHIVED',
  ...[ALICE, BORIS, EROFEY, BOT].map(String),
];

/**
 * Members of chats A–D (Boris in all of them, Alice in A), an erased member
 * (Erofey), PII and names inside texts, replies of each fate: kept, erased
 * trigger, unknown persona version, unsettled, below the minimum score,
 * duplicate, and a pair of experiment variants answering the same question.
 */
async function fill(storage: Storage, nowMs: number): Promise<void> {
  const archive = storage.chatArchive();
  const user = (userId: number, firstName: string, lastName: string | null, username: string | null, isBot = false) =>
    archive.user({ userId, firstName, lastName, username, languageCode: 'ru', isBot });
  user(ALICE, 'Алиса', 'Петрова', 'alice_p');
  user(BORIS, 'Борис', null, 'boris_k');
  user(EROFEY, 'Ерофей', null, null);
  user(BOT, 'Лёха', null, 'lekha_bot', true);
  const say = (chatId: number, messageId: number, userId: number, sentAtMs: number, text: string) =>
    archive.message({ chatId, messageId, userId, replyToMessageId: null, sentAtMs, text });
  say(CHAT_A, 1, ALICE, at(1), 'Привет всем, мой номер +7 916 123-45-67');
  say(CHAT_A, 2, BORIS, at(2), 'Алиса, пиши на boris@example.com');
  say(CHAT_A, 3, EROFEY, at(3), 'Я Ерофей, звоните 8-800-555-35-35');
  say(CHAT_A, 5, ALICE, at(5), 'Лёха, как дела у Бориса? Спроси @boris_k');
  say(CHAT_A, 7, EROFEY, at(7), 'Лёха, расскажи анекдот');
  say(CHAT_A, 9, ALICE, at(9), 'Лёха, что посоветуешь почитать?');
  say(CHAT_A, 11, BOT, at(11), 'BOT-ARCHIVED');
  say(CHAT_A, 12, ALICE, at(12), 'Лёха, как тебе погода?');
  say(CHAT_A, 30, ALICE, nowMs - 90_000, 'Лёха, ты тут?');
  say(CHAT_B, 20, BORIS, at(20), 'Лёха, что посоветуешь почитать?');
  say(CHAT_C, 1, BORIS, at(40), 'Лёха, привет');
  say(CHAT_D, 1, BORIS, at(50), 'Лёха, привет');
  await storage.appends.afterFlush();

  await storage.db.query(
    `INSERT INTO experiments (name, unit, variants, minimum_effect, score_window_ms, status, created_at, updated_at, stopped_at)
     VALUES ('books', 'chat', $1, 0.1, 900000, 'stopped', $2, $2, $2)`,
    [
      JSON.stringify([
        { name: 'a', share: 1 },
        { name: 'b', share: 1, overrides: { styleRules: ['Answer in one word.'] } },
      ]),
      new Date(at(0)),
    ],
  );
  const experimentId = Number((await storage.db.query<{ id: number }>(`SELECT id FROM experiments`)).rows[0]?.id);
  const reply = async (
    chatId: number,
    messageId: number,
    trigger: number,
    sentAtMs: number,
    text: string,
    signals: Array<{ kind: string; value: number; afterMs: number }>,
    options: { persona?: string; variant?: string } = {},
  ) => {
    const sealed = storage.cipher.sealText(text);
    await storage.db.query(
      `INSERT INTO bot_replies (chat_id, message_id, trigger_message_id, sent_at, persona, template, experiment_id, variant,
         style_rules, text_cipher, text_key_id)
       VALUES ($1, $2, $3, $4, $5, 'lekha-persona/3', $6, $7, '{formality,length}', $8, $9)`,
      [
        chatId,
        messageId,
        trigger,
        new Date(sentAtMs),
        options.persona ?? 'Лёха@1',
        options.variant === undefined ? null : experimentId,
        options.variant ?? null,
        Buffer.from(sealed.bytes),
        sealed.keyId,
      ],
    );
    for (const s of signals)
      await storage.db.query(
        `INSERT INTO reply_signals (chat_id, message_id, kind, value, at) VALUES ($1, $2, $3, $4, $5)`,
        [chatId, messageId, s.kind, s.value, new Date(sentAtMs + s.afterMs)],
      );
  };
  const liked = [{ kind: 'rate', value: 1, afterMs: 60_000 }];
  await reply(CHAT_A, 4, 2, at(4), 'Борис, записал!', liked);
  await reply(CHAT_A, 6, 5, at(6), 'Отлично, Алиса Петрова! Звони 8-800-555-35-35', [
    { kind: 'reaction', value: 1, afterMs: 30_000 },
  ]);
  // Answers Ерофей, who is erased below: the reply goes with his messages.
  await reply(CHAT_A, 8, 7, at(8), 'Анекдот для Ерофея', liked);
  await reply(CHAT_A, 10, 9, at(10), 'Почитай Чехова.', [{ kind: 'reaction', value: 1, afterMs: 60_000 }], {
    variant: 'a',
  });
  await reply(CHAT_A, 13, 12, at(13), 'Солнечно.', liked, { persona: 'Лёха@7' });
  await reply(CHAT_A, 31, 30, nowMs - 60_000, 'Тут!', liked);
  // Liked only after the experiment's 15-minute window: ignored, so it scores −0.25.
  await reply(CHAT_B, 21, 20, at(21), 'Ничего.', [{ kind: 'rate', value: 1, afterMs: 20 * 60_000 }], {
    variant: 'b',
  });
  await reply(CHAT_C, 2, 1, at(41), 'Привет!', liked);
  await reply(CHAT_D, 2, 1, at(51), 'Привет!', liked);
  // Its trigger was never stored.
  await reply(CHAT_D, 4, 3, at(52), 'Тишина.', liked);

  const erased = await storage.memberData({ now: () => nowMs }).eraseRows(EROFEY, 'erased-member');
  expect(erased).toMatchObject({ messages: 2, bot_replies: 1 });
}

const lines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

function expectNothingPersonal(text: string): void {
  const lower = text.toLowerCase();
  for (const word of FORBIDDEN) expect(lower, `"${word}" leaked`).not.toContain(word.toLowerCase());
}

const expectedSkipped = {
  trigger_missing: 1,
  unsettled: 1,
  persona_unknown: 1,
  empty_text: 0,
  below_min_score: 1,
  duplicate: 1,
};

describe('fine-tune export', () => {
  let schema: TestSchema;
  let out: string;
  const pseudonymOf = memberPseudonyms(keyring()).pseudonymOf;
  const env = () => ({ DATABASE_URL: schema.url, ENCRYPTION_KEY: key.toString('base64') });

  beforeAll(async () => {
    schema = await createTestSchema('finetune');
    out = await mkdtemp(path.join(tmpdir(), 'lekha-finetune-'));
    const storage = await Storage.open({ databaseUrl: schema.url, snapshotIntervalMs: 1000, cipher: keyring() });
    try {
      await fill(storage, Date.now());
    } finally {
      await storage.close();
    }
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await schema.drop();
  });

  it(
    'writes pseudonymised, redacted, deduplicated conversations, preference pairs and a manifest that counts them',
    { timeout: CLI_TEST_TIMEOUT_MS },
    async () => {
      const run = await lekha(env(), 'export', 'finetune', '--since', '2026-11-01', '--out', out);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^wrote 4 conversations and 1 preference pairs from 9 replies to /);

      const conversationsText = await readFile(path.join(out, 'conversations.jsonl'), 'utf8');
      const preferencesText = await readFile(path.join(out, 'preferences.jsonl'), 'utf8');
      const manifestText = await readFile(path.join(out, 'manifest.json'), 'utf8');
      for (const text of [conversationsText, preferencesText, manifestText]) expectNothingPersonal(text);

      const conversations = lines(conversationsText).map((l) => openaiExampleSchema.parse(l));
      const system = personaInstructions(DEFAULT_PERSONA).join('\n');
      const alice = pseudonymOf(ALICE);
      const boris = pseudonymOf(BORIS);
      expect(conversations.map((c) => c.messages)).toEqual([
        [
          { role: 'system', content: system },
          { role: 'user', content: `${alice}: Привет всем, мой номер [phone]` },
          { role: 'user', content: `${boris}: ${alice}, пиши на [email]` },
          { role: 'assistant', content: `${boris}, записал!` },
        ],
        [
          { role: 'system', content: system },
          { role: 'user', content: `${alice}: Привет всем, мой номер [phone]` },
          { role: 'user', content: `${boris}: ${alice}, пиши на [email]` },
          { role: 'assistant', content: `${boris}, записал!` },
          { role: 'user', content: `${alice}: Лёха, как дела у ${boris}? Спроси ${boris}` },
          { role: 'assistant', content: `Отлично, ${alice}! Звони [phone]` },
        ],
        expect.arrayContaining([
          { role: 'user', content: `${alice}: Лёха, что посоветуешь почитать?` },
          { role: 'assistant', content: 'Почитай Чехова.' },
        ]),
        [
          { role: 'system', content: system },
          { role: 'user', content: `${boris}: Лёха, привет` },
          { role: 'assistant', content: 'Привет!' },
        ],
      ]);
      // The reply to the erased member is left out of later histories too.
      // system, 1, 2, 4 (bot), 5, 6 (bot), the trigger 9 and the reply: no 3, 7 or 8.
      expect(conversations[2]?.messages).toHaveLength(8);
      expect(conversationsText).not.toContain('Анекдот');

      const preferences = lines(preferencesText).map((l) => preferenceExampleSchema.parse(l));
      expect(preferences).toHaveLength(1);
      expect(preferences[0]?.preferred_output).toEqual([{ role: 'assistant', content: 'Почитай Чехова.' }]);
      expect(preferences[0]?.non_preferred_output).toEqual([{ role: 'assistant', content: 'Ничего.' }]);
      expect(preferences[0]?.input.messages.at(-1)).toEqual({
        role: 'user',
        content: `${alice}: Лёха, что посоветуешь почитать?`,
      });

      const manifest = JSON.parse(manifestText) as FinetuneManifest;
      expect(manifest).toMatchObject({
        kind: 'lekha-finetune-export',
        format: 'openai',
        preferenceFormat: 'openai-preference',
        minScore: 0.5,
        historyMessages: 12,
        pseudonyms: 'keyed',
        range: { since: '2026-11-01T00:00:00.000Z' },
        counts: { replies: 9, conversations: conversations.length, preferencePairs: preferences.length },
        skipped: expectedSkipped,
        personas: ['Лёха@1'],
      });
      const skipped = Object.values(manifest.skipped).reduce((a, b) => a + b, 0);
      expect(manifest.counts.conversations + skipped).toBe(manifest.counts.replies);
      expect(Date.parse(manifest.generatedAt)).toBeGreaterThan(Date.parse(manifest.range.since));
    },
  );

  it('keeps only replies scoring at least --min-score', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    const dir = path.join(out, 'strict');
    const run = await lekha(env(), 'export', 'finetune', '--since', '2026-11-01', '--min-score', '1', '--out', dir);
    expect(run.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as FinetuneManifest;
    expect(manifest.counts).toMatchObject({ replies: 9, conversations: 4 });
    const none = path.join(out, 'none');
    const range = await lekha(
      env(),
      'export',
      'finetune',
      '--since',
      '2026-11-10',
      '--until',
      '2026-11-10T12:05:00Z',
      '--out',
      none,
    );
    expect(range.code).toBe(0);
    const narrow = JSON.parse(await readFile(path.join(none, 'manifest.json'), 'utf8')) as FinetuneManifest;
    expect(narrow.counts).toEqual({ replies: 1, conversations: 1, preferencePairs: 0 });
  });

  it('refuses bad flags with a clear message and exit code 2', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--out', out], /--since is required/],
      [['--since', '2026-11-01'], /--out is required/],
      [['--since', 'yesterday', '--out', out], /--since must be a date .* not "yesterday"/],
      [['--since', '2026-02-30', '--out', out], /--since must be a date/],
      [['--since', '2026-11-02', '--until', '2026-11-01', '--out', out], /--since must be before --until/],
      [['--since', '2026-11-01', '--min-score', 'high', '--out', out], /--min-score is a number from -1 to 1/],
      [['--since', '2026-11-01', '--min-score', '2', '--out', out], /--min-score is a number from -1 to 1/],
      [['--since', '2026-11-01', '--format', 'alpaca', '--out', out], /--format is openai or sharegpt, not "alpaca"/],
      [['--since', '2026-11-01', '--out', out, '--bogus'], /Unknown option '--bogus'/],
    ];
    const runs = await Promise.all(cases.map(([args]) => lekha(env(), 'export', 'finetune', ...args)));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]?.[0].join(' ')).toBe(2);
      expect(run.stderr).toMatch(cases[i]?.[1] as RegExp);
      expect(run.stderr).toContain('Usage: lekha export finetune');
    });
    const keyless = path.join(out, 'keyless');
    const withoutKey = await lekha(
      { DATABASE_URL: schema.url },
      'export',
      'finetune',
      '--since',
      '2026-11-01',
      '--out',
      keyless,
    );
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toMatch(/TEXT_KEY_UNKNOWN/);
    await expect(readdir(keyless)).resolves.toEqual([]);
    const unknown = await lekha(env(), 'export', 'everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown export "everything"/);
  });
});

describe('GET /api/export/finetune (embedded database)', () => {
  let dataDir: string;
  let storage: Storage;
  let h: AdminHarness;
  let app: HttpApp;
  const nowMs = Date.now();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lekha-finetune-pglite-'));
    storage = await Storage.open({ dataDir, snapshotIntervalMs: 1000, cipher: keyring() });
    await fill(storage, nowMs);
    const finetune = new FinetuneExport({
      // Two replies a page: the nine replies take five pages, read in order without gaps or repeats.
      source: new PostgresFinetuneSource(storage.db, storage.cipher, 2),
      catalog: DEFAULT_CATALOG,
      cipher: storage.cipher,
      now: () => nowMs + 1000,
    });
    h = await AdminHarness.create({ http: { finetune } });
    app = await h.app();
  });

  afterAll(async () => {
    await app.close();
    await h.close();
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (query: string, role: 'viewer' | 'admin' = 'admin') =>
    h.request(app, 'GET', `/api/export/finetune?${query}`, { role });

  it('streams each file as NDJSON, ShareGPT on request, and audits the read', async () => {
    const conversations = await get('since=2026-11-01&format=sharegpt');
    expect(conversations.statusCode).toBe(200);
    expect(conversations.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(conversations.headers['content-disposition']).toBe('attachment; filename="conversations.jsonl"');
    const shared = lines(conversations.body).map((l) => sharegptExampleSchema.parse(l));
    expect(shared).toHaveLength(4);
    expect(shared[3]?.conversations.map((c) => c.from)).toEqual(['system', 'human', 'gpt']);

    const preferences = await get('since=2026-11-01&file=preferences');
    expect(preferences.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(lines(preferences.body).map((l) => preferenceExampleSchema.parse(l))).toHaveLength(1);

    const manifest = await get('since=2026-11-01&minScore=0.5&file=manifest');
    expect(manifest.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(manifest.json()).toMatchObject({
      format: 'openai',
      counts: { replies: 9, conversations: 4, preferencePairs: 1 },
      skipped: expectedSkipped,
    });
    for (const res of [conversations, preferences, manifest]) expectNothingPersonal(res.body);

    const audited = (await h.audit.query({}, { cursor: undefined, limit: 200 })).items.filter(
      (e) => e.action === 'export.finetune',
    );
    expect(audited.map((e) => e.target).sort()).toEqual([
      'finetune:conversations',
      'finetune:manifest',
      'finetune:preferences',
    ]);
  });

  it('answers bad parameters with 400 and a message naming them, and viewers with 403', async () => {
    const bad: Array<[string, string, RegExp]> = [
      ['', 'FST_ERR_VALIDATION', /since/],
      ['since=yesterday', 'INVALID_DATE', /since must be a date/],
      ['since=2026-11-01&until=2026-13-01', 'INVALID_DATE', /until must be a date/],
      ['since=2026-11-02&until=2026-11-01', 'INVALID_RANGE', /since.*before.*until/],
      ['since=2026-11-01&minScore=2', 'FST_ERR_VALIDATION', /minScore/],
      ['since=2026-11-01&format=alpaca', 'FST_ERR_VALIDATION', /format/],
      ['since=2026-11-01&file=everything', 'FST_ERR_VALIDATION', /file/],
    ];
    for (const [query, code, message] of bad) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json<{ code: string; message: string }>(), query).toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
    }
    expect((await get('since=2026-11-01', 'viewer')).statusCode).toBe(403);
  });
});

describe('GET /api/export/finetune without a database', () => {
  it('answers 503 FINETUNE_UNAVAILABLE', async () => {
    const h = await AdminHarness.create();
    const app = await h.app();
    try {
      const res = await h.request(app, 'GET', '/api/export/finetune?since=2026-11-01', { role: 'admin' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'FINETUNE_UNAVAILABLE' });
    } finally {
      await app.close();
      await h.close();
    }
  });
});

// The schemas the tests validate with are the ones the export validates its own lines with; this checks they reject.
describe('fine-tune line schemas', () => {
  it('reject a conversation that does not end with the reply or has no system message', () => {
    const bad = [
      {
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: 'c' },
        ],
      },
      {
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      },
      {
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: '' },
          { role: 'assistant', content: 'b' },
        ],
      },
    ];
    for (const line of bad) expect(openaiExampleSchema.safeParse(line).success).toBe(false);
    expect(
      preferenceExampleSchema.safeParse({
        input: {
          messages: [
            { role: 'system', content: 's' },
            { role: 'user', content: 'a' },
          ],
        },
        preferred_output: [{ role: 'assistant', content: 'x' }],
        non_preferred_output: [{ role: 'assistant', content: 'x' }],
      }).success,
    ).toBe(false);
  });
});
