import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { type Runtime, startRuntime } from '../../src/main.js';
import type { PluginInfo } from '../../src/ports/index.js';
import type { SentRecord } from '../../src/sandbox/index.js';
import { waitFor } from '../support/edge-harness.js';

const ADMIN_TOKEN = 'sandbox-integrations-admin-0123456789';
/** A real TMDB address in the environment: sandbox mode then leaves TMDB to the operator, who gave no key. */
const env = { TMDB_BASE_URL: 'https://api.themoviedb.org/3' };

let runtime: Runtime;
let dataDir: string;
const logged: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'lekha-sandbox-integrations-'));
  // No TELEGRAM_BOT_TOKEN and no GROQ_API_KEY: `lekha start` in sandbox mode, every emulator with it.
  const config = loadConfig({
    DATA_DIR: dataDir,
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    ADMIN_TOKEN,
    EMBED_THREADS: '1',
    MEMORY_SHARDS: '1',
  });
  const logger = pino(
    { level: 'info' },
    new Writable({ write: (chunk, _enc, done) => done(void logged.push(String(chunk))) }),
  );
  runtime = await startRuntime(config, logger, { env });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function sandbox() {
  if (runtime.sandbox === null) throw new Error('expected sandbox mode (no TELEGRAM_BOT_TOKEN)');
  return runtime.sandbox;
}

let nextChat = 7100;

/** A member's message in a fresh private chat, as `POST /_emulator/messages`; resolves to the bot's first answer there. */
async function ask(text: string): Promise<string> {
  const chatId = nextChat++;
  const root = sandbox().botApi.apiRoot;
  const posted = await fetch(`${root}/_emulator/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, text, first_name: 'Тестер' }),
  });
  expect(posted.status).toBe(200);
  let sent: SentRecord[] = [];
  await waitFor(
    `an answer to ${JSON.stringify(text)}`,
    async () => {
      sent = ((await (await fetch(`${root}/_emulator/sent?chat_id=${chatId}`)).json()) as { result: SentRecord[] })
        .result;
      return sent.length > 0;
    },
    60_000,
  );
  return sent[0]!.text;
}

describe('the integrations in sandbox mode', () => {
  it('answers their commands from the emulated APIs, with no key and no network', { timeout: 120_000 }, async () => {
    expect(await ask('/weather Москва')).toMatch(/^Москва, Россия:/);
    expect(await ask('/route Москва — Тверь')).toMatch(/^Москва, Россия → Тверь, Тверская область, Россия/);
    expect(await ask('/price btc')).toMatch(/Bitcoin/);
    expect(await ask('/recipe борщ')).toMatch(/Borscht/i);
    expect(await ask('/song Кино Группа крови')).toMatch(/Группа крови/);
    expect(await ask('/news')).toMatch(/•/);
    expect(await ask('/coin')).toMatch(/Орёл|Решка/);
    // The start-up line tells the operator where the emulated APIs are.
    expect(logged.join('')).toContain(`"upstreams":"${sandbox().upstreams.url} `);
    // Every answer came from the emulator, none from the internet.
    const calls = sandbox().upstreams.stats().requests;
    for (const api of ['open-meteo', 'open-meteo-geocoding', 'osrm', 'coingecko', 'themealdb', 'itunes', 'feeds'])
      expect(calls[api], api).toBeGreaterThan(0);
  });

  it('answers a plain question through the model calling the tool', { timeout: 120_000 }, async () => {
    const answer = await ask('Лёха, какой сейчас курс биткоина?');
    // The Groq emulator's answer quotes what the tool returned; when it does not, the log says why.
    const why = logged.filter((line) => /model call failed|offline responder|tool/.test(line)).join('');
    expect(answer, why).toMatch(/Bitcoin/);
    // The simulated chats talk to the same emulated Groq: none of them leaves this one without a quota.
    expect(runtime.llm.stats().offlineByReason, why).toEqual({});
  });

  it('keeps a plugin whose key is missing off, says so in the chat, and shows it as needing configuration', async () => {
    expect(await ask('/movie Дюна')).toBe('/movie у этого бота пока не настроена: её подключает владелец бота.');
    const response = await fetch(`${runtime.http!.url}/api/plugins`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const plugins = (await response.json()) as { items?: PluginInfo[] } | PluginInfo[];
    const list = Array.isArray(plugins) ? plugins : (plugins.items ?? []);
    const byName = new Map(list.map((p) => [p.name, p]));
    for (const name of ['weather', 'transport', 'crypto', 'food', 'movies', 'music', 'news', 'games'])
      expect(byName.has(name)).toBe(true);
    expect(byName.get('movies')?.unavailable).toBe('needs TMDB_API_KEY (a TMDB API key or read access token)');
    expect(byName.get('crypto')?.unavailable).toBeNull();
    expect(sandbox().upstreams.stats().requests['tmdb']).toBe(0);
  });
});
