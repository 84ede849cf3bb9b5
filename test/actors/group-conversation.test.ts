import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import type { ChatReport, UserAnalytics } from '../../src/chat/index.js';
import {
  anna,
  boris,
  conversationScript,
  dima,
  egor,
  type Expect,
  frank,
  gosha,
  type Line,
  type Person,
  spammer,
  vika,
} from '../chat/support/group-conversation-script.js';
import { bot, chatActorHarness } from '../support/chat-actor-harness.js';

/**
 * The scripted 500-message group conversation of the chat pipeline's tests,
 * replayed as Telegram updates through a real Supervisor and ChatActor with
 * recording ports: what the bot sends, what it asks the model, what it
 * archives, and what the admin messages report afterwards.
 */

const CHAT = -100500;
const MODEL_TEXT = 'Да нормально всё, живём!';

interface Run {
  lines: Line[];
  /** Telegram message id of each line (the redelivered one repeats its original's). */
  ids: number[];
  h: ReturnType<typeof chatActorHarness>;
  /** Trigger ids the model was asked about, in order. */
  asked: number[];
  state: ChatState;
  report: ChatReport;
  user: (p: Person) => Promise<UserAnalytics | null>;
}

async function replay(): Promise<Run> {
  const lines = conversationScript();
  const h = chatActorHarness({ admins: [boris.id] });
  const labels = new Map<string, { id: number; from: number }>();
  const ids: number[] = [];
  const asked: number[] = [];
  /** Model requests not answered yet, with the number of messages still to arrive before the answer. */
  const held: Array<{ index: number; due: number }> = [];
  const triggerOf = (index: number): number =>
    Number(/answer to message #(\d+)/.exec(h.llm.requests[index]!.request.messages[1]!.content ?? '')![1]);
  let seen = 0;
  const settle = async (latency: number): Promise<void> => {
    await h.clock.advance(0);
    for (;;) {
      for (; seen < h.llm.requests.length; seen++) {
        asked.push(triggerOf(seen));
        held.push({ index: seen, due: seen === h.llm.requests.length - 1 ? latency : 0 });
        latency = 0;
      }
      const ready = held.findIndex((r) => r.due <= 0);
      if (ready < 0) return;
      const [{ index }] = held.splice(ready, 1) as [{ index: number; due: number }];
      const trigger = triggerOf(index);
      h.llm.requests[index]!.answer(MODEL_TEXT);
      await h.clock.advance(0);
      const label = [...labels].find(([, v]) => v.id === trigger)?.[0];
      const sent = h.egress.sent.find((s) => s.replyTo === trigger && s.text === MODEL_TEXT);
      if (label !== undefined && sent !== undefined) labels.set(`bot:${label}`, { id: sent.messageId, from: bot.id });
    }
  };

  for (const line of lines) {
    await h.clock.advance(line.afterMs ?? 30_000);
    h.random.value = line.lucky === true ? 0 : 0.99;
    let id: number;
    if (line.redeliver) {
      id = ids.at(-1)!;
      h.redeliver(CHAT, h.lastUpdateId(), id);
    } else {
      const replyTo = line.replyTo === undefined ? undefined : labels.get(line.replyTo);
      if (line.replyTo !== undefined && replyTo === undefined) throw new Error(`unknown label ${line.replyTo}`);
      const from = { id: line.who.id, firstName: line.who.name, username: line.who.username };
      id = h.say(CHAT, line.text, {
        from,
        ...(replyTo === undefined ? {} : { replyTo: { messageId: replyTo.id, fromId: replyTo.from } }),
        ...(line.joins === undefined
          ? {}
          : { newMembers: line.joins.map((p) => ({ id: p.id, firstName: p.name, username: p.username })) }),
      });
      if (line.label !== undefined) labels.set(line.label, { id, from: line.who.id });
    }
    ids.push(id);
    for (const r of held) r.due--;
    await settle(line.latency ?? 0);
  }
  const state = await h.state(CHAT);
  const { report } = await h.supervisor.ask<{ report: ChatReport }>(CHAT, (reply) => ({
    type: 'GetChatReport',
    reply,
  }));
  const user = (p: Person) =>
    h.supervisor.ask<UserAnalytics | null>(CHAT, (reply) => ({ type: 'GetUserAnalytics', userId: p.id, reply }));
  return { lines, ids, h, asked, state, report, user };
}

describe('a scripted 500-message group conversation through a chat actor', () => {
  let run: Run;
  const idsWhere = (p: (line: Line) => boolean): number[] =>
    run.lines.flatMap((line, i) => (p(line) ? [run.ids[i]!] : []));
  const expecting = (...kinds: Expect[]) => idsWhere((l) => l.expect !== undefined && kinds.includes(l.expect));
  const countBy = (who: Person): number =>
    run.lines.filter((l) => l.who === who && l.text !== '' && !l.redeliver).length;

  beforeAll(async () => {
    run = await replay();
  });

  it('processes every update once: 500 messages with text, the redelivered one skipped', () => {
    expect(run.state.chat.chat.messages).toBe(500);
    expect(run.h.counters.redeliveries.value).toBe(1);
    expect(run.state.processedMessages).toBe(run.lines.filter((l) => !l.redeliver).length);
  });

  it('answers exactly the scripted messages, and asks the model for exactly the scripted replies and follow-ups, none twice', () => {
    const answered = run.h.egress.sent.map((s) => s.replyTo);
    expect(answered).toEqual(expecting('llm', 'followup', 'answer', 'warn', 'rate-warn'));
    expect(new Set(answered).size).toBe(answered.length);
    expect(run.asked).toEqual(expecting('llm', 'followup'));
    const modelReplies = run.h.egress.sent.filter((s) => s.text === MODEL_TEXT).map((s) => s.replyTo);
    expect(modelReplies).toEqual(expecting('llm', 'followup'));
    expect(run.state.chat.inFlight).toBeNull();
  });

  it('asks Telegram about admin status for /mode and for invite links, and applies /mode only for the admin', () => {
    // The chat's admin list is asked for at the spammer's first invite link (admins may post
    // links), and again whenever a /mode comes more than ten minutes after the last answer:
    // Telegram's list is trusted for ten minutes only.
    expect(run.h.adminChecks).toEqual([CHAT, CHAT, CHAT]);
    expect(run.state.chat.settings.mode).toBe('normal');
    const modeAnswers = run.h.egress.sent.filter(
      (s) => expecting('answer').includes(s.replyTo!) && /mode|режим/i.test(s.text),
    );
    expect(modeAnswers.length).toBeGreaterThanOrEqual(3);
  });

  it('builds member profiles keyed by user id, with languages and favourite words', async () => {
    const g = (await run.user(gosha))!;
    expect(g.messages).toBe(countBy(gosha));
    expect(g.favouriteWords[0]?.word).toMatch(/^бот/);
    expect((await run.user(frank))!.languages).toEqual({ en: countBy(frank) });
    expect(await run.user(spammer)).toMatchObject({ violations: 2, isNew: true });
    expect(Object.keys(run.state.chat.members).sort()).toEqual(
      [anna, boris, dima, egor, frank, vika, gosha, spammer].map((p) => String(p.id)).sort(),
    );
  });

  it('finds Аня and Борис as allies and Дима and Егор in conflict, with evidence from their own messages', async () => {
    const pair = (r: { a: { userId: number }; b: { userId: number } }): string =>
      [r.a.userId, r.b.userId].sort().join('-');
    expect(run.report.allies.map(pair)).toContain(`${anna.id}-${boris.id}`);
    expect(run.report.conflicts.map(pair)).toEqual([`${dima.id}-${egor.id}`]);
    const insults = idsWhere(
      (l) => (l.who === egor && l.text.startsWith('ты идиот')) || (l.who === dima && l.text.startsWith('сам дурак')),
    );
    expect(run.report.conflicts[0]!.evidence.length).toBeGreaterThan(0);
    expect(run.report.conflicts[0]!.evidence.every((id) => insults.includes(id))).toBe(true);
    expect((await run.user(egor))!.relations.conflicts.map((c) => c.userId)).toEqual([dima.id]);
  });

  it('reports top members, filters and redactions, and never keeps or archives the phone number', () => {
    const people = [anna, boris, dima, egor, frank, vika, gosha, spammer];
    const expectedTop = people.map((p) => ({ id: p.id, n: countBy(p) })).sort((a, b) => b.n - a.n || a.id - b.id);
    expect(run.report.topMembers.map((m) => [m.userId, m.messages])).toEqual(expectedTop.map((e) => [e.id, e.n]));
    expect(run.report.pii).toEqual({ phone: 1 });
    expect(run.report.filters).toEqual({ invite: 2 });
    expect(JSON.stringify(run.state)).not.toContain('555-12-34');
    expect(run.h.archive.messages.some((m) => m.text.includes('555-12-34'))).toBe(false);
  });

  it('archives the chat with every message and on each mode change, every member once, and every processed message', () => {
    expect(run.h.archive.messages).toHaveLength(run.state.processedMessages);
    expect(run.h.archive.users.map((u) => u.userId).sort()).toEqual(
      [anna, boris, dima, egor, frank, vika, gosha, spammer].map((p) => p.id).sort(),
    );
    const modes = run.h.archive.chats.map((c) => c.mode);
    expect(modes.filter((mode, i) => mode !== modes[i - 1])).toEqual(['normal', 'silent', 'normal']);
    expect(run.h.archive.chats.length).toBeGreaterThanOrEqual(run.state.processedMessages);
    expect(run.h.archive.chats[0]).toMatchObject({ chatId: CHAT, type: 'supergroup', title: 'Тестовый чат' });
  });
});
