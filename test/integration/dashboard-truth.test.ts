import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadlineMetric } from '../../src/runtime/index.js';
import { type Harness, startHarness } from '../support/edge-harness.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

// The real runtime (`startRuntime`) on Postgres, driven through the Bot API
// and Groq emulators: what the dashboard shows must come from what the
// running bot really registers and records.

const ADMIN_TOKEN = 'dashboard-truth-admin-token-0123456789';
const repoRoot = path.resolve(import.meta.dirname, '../..');

let h: Harness;
let schema: TestSchema;
let dataDir: string;

beforeAll(async () => {
  schema = await createTestSchema('dashboard_truth');
  dataDir = mkdtempSync(path.join(tmpdir(), 'lekha-dashboard-truth-'));
  h = await startHarness({ env: { ADMIN_TOKEN, DATABASE_URL: schema.url, DATA_DIR: dataDir }, storage: true });
});

afterAll(async () => {
  await h?.close();
  await schema?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function url(): string {
  const http = h.runtime.http;
  if (http === null) throw new Error('the runtime serves no HTTP');
  return http.url;
}

async function api<T = Record<string, unknown>>(route: string): Promise<T> {
  const res = await fetch(`${url()}${route}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** Every `lekha_…` metric name written in the dashboard's scripts and in the code that builds `/api/stats`. */
function metricNamesReadBy(dirs: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of dirs.flatMap((d) => filesUnder(path.join(repoRoot, d)))) {
    if (!/\.(js|ts|html)$/.test(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/\blekha_[a-z0-9_]+\b/g)) names.add(match[0]);
  }
  return names;
}

/** Metric families on `/metrics` (histograms by their family name). */
async function exportedMetricNames(): Promise<Set<string>> {
  const text = await (await fetch(`${url()}/metrics`)).text();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string));
}

interface Stats {
  throughput: {
    updatesPerS: number | null;
    repliesPerS: number | null;
    updates: number | null;
    replies: number | null;
  };
  responseTimeMs: { count: number; p95: number } | null;
  llm: { requests: number | null; failures: number | null; tokens: number | null };
  actors: { total: number };
  chats: { known: number };
}

interface ChatList {
  items: Array<{ id: number; lastActivityAt: string | null }>;
}

/**
 * Polls `check` until it holds, failing with `what` after `timeoutMs`. Slow
 * enough (every 150 ms) to stay well inside the admin API's rate limit.
 */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

let nextMessageId = 1;

/** A group message with its own date (Telegram dates are whole seconds). */
function groupMessage(
  chatId: number,
  title: string,
  from: { id: number; name: string },
  text: string,
  dateS: number,
): void {
  h.botApi.injectRawUpdate({
    message: {
      message_id: nextMessageId++,
      date: dateS,
      chat: { id: chatId, type: 'supergroup', title },
      from: { id: from.id, is_bot: false, first_name: from.name },
      text,
    },
  });
}

describe('the dashboard reads what the running bot exports', () => {
  it('finds every metric the dashboard and /api/stats read in the live /metrics registry', async () => {
    const read = metricNamesReadBy(['src/http/dashboard', 'src/http/stats']);
    for (const name of Object.values(HeadlineMetric)) read.add(name);
    const exported = await exportedMetricNames();
    expect([...read].filter((name) => !exported.has(name))).toEqual([]);
  });

  it('reports updates/s, replies/s and reply p95 once traffic flows through the emulator', async () => {
    let sent = 0;
    const traffic = setInterval(() => {
      const chatId = 7000 + (sent % 4);
      h.botApi.injectMessage({ chatId, from: { id: chatId, firstName: 'Вася' }, text: `привет, как дела? ${sent++}` });
    }, 40);
    try {
      await eventually(
        'non-null, moving headline figures in /api/stats',
        async () => {
          const s = await api<Stats>('/api/stats');
          return (
            (s.throughput.updatesPerS ?? 0) > 0 &&
            (s.throughput.repliesPerS ?? 0) > 0 &&
            (s.responseTimeMs?.p95 ?? 0) > 0
          );
        },
        20_000,
      );
    } finally {
      clearInterval(traffic);
    }
    const stats = await api<Stats>('/api/stats');
    expect(stats.throughput.updates).toBeGreaterThan(0);
    expect(stats.throughput.replies).toBeGreaterThan(0);
    expect(stats.responseTimeMs?.count).toBe(stats.throughput.replies);
    expect(stats.llm.requests).toBeGreaterThan(0);
    expect(stats.llm.failures).toBe(0);
    expect(stats.llm.tokens).toBeGreaterThan(0);
    const history = await api<{ updatesPerS: Array<number | null>; repliesPerS: Array<number | null> }>(
      '/api/stats/history',
    );
    expect(history.updatesPerS.some((v) => v !== null && v > 0)).toBe(true);
    expect(history.repliesPerS.some((v) => v !== null && v > 0)).toBe(true);
  });
});

describe('chats in the dashboard', () => {
  it('moves a chat’s last activity with every message, so the busiest chat lists first', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const ann = { id: 801, name: 'Аня' };
    groupMessage(-8001, 'Первый', ann, 'всем привет', nowS - 300);
    groupMessage(-8002, 'Второй', ann, 'добрый вечер', nowS - 200);
    groupMessage(-8001, 'Первый', ann, 'я снова тут', nowS - 100);
    const listed = async (): Promise<ChatList['items']> =>
      (await api<ChatList>('/api/chats?limit=200')).items.filter((c) => c.id === -8001 || c.id === -8002);
    await eventually(
      'both chats with their latest activity',
      async () =>
        (await listed()).find((c) => c.id === -8001)?.lastActivityAt === new Date((nowS - 100) * 1000).toISOString(),
    );
    const chats = await listed();
    expect(chats.map((c) => c.id)).toEqual([-8001, -8002]);
    expect(chats[1]?.lastActivityAt).toBe(new Date((nowS - 200) * 1000).toISOString());
  });

  it('counts every stored chat as known, also the ones not in memory after a restart', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    for (let c = 0; c < 5; c++)
      groupMessage(-8100 - c, `Чат ${c}`, { id: 810 + c, name: 'Петя' }, 'ну что, как вы тут', nowS);
    await eventually(
      'the five chats stored',
      async () => (await api<ChatList>('/api/chats?query=Чат&limit=200')).items.length === 5,
    );
    const stored = (await api<ChatList>('/api/chats?limit=200')).items.length;
    await h.restart();
    const stats = await api<Stats>('/api/stats');
    expect(stats.actors.total).toBe(0);
    expect(stats.chats.known).toBe(stored);
  });
});

describe('the chat report', () => {
  it('leaves the bot’s own names and @username out of the top words and the slang it is prompted with', async () => {
    const chatId = -8200;
    const username = h.runtime.telegram.identity.username;
    const people = [
      { id: 821, name: 'Оля' },
      { id: 822, name: 'Игорь' },
      { id: 823, name: 'Дима' },
    ];
    const lines = [`Лёха, пицца будет?`, `@${username} пицца где`, `лехе передайте: пицца остыла`, `Лёх, пицца`];
    const nowS = Math.floor(Date.now() / 1000);
    let i = 0;
    for (const line of lines)
      for (const person of people) groupMessage(chatId, 'Пиццерия', person, `${line} ${i++}`, nowS);
    await eventually('the chat stored and its replies settled', async () => {
      const res = await fetch(`${url()}/api/chats/${chatId}/prompt`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      return res.ok && ((await res.json()) as { prompt: unknown }).prompt !== null && h.botApi.pendingCount === 0;
    });
    const { report } = await api<{ report: { topWords: Array<{ word: string }> } }>(`/api/chats/${chatId}`);
    const words = report.topWords.map((w) => w.word);
    expect(words).toContain('пицца');
    const own = /(^|\s)(л[её]х\S*|lekha|leha|sandbox|bot)(\s|$)/;
    expect(words.filter((w) => own.test(w))).toEqual([]);
    const { prompt } = await api<{ prompt: { description: string } }>(`/api/chats/${chatId}/prompt`);
    const slang = /slang: (.*)/.exec(prompt.description)?.[1] ?? '';
    expect(slang).toContain('пицца');
    expect(slang.split(', ').filter((s) => own.test(s))).toEqual([]);
  });
});
