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

  it('defines, versions and retires a persona through the API; chats take each change from their next message, and it survives a restart', async () => {
    const api = (method: string, route: string, body?: unknown, token = ADMIN) =>
      fetch(`${h.runtime.http!.url}/api${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const viewer = (
      (await (await api('POST', '/tokens', { role: 'viewer', label: 'personas viewer' })).json()) as {
        token: string;
      }
    ).token;
    const alyona = {
      name: 'Алёна',
      aliases: ['Алёна', 'Алена'],
      character: ['You are {name}, a gardener who knows every plant.'],
    };

    // Bad definitions are refused naming the field, and change nothing.
    const withVersion = await api('POST', '/personas', { ...alyona, version: 7 });
    expect(withVersion.status).toBe(400);
    expect(await withVersion.json()).toMatchObject({
      code: 'PERSONA_INVALID',
      message: expect.stringContaining('version:'),
    });
    const badAlias = await api('POST', '/personas', { ...alyona, aliases: ['two words'] });
    expect(badAlias.status).toBe(400);
    expect(((await badAlias.json()) as { message: string }).message).toContain('aliases.0: an alias is one word');
    const configured = await api('POST', '/personas', { name: 'вася', character: ['x'] });
    expect(configured.status).toBe(409);
    expect(await configured.json()).toMatchObject({ code: 'PERSONA_READONLY' });
    expect((await api('POST', '/personas', alyona, viewer)).status).toBe(403);

    const saved = await api('POST', '/personas', alyona);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ name: 'Алёна', version: 1, id: 'Алёна@1', source: 'dashboard' });

    const chatId = -100_4244;
    h.botApi.injectMessage({ chatId, from: { id: 75, firstName: 'Ира' }, text: 'Вася, привет' });
    await waitFor('the first reply', () => h.botApi.sentTo(chatId).length >= 1);
    await waitFor('the chat in the archive', async () => (await api('GET', `/chats/${chatId}`)).status === 200);
    expect((await api('PATCH', `/chats/${chatId}/settings`, { persona: 'алена' })).status).toBe(200);
    const asked = async (text: string, replies: number) => {
      const before = proxy.completions.length;
      h.botApi.injectMessage({ chatId, from: { id: 75, firstName: 'Ира' }, text });
      await waitFor(`the reply to ${text}`, () => h.botApi.sentTo(chatId).length >= replies);
      return proxy.completions[before]!.messages[0]!.content;
    };
    expect(await asked('Алёна, что посадить?', 2)).toContain('You are Алёна, a gardener who knows every plant.');

    const second = await api('POST', '/personas', {
      ...alyona,
      character: ['You are {name}, a gardener and a beekeeper.'],
    });
    expect(await second.json()).toMatchObject({ version: 2, id: 'Алёна@2' });
    expect(await asked('Алёна, а пчёлы?', 3)).toContain('You are Алёна, a gardener and a beekeeper.');
    const versions = (await (await api('GET', '/personas/Алёна/versions', undefined, viewer)).json()) as {
      versions: { version: number; definition: { character: string[] } }[];
    };
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.versions[1]!.definition.character).toEqual(['You are {name}, a gardener who knows every plant.']);
    const audited = (await (await api('GET', '/audit?action=persona.save')).json()) as {
      items: { statusCode: number; details: { version?: number } }[];
    };
    // Every call is audited, the refused ones too; the saves carry their versions.
    expect(audited.items.filter((i) => i.statusCode === 200).map((i) => i.details.version)).toEqual([2, 1]);
    expect(audited.items.filter((i) => i.statusCode !== 200).map((i) => i.statusCode)).toEqual([403, 409, 400, 400]);

    await h.restart();
    const listed = (await (await api('GET', '/personas')).json()) as { personas: { id: string }[] };
    expect(listed.personas.map((p) => p.id)).toEqual(['Вася@1', 'Алёна@2']);
    expect((await api('DELETE', '/personas/Вася')).status).toBe(409);
    expect((await api('DELETE', '/personas/Алёна')).status).toBe(200);
    expect((await api('DELETE', '/personas/Алёна')).status).toBe(404);
    // The chat that had Алёна follows the default again: answers to Вася, prompted as Вася.
    expect(await asked('Вася, ты где?', 4)).toMatch(/^You are Вася, a member of a Telegram group chat/);
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
          source: 'config',
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
