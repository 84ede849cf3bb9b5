import { describe, expect, it } from 'vitest';
import { type ChatState, emptyChatState } from '../../src/actors/index.js';
import type { ChatReport, UserAnalytics } from '../../src/chat/index.js';
import { toApiReport, toApiUser } from '../../src/http/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const G = -100500;
const masha = { id: 5, firstName: 'Маша' };
const petya = { id: 6, firstName: 'Петя' };

async function apiReport(h: ReturnType<typeof chatActorHarness>) {
  const { report, mode } = await h.supervisor.ask<{ report: ChatReport; mode: 'normal' }>(G, (reply) => ({
    type: 'GetChatReport',
    reply,
  }));
  return toApiReport(report, mode, h.clock.now());
}

describe('activity by hour in the admin API', () => {
  it('counts a message in its UTC hour, not in the chat’s Moscow hour', async () => {
    const h = chatActorHarness();
    // 22:30 UTC is 01:30 in Moscow (the default chat offset, +3:00).
    const at = Date.UTC(2026, 0, 5, 22, 30);
    await h.clock.advance(at - h.clock.now());
    h.say(G, 'поздно уже', { from: masha });
    await h.clock.advance(0);
    const report = await apiReport(h);
    expect(report.activityByHour[22]).toBe(1);
    expect(report.activityByHour[1]).toBe(0);
    const user = await h.supervisor.ask<UserAnalytics | null>(G, (reply) => ({
      type: 'GetUserAnalytics',
      userId: masha.id,
      reply,
    }));
    expect(toApiUser(user as UserAnalytics).activityByHour[22]).toBe(1);
  });

  it('follows a chat’s own offset, also one of half an hour', async () => {
    const h = chatActorHarness();
    // 22:10 UTC is 03:40 at +5:30; local hour 3 starts at 21:30 UTC.
    await h.clock.advance(Date.UTC(2026, 0, 5, 22, 10) - h.clock.now());
    await h.supervisor.ask(G, (reply) => ({ type: 'PatchSettings', patch: { utcOffsetMinutes: 330 }, reply }));
    h.say(G, 'не спится', { from: masha });
    await h.clock.advance(0);
    const report = await apiReport(h);
    expect(report.activityByHour.reduce((a, b) => a + b, 0)).toBe(1);
    expect(report.activityByHour[21]).toBe(1);
  });
});

describe('the bot’s own names in the chat’s words', () => {
  it('are not counted as the chat’s words, whether called by name or by @username', async () => {
    const h = chatActorHarness();
    for (const from of [masha, petya]) {
      for (const text of ['Лёха, где пицца?', '@lekha_bot пицца где', 'лехе привет, пицца остыла', 'Лёх, пицца'])
        h.say(G, text, { from });
    }
    await h.clock.advance(0);
    const report = await apiReport(h);
    const words = report.topWords.map((w) => w.word);
    expect(words).toContain('пицца');
    expect(words.filter((w) => /^(л[её]х|lekha|bot$)/.test(w))).toEqual([]);
  });

  it('are dropped from a stored state that counted them before', async () => {
    const stored: ChatState = emptyChatState(G, Date.UTC(2026, 0, 1));
    stored.chat.chat.words['лех'] = [40, 'лёха', 3, 5];
    stored.chat.chat.words['пицц'] = [12, 'пицца', 3, 5];
    stored.chat.chat.phrases['лех пицц'] = [9, 'лёха пицца', 2, 5];
    stored.chat.chat.phrases['пицц остыл'] = [9, 'пицца остыла', 2, 5];
    const h = chatActorHarness({ state: stored });
    const report = await apiReport(h);
    expect(report.topWords.map((w) => w.word)).toEqual(['пицца']);
    const state = await h.state(G);
    expect(Object.keys(state.chat.chat.phrases)).toEqual(['пицц остыл']);
  });
});
