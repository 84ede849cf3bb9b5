import { describe, expect, it } from 'vitest';
import type { ChatState } from '../src/actors/index.js';
import { chatAdminPorts } from '../src/chat-admin-ports.js';
import { chatActorHarness } from './support/chat-actor-harness.js';

const LIVE = -10;
const STORED = -20;
const masha = { id: 5, firstName: 'Маша', username: 'masha' };
const petya = { id: 6, firstName: 'Петя', username: 'petya' };

/** A stored snapshot of a chat, made by a chat actor of its own harness. */
async function storedChat(): Promise<ChatState> {
  const h = chatActorHarness();
  h.say(STORED, 'Всем привет, идём в кино', { from: masha });
  h.say(STORED, 'Отлично, я за!', { from: petya, replyTo: { messageId: 100, fromId: masha.id } });
  await h.clock.advance(0);
  return h.state(STORED);
}

describe('the admin API’s chat ports over chat actors', () => {
  it('asks a live chat, reads a passivated one from its snapshot without activating it, in the API’s shapes', async () => {
    const stored = await storedChat();
    const h = chatActorHarness();
    const loads: number[] = [];
    const { insights } = chatAdminPorts(
      h.supervisor,
      async (chatId) => {
        loads.push(chatId);
        return chatId === STORED ? stored : undefined;
      },
      h.clock,
    );
    h.say(LIVE, 'привет', { from: masha });
    await h.clock.advance(0);

    const live = await insights.chatReport(LIVE);
    expect(live).toMatchObject({
      source: 'live',
      value: {
        chatId: LIVE,
        mode: 'normal',
        messages: 1,
        topMembers: [{ userId: masha.id, displayName: 'Маша', messages: 1 }],
      },
    });

    const fromSnapshot = await insights.chatReport(STORED);
    expect(fromSnapshot).toMatchObject({ source: 'snapshot', value: { chatId: STORED, messages: 2 } });
    const members = await insights.allUserAnalytics(STORED);
    expect(members?.value.map((u) => u.userId)).toEqual([masha.id, petya.id]);
    expect(members?.value.find((u) => u.userId === petya.id)?.repliesTo).toEqual([
      { userId: masha.id, count: expect.any(Number) },
    ]);
    expect((await insights.settings(STORED))?.value).toMatchObject({
      mode: 'normal',
      language: 'auto',
      filters: { flood: true, pii: true },
    });
    expect(await insights.userAnalytics(STORED, 404)).toBeUndefined();
    expect(await insights.chatReport(-30)).toBeUndefined();

    expect(loads).toEqual([STORED, STORED, STORED, STORED, -30]);
    expect(h.supervisor.stats().live).toBe(1);
  });

  it('changes the mode and settings through the chat’s actor and answers with what it applied', async () => {
    const h = chatActorHarness();
    const { control, insights } = chatAdminPorts(h.supervisor, async () => undefined, h.clock);
    expect((await control.setMode(LIVE, 'active')).mode).toBe('active');
    const patched = await control.updateSettings(LIVE, {
      bannedWords: ['редиска'],
      rateLimitPerUserPerMin: 10,
      allowedLinkDomains: ['example.org'],
      filters: { links: false },
    });
    expect(patched).toMatchObject({
      mode: 'active',
      bannedWords: ['редиска'],
      rateLimitPerUserPerMin: 10,
      allowedLinkDomains: ['example.org'],
      filters: { links: false },
    });
    expect((await insights.settings(LIVE))?.value).toEqual(patched);
    expect((await h.state(LIVE)).chat.settings).toMatchObject({
      mode: 'active',
      rateLimit: { refillPerMinute: 10 },
      links: { allow: ['example.org'], blockInvites: false },
    });
  });

  it('refuses settings the bot cannot honour, naming them, and changes nothing', async () => {
    const h = chatActorHarness();
    const { control } = chatAdminPorts(h.supervisor, async () => undefined, h.clock);
    await expect(
      control.updateSettings(LIVE, { filters: { pii: false, flood: false }, language: 'en' }),
    ).rejects.toMatchObject({
      code: 'CHAT_SETTINGS_INVALID',
      issues: [expect.stringContaining('filters.pii'), expect.stringContaining('filters.flood')],
    });
    await expect(control.updateSettings(LIVE, { bannedWords: ['x'] })).rejects.toMatchObject({
      code: 'CHAT_SETTINGS_INVALID',
    });
    expect(h.supervisor.stats().live).toBe(1);
    const settings = (await h.state(LIVE)).chat.settings;
    expect(settings.bannedWords).toEqual([]);
    expect(settings.language).toBe('auto');
  });
});
