import { describe, expect, it } from 'vitest';
import {
  CHAT_STATE_UPGRADES,
  CHAT_STATE_VERSION,
  type ChatState,
  emptyChatState,
  parseChatState,
} from '../../src/actors/index.js';
import { ChatSettingsInvalidError, patchChatSettings } from '../../src/chat/index.js';
import type { Counter } from '../../src/runtime/index.js';
import { SnapshotFormat } from '../../src/storage/index.js';
import { chatActorHarness } from '../support/chat-actor-harness.js';

const G = -400;
const masha = { id: 5, firstName: 'Маша' };

function format(): SnapshotFormat<ChatState> {
  return new SnapshotFormat<ChatState>({
    version: CHAT_STATE_VERSION,
    upgrades: CHAT_STATE_UPGRADES,
    parse: parseChatState,
  });
}

/** A chat whose bot has been there a week, with the given anomaly action. */
function chatWith(action: 'alert' | 'slow' | 'restrict', nowMs: number): ChatState {
  const state = emptyChatState(G, nowMs - 7 * 86_400_000);
  state.chat.settings.anomaly.action = action;
  return state;
}

function anomalies(h: ReturnType<typeof chatActorHarness>, kind: string): number {
  const counter = [...h.metrics.all()].find((m) => m.name === 'lekha_anomalies_total' && m.labels['kind'] === kind) as
    Counter | undefined;
  return counter?.value ?? -1;
}

async function raid(h: ReturnType<typeof chatActorHarness>, joiners: number): Promise<void> {
  for (let i = 0; i < joiners; i++)
    h.say(G, '', { from: { id: 9000 + i, firstName: 'Promo' }, newMembers: [{ id: 9000 + i, firstName: 'Promo' }] });
  await h.clock.advance(0);
}

describe('ChatActor anomaly detection', () => {
  it('counts a raid and, with the slow action, keeps the bot quiet toward its newcomers but not toward members', async () => {
    const h0 = chatActorHarness();
    const nowMs = h0.clock.now();
    const h = chatActorHarness({ state: chatWith('slow', nowMs) });
    // Masha has written a few times: a member, not a newcomer.
    for (const text of ['всем привет', 'как дела', 'я тут']) h.say(G, text, { from: masha });
    await raid(h, 12);
    expect(anomalies(h, 'join_burst')).toBe(1);
    const state = await h.state(G);
    expect(state.chat.anomaly.slowUntilMs).toBe(h.clock.now() + 60 * 60_000);

    h.say(G, 'Лёха, привет, расскажи про заработок', { from: { id: 9003, firstName: 'Promo' } });
    await h.clock.advance(0);
    expect(h.llm.requests).toHaveLength(0);
    h.say(G, 'Лёха, что это за люди?', { from: masha });
    await h.clock.advance(0);
    expect(h.llm.requests).toHaveLength(1);

    // After the slow-down the newcomers are answered again.
    await h.clock.advance(61 * 60_000);
    h.llm.requests[0]?.answer('не знаю');
    await h.clock.advance(0);
    h.say(G, 'Лёха, а теперь?', { from: { id: 9004, firstName: 'Promo' } });
    await h.clock.advance(0);
    expect(h.llm.requests).toHaveLength(2);
  });

  it('tells the admins of a Ukrainian chat about a raid in Ukrainian', async () => {
    const h0 = chatActorHarness();
    const state = chatWith('alert', h0.clock.now());
    state.chat.settings.anomaly.action = 'notify_admins';
    state.chat.settings.language = 'uk';
    const h = chatActorHarness({ state });
    await raid(h, 12);
    await h.clock.advance(0);
    const notice = h.egress.sent.find((s) => s.text.startsWith('⚠️'));
    expect(notice?.text).toMatch(/^⚠️ Адмінам: схоже на рейд\. /);
  });

  it('refuses the restrict action without a way to restrict members, and still alerts', async () => {
    const h0 = chatActorHarness();
    const h = chatActorHarness({ state: chatWith('restrict', h0.clock.now()) });
    h.say(G, 'всем привет', { from: masha });
    await raid(h, 12);
    await h.clock.advance(0);
    expect(anomalies(h, 'join_burst')).toBe(1);
    const failed = [...h.metrics.all()].find((m) => m.name === 'lekha_anomaly_actions_failed_total') as Counter;
    expect(failed.value).toBe(1);
  });

  it('lets chat admins choose the action with /anomaly, and refuses others and bad values', async () => {
    const admin = { id: 6, firstName: 'Петя' };
    const h = chatActorHarness({ admins: [admin.id] });
    expect(await h.ask(G, '/anomaly', masha)).toMatch(/alert \(60 мин\)/);
    expect(await h.ask(G, '/anomaly restrict 30', masha)).toBe('Это меняют только админы чата.');
    expect(await h.ask(G, '/anomaly ban', admin)).toMatch(/^Не знаю «ban»/);
    expect(await h.ask(G, '/anomaly slow 0', admin)).toMatch(/^Не знаю «slow 0»/);
    expect((await h.state(G)).chat.settings.anomaly).toEqual({ action: 'alert', minutes: 60 });
    expect(await h.ask(G, '/anomaly restrict 30', admin)).toMatch(/ограничиваю новичков на 30 мин/);
    expect((await h.state(G)).chat.settings.anomaly).toEqual({ action: 'restrict', minutes: 30 });
  });

  it('keeps the detectors’ baselines across a snapshot and restore', async () => {
    const h = chatActorHarness();
    h.say(G, 'всем привет', { from: masha });
    await raid(h, 3);
    const state = await h.state(G);
    expect(state.chat.anomaly.newcomers.map(([id]) => id)).toEqual([9000, 9001, 9002]);
    const f = format();
    const restored = f.decode(`chat:${G}`, CHAT_STATE_VERSION, f.encode(state));
    expect(restored.chat.anomaly).toEqual(state.chat.anomaly);

    const again = chatActorHarness({ state: restored });
    expect((await again.state(G)).chat.anomaly.joins).toEqual(state.chat.anomaly.joins);
  });

  it('upgrades a version-3 snapshot: empty detector state and the alert-only action', () => {
    const current = emptyChatState(G, 1_700_000_000_000);
    const { anomaly: _state, ...chat } = current.chat;
    const { anomaly: _setting, ...settings } = chat.settings;
    const v3 = { ...current, version: 3, chat: { ...chat, version: 2, settings } };
    const bytes = new SnapshotFormat<unknown>({ version: 3, parse: (v) => v }).encode(v3);
    const upgraded = format().decode(`chat:${G}`, 3, bytes);
    expect(upgraded.version).toBe(CHAT_STATE_VERSION);
    expect(upgraded.chat.settings.anomaly).toEqual({ action: 'alert', minutes: 60 });
    expect(upgraded.chat.anomaly).toEqual(current.chat.anomaly);
  });

  it('refuses a snapshot whose detector state is corrupt instead of resetting it', () => {
    const state = emptyChatState(G, 1_700_000_000_000);
    (state.chat.anomaly as { joins: unknown }).joins = [1, 2];
    expect(() => parseChatState(structuredClone(state))).toThrow(/anomaly\.joins/);
  });

  it.each([
    [{ anomaly: { action: 'ban' } }, 'anomaly.action'],
    [{ anomaly: { minutes: 0 } }, 'anomaly.minutes'],
  ])('refuses bad anomaly settings %j, naming the field and changing nothing', (patch, field) => {
    const current = emptyChatState(G, 0).chat.settings;
    const before = structuredClone(current);
    expect(() => patchChatSettings(current, patch)).toThrow(ChatSettingsInvalidError);
    expect(() => patchChatSettings(current, patch)).toThrow(field);
    expect(current).toEqual(before);
  });
});
