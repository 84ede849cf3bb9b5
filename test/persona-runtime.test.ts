import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { startRuntime } from '../src/main.js';
import { StartError } from '../src/start-error.js';
import { GroqEmulator } from '../src/sandbox/index.js';
import { type Harness, startHarness, waitFor } from './support/edge-harness.js';
import { RecordingGroqProxy } from './support/recording-groq-proxy.js';

const ADMIN = 'persona-runtime-admin-token-0001';

type Settings = { settings: { personaTuning: unknown } };

describe('personas through startRuntime', () => {
  let groq: GroqEmulator;
  let proxy: RecordingGroqProxy;
  let h: Harness;

  beforeAll(async () => {
    groq = await GroqEmulator.start({ latency: 1 });
    proxy = await RecordingGroqProxy.start(groq.baseURL);
    h = await startHarness({
      env: {
        GROQ_API_KEY: groq.apiKey,
        GROQ_BASE_URL: proxy.url,
        PERSONA_NAME: 'Вася',
        PERSONA_ALIASES: 'Вася,Василий',
        ADMIN_TOKEN: ADMIN,
        // The embedded database: the admin API knows chats from the archive.
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'lekha-persona-runtime-')),
      },
      storage: true,
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await groq?.close();
  });

  it('answers to PERSONA_NAME and its case forms, not to Лёха, and prompts the model as Вася', async () => {
    const chatId = -100_4242;
    const from = { id: 71, firstName: 'Аня' };
    h.botApi.injectMessage({ chatId, from, text: 'Лёха, ты тут?' });
    const called = h.botApi.injectMessage({ chatId, from: { id: 72, firstName: 'Боря' }, text: 'Васей его зовут' });
    await waitFor('the reply to Васей', () => h.botApi.sentTo(chatId).length >= 1);
    const greeted = h.botApi.injectMessage({ chatId, from: { id: 73, firstName: 'Кира' }, text: 'Вася, привет' });
    await waitFor('the reply to Вася', () => h.botApi.sentTo(chatId).length >= 2);
    // Лёха is no longer a name of the bot: the replies answer the two messages that call Вася.
    expect(proxy.completions.map((c) => c.messages[1]!.content.match(/answer to message #(\d+)/)?.[1])).toEqual([
      String(called.message.message_id),
      String(greeted.message.message_id),
    ]);
    for (const completion of proxy.completions) {
      const system = completion.messages[0]!.content;
      expect(system).toMatch(/^You are Вася, a member of a Telegram group chat/);
      expect(system).not.toContain('Лёха');
      expect(completion.messages[1]!.content).toContain('YOU (Вася)');
    }
  });

  it("tunes a chat's persona through the API within the persona's limits, and the next prompt follows the tuning", async () => {
    const chatId = -100_4243;
    h.botApi.injectMessage({ chatId, from: { id: 74, firstName: 'Дина' }, text: 'Вася, привет' });
    await waitFor('the first reply', () => h.botApi.sentTo(chatId).length >= 1);
    const known = () =>
      fetch(`${h.runtime.http!.url}/api/chats/${chatId}`, { headers: { authorization: `Bearer ${ADMIN}` } }).then(
        (res) => res.status === 200,
      );
    await waitFor('the chat in the archive', known);
    const patch = (body: object) =>
      fetch(`${h.runtime.http!.url}/api/chats/${chatId}/settings`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await patch({ personaTuning: { emoji: 'none', styleLines: ['Talk about fishing'] } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: 'CHAT_SETTINGS_INVALID',
      message: expect.stringContaining("personaTuning.styleLines: Вася allows at most 0 style lines of a chat's own"),
    });
    const tuned = await patch({ personaTuning: { replyLength: 'short', emoji: 'none' } });
    expect(tuned.status).toBe(200);
    expect(((await tuned.json()) as Settings).settings.personaTuning).toEqual({ replyLength: 'short', emoji: 'none' });

    const before = proxy.completions.length;
    h.botApi.injectMessage({ chatId, from: { id: 74, firstName: 'Дина' }, text: 'Вася, как дела?' });
    await waitFor('the tuned reply', () => h.botApi.sentTo(chatId).length >= 2);
    const system = proxy.completions[before]!.messages[0]!.content;
    expect(system).toContain('Keep your messages short: one or two sentences.');
    expect(system).toContain('Never use emoji.');
    expect(((await (await patch({ personaTuning: null })).json()) as Settings).settings.personaTuning).toBeNull();
  });

  it('lists the persona on GET /api/personas', async () => {
    const res = await fetch(`${h.runtime.http!.url}/api/personas`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await res.json()).toEqual({
      personas: [
        {
          name: 'Вася',
          version: 1,
          id: 'Вася@1',
          aliases: ['Вася', 'Василий'],
          language: 'match',
          replyLength: null,
          emoji: null,
          model: null,
          character: [expect.stringMatching(/^You are \{name\}, a member of a Telegram group chat/)],
          styleRules: [expect.stringContaining('chat buddy')],
          tunable: { replyLength: ['short', 'medium', 'long'], emoji: ['none', 'rare', 'free'], styleLines: 0 },
          default: true,
        },
      ],
    });
  });

  it('does not start with a bad persona file, naming the file and the field', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lekha-persona-start-'));
    const file = path.join(dir, 'personas.yaml');
    writeFileSync(file, 'personas:\n  - name: Вася\n    version: one\n    character: [x]\n');
    const config = loadConfig({ PERSONA_FILE: file, HTTP_PORT: '0', LOG_LEVEL: 'silent' });
    const failed = await startRuntime(config, pino({ level: 'silent' }), { persistence: null }).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(StartError);
    expect((failed as StartError).code).toBe('CONFIG_INVALID');
    expect((failed as StartError).message).toContain(
      `PERSONA_FILE ${file}: persona "Вася" (personas[0]): version: version must be a positive whole number`,
    );
  });
});
