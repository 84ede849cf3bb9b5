import { beforeAll, describe, expect, it } from 'vitest';
import {
  BotAddress,
  chatReport,
  completeReply,
  createChatState,
  type Decision,
  deriveStyle,
  type IncomingMessage,
  type PersonaPrompt,
  type PipelineContext,
  prepareReply,
  processMessage,
  type ProcessResult,
  type ReplyPlan,
  reviewReply,
  userAnalytics,
} from '../../src/chat/index.js';
import { BOT_ID, BOT_USERNAME, rules, runBuiltinCommand, T0, vocabulary } from './support/chat-fixture.js';
import { builtinPlugins } from '../support/builtin-plugins.js';
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
} from './support/group-conversation-script.js';

/**
 * A scripted 500-message group conversation replayed through the pipeline,
 * the way the chat actor runs it: every message through `processMessage`,
 * every LLM reply built (`prepareReply`), guarded and completed after a
 * scripted latency. Each line says what the bot must do with it, so the
 * exact set of answered messages is part of the script, not of the code.
 */

interface Replay {
  lines: Line[];
  ids: number[];
  results: ProcessResult[];
  started: Map<number, 'decision' | 'followup'>;
  state: ReturnType<typeof createChatState>;
  nowMs: number;
}

async function replay(): Promise<Replay> {
  const lines = conversationScript();
  const state = createChatState(-100500, 'supergroup', T0);
  let luckyNow = false;
  const ctx: PipelineContext = {
    bot: new BotAddress({ userId: BOT_ID, username: BOT_USERNAME }),
    vocabulary,
    rules,
    random: () => (luckyNow ? 0 : 0.99),
    commands: builtinPlugins,
  };
  const labels = new Map<string, { id: number; from: number }>();
  const ids: number[] = [];
  const results: ProcessResult[] = [];
  const started = new Map<number, 'decision' | 'followup'>();
  let nowMs = T0;
  let nextId = 1;
  let pending: { plan: ReplyPlan; prompt: PersonaPrompt; dueAfter: number; label: string | undefined } | null = null;
  let previous: IncomingMessage | null = null;

  const runReply = (
    plan: ReplyPlan,
    label: string | undefined,
    latency: number,
    how: 'decision' | 'followup',
  ): void => {
    started.set(plan.triggerId, how);
    // The prompt is built when the reply starts (no memory recall here); triggers after it wait for a follow-up.
    const prompt = prepareReply(state, nowMs);
    if (prompt === null) throw new Error(`no reply in flight for #${plan.triggerId}`);
    pending = { plan, prompt, dueAfter: latency, label };
  };
  const deliver = (): void => {
    while (pending !== null && pending.dueAfter <= 0) {
      const { plan, prompt, label } = pending;
      pending = null;
      const reviewed = reviewReply(state, 'Да нормально всё, живём!', prompt);
      const botMessageId = nextId++;
      if (label !== undefined) labels.set(`bot:${label}`, { id: botMessageId, from: BOT_ID });
      const { followUp } = completeReply(
        state,
        { triggerId: plan.triggerId, sent: true, text: reviewed.text, botMessageId },
        nowMs,
        BOT_ID,
      );
      if (followUp !== null) runReply(followUp, undefined, 0, 'followup');
    }
  };

  for (const line of lines) {
    nowMs += line.afterMs ?? 30_000;
    let msg: IncomingMessage;
    if (line.redeliver) {
      msg = previous!;
    } else {
      const replyTo = line.replyTo === undefined ? undefined : labels.get(line.replyTo);
      if (line.replyTo !== undefined && replyTo === undefined) throw new Error(`unknown label ${line.replyTo}`);
      msg = {
        messageId: nextId++,
        chatKind: 'supergroup',
        from: { id: line.who.id, name: line.who.name, username: line.who.username, isBot: false },
        text: line.text,
        replyTo: replyTo === undefined ? undefined : { messageId: replyTo.id, fromId: replyTo.from },
        newMembers: line.joins?.map((p) => ({ id: p.id, name: p.name, username: p.username, isBot: false })),
        senderIsAdmin: line.admin,
      };
      if (line.label !== undefined) labels.set(line.label, { id: msg.messageId, from: line.who.id });
    }
    previous = msg;
    luckyNow = line.lucky === true;
    const result = processMessage(state, msg, nowMs, ctx);
    ids.push(msg.messageId);
    results.push(result);
    if (pending !== null) (pending as { dueAfter: number }).dueAfter--;
    if (result.decision.kind === 'reply') runReply(result.decision.plan, line.label, line.latency ?? 0, 'decision');
    // The actor runs a plugin's command after the turn and applies what it asks before the next message.
    if (result.decision.kind === 'plugin')
      await runBuiltinCommand(state, result.decision.call, nowMs, msg.senderIsAdmin === true);
    deliver();
  }
  return { lines, ids, results, started, state, nowMs };
}

function outcomeOf(decision: Decision): Expect | 'quiet' {
  switch (decision.kind) {
    case 'reply':
      return 'llm';
    case 'coalesced':
      return 'coalesced';
    case 'answer':
      return decision.cause === 'violation' ? 'warn' : decision.cause === 'rate-limit' ? 'rate-warn' : 'answer';
    case 'ignore':
      return decision.reason === 'rate-limited'
        ? 'rate-silent'
        : decision.reason === 'filtered'
          ? 'filtered'
          : decision.reason === 'duplicate'
            ? 'duplicate'
            : 'quiet';
    case 'plugin':
      return 'answer';
  }
}

describe('a scripted 500-message group conversation', () => {
  let run: Replay;
  const idsBy = (p: (line: Line) => boolean): number[] =>
    run.lines.flatMap((line, i) => (p(line) ? [run.ids[i]!] : []));
  const countBy = (who: Person): number =>
    run.lines.filter((l) => l.who === who && l.text !== '' && !l.redeliver).length;

  beforeAll(async () => {
    run = await replay();
  });

  it('has exactly 500 messages with text', () => {
    expect(run.state.chat.messages).toBe(500);
  });

  it('answers exactly the scripted messages, each in the scripted way', () => {
    const actual = run.lines.map((_, i) => outcomeOf(run.results[i]!.decision));
    const expected = run.lines.map((l) => (l.expect === 'followup' ? 'coalesced' : (l.expect ?? 'quiet')));
    const mismatches = actual.flatMap((a, i) =>
      a === expected[i]
        ? []
        : [`#${run.ids[i]} ${run.lines[i]!.who.name}: ${run.lines[i]!.text} → ${a}, expected ${expected[i]}`],
    );
    expect(mismatches).toEqual([]);
  });

  it('starts an LLM reply for exactly the scripted triggers, follow-ups included, and none twice', () => {
    const byDecision = idsBy((l) => l.expect === 'llm');
    const followUps = idsBy((l) => l.expect === 'followup');
    expect([...run.started].filter(([, how]) => how === 'decision').map(([id]) => id)).toEqual(byDecision);
    expect([...run.started].filter(([, how]) => how === 'followup').map(([id]) => id)).toEqual(followUps);
    expect(run.state.inFlight).toBeNull();
    expect(run.state.counters.replies).toBe(byDecision.length);
  });

  it('builds member profiles keyed by user id with activity, languages and favourite words', () => {
    const gosha107 = userAnalytics(run.state, gosha.id, run.nowMs)!;
    expect(gosha107.messages).toBe(countBy(gosha));
    const botForms = run.lines
      .filter((l) => l.who === gosha)
      .reduce((n, l) => n + (l.text.match(/(?<![а-яё])бот(?:а|ом|у|ы|ов)?(?![а-яё])/giu)?.length ?? 0), 0);
    expect(botForms).toBeGreaterThan(40);
    expect(gosha107.favouriteWords[0]).toEqual({ word: expect.stringMatching(/^бот/), count: botForms });
    const frank105 = userAnalytics(run.state, frank.id, run.nowMs)!;
    expect(frank105.languages).toEqual({ en: countBy(frank) });
    expect(Object.keys(run.state.members).sort()).toEqual(
      [anna, boris, dima, egor, frank, vika, gosha, spammer].map((p) => String(p.id)).sort(),
    );
    expect(userAnalytics(run.state, spammer.id, run.nowMs)).toMatchObject({ violations: 2, isNew: true });
    expect(userAnalytics(run.state, anna.id, run.nowMs)).toMatchObject({ violations: 0, isNew: false });
  });

  it('finds Аня and Борис as allies and Дима and Егор in conflict, with evidence from their own messages', () => {
    const report = chatReport(run.state, run.nowMs);
    const pair = (r: { a: { userId: number }; b: { userId: number } }): string =>
      [r.a.userId, r.b.userId].sort().join('-');
    expect(report.allies.map(pair)).toContain(`${anna.id}-${boris.id}`);
    expect(report.allies.map(pair)).not.toContain(`${dima.id}-${egor.id}`);
    expect(report.conflicts.map(pair)).toEqual([`${dima.id}-${egor.id}`]);
    const conflict = report.conflicts[0]!;
    const insults = idsBy(
      (l) => (l.who === egor && l.text.startsWith('ты идиот')) || (l.who === dima && l.text.startsWith('сам дурак')),
    );
    expect(conflict.evidence.length).toBeGreaterThan(0);
    expect(conflict.evidence.every((id) => insults.includes(id))).toBe(true);
    const friendly = idsBy((l) => l.who === anna || l.who === boris);
    expect(
      report.allies.find((r) => pair(r) === `${anna.id}-${boris.id}`)!.evidence.every((id) => friendly.includes(id)),
    ).toBe(true);
    const egorStats = userAnalytics(run.state, egor.id, run.nowMs)!;
    expect(egorStats.toxicity.insultsSent).toBe(4);
    expect(egorStats.toxicity.insultsReceived).toBe(4);
    expect(egorStats.relations.conflicts.map((c) => c.userId)).toEqual([dima.id]);
  });

  it('reports top members, activity and redaction counts', () => {
    const report = chatReport(run.state, run.nowMs);
    const people = [anna, boris, dima, egor, frank, vika, gosha, spammer];
    const expectedTop = people.map((p) => ({ id: p.id, n: countBy(p) })).sort((a, b) => b.n - a.n || a.id - b.id);
    expect(report.topMembers.map((m) => [m.userId, m.messages])).toEqual(expectedTop.map((e) => [e.id, e.n]));
    expect(report.activity.byHour.reduce((a, b) => a + b, 0)).toBe(500);
    expect(report.pii).toEqual({ phone: 1 });
    expect(report.filters).toEqual({ invite: 2 });
    expect(JSON.stringify(run.state)).not.toContain('555-12-34');
    expect(report.members).toBe(8);
  });

  it('leaves the mode where the admins set it and keeps the style rules per member', () => {
    expect(run.state.settings.mode).toBe('normal');
    expect(deriveStyle(run.state, vika.id, 'ru', run.nowMs).formality).toBe('formal');
    expect(deriveStyle(run.state, frank.id, 'en', run.nowMs).language).toBe('en');
  });
});
