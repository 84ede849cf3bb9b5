import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeReply, patchChatSettings, prepareReply, type ReplyPlan } from '../../src/chat/index.js';
import { BOT_ID, ChatDriver } from './support/chat-fixture.js';

type Step =
  | { kind: 'say'; addressed: boolean; who: number; afterMs: number }
  | { kind: 'prepare' }
  | { kind: 'complete'; sent: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('say' as const),
      addressed: fc.boolean(),
      who: fc.integer({ min: 1, max: 4 }),
      afterMs: fc.integer({ min: 100, max: 20_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'prepare' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('complete' as const), sent: fc.boolean() }) },
);

function newDriver(): ChatDriver {
  const driver = new ChatDriver();
  driver.state.settings = patchChatSettings(driver.state.settings, {
    mode: 'silent',
    rateLimit: { capacity: 100 },
    flood: { userMax: 1000, chatMax: 10_000 },
  });
  return driver;
}

describe('reply coalescing', () => {
  it('keeps at most one reply in flight, answers no trigger twice and leaves no addressed trigger unanswered', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const driver = newDriver();
        const state = driver.state;
        const started: number[] = [];
        const addressed: number[] = [];
        let llmCalls = 0;
        let current: ReplyPlan | null = null;
        const begin = (plan: ReplyPlan | null): void => {
          if (plan === null) return;
          expect(current).toBeNull();
          current = plan;
          started.push(plan.triggerId);
        };
        const finish = (sent: boolean): void => {
          if (current === null) return;
          const outcome = sent
            ? { triggerId: current.triggerId, sent: true as const, text: 'ок', botMessageId: driver.botMessageId() }
            : { triggerId: current.triggerId, sent: false as const };
          current = null;
          begin(completeReply(state, outcome, driver.nowMs, BOT_ID).followUp);
        };
        for (const [n, step] of steps.entries()) {
          if (step.kind === 'say') {
            const text = step.addressed ? `Лёха, как дела у тебя? (${n})` : `просто болтаем тут (${n})`;
            const { id, result } = driver.say({ id: step.who, name: `u${step.who}` }, text, { afterMs: step.afterMs });
            if (step.addressed) addressed.push(id);
            // A reply in flight past its timeout is given up (its trigger counts as answered, at most once).
            if (result.events.some((e) => e.type === 'ReplyAbandoned')) current = null;
            if (result.decision.kind === 'reply') begin(result.decision.plan);
            else if (result.decision.kind === 'coalesced') expect(current).not.toBeNull();
            else expect(result.decision).toEqual({ kind: 'ignore', reason: 'not-addressed' });
          } else if (step.kind === 'prepare') {
            if (prepareReply(state, driver.nowMs) !== null) llmCalls++;
          } else {
            finish(step.sent);
          }
          expect(state.inFlight === null).toBe(current === null);
        }
        while (current !== null) {
          if (prepareReply(state, driver.nowMs) !== null) llmCalls++;
          finish(true);
        }
        expect(new Set(started).size).toBe(started.length);
        for (const id of addressed) expect(state.answered).toContain(id);
        expect(started.length).toBeLessThanOrEqual(addressed.length);
        expect(llmCalls).toBeLessThanOrEqual(steps.length);
      }),
      { numRuns: 200 },
    );
  });

  it('covers triggers that arrived before the prompt was built, and answers later ones with one follow-up', () => {
    const driver = newDriver();
    const anna = { id: 1, name: 'Аня' };
    const first = driver.say(anna, 'Лёха, привет!');
    expect(first.result.decision.kind).toBe('reply');
    const covered = driver.say({ id: 2, name: 'Боря' }, 'Лёха, и мне ответь', { afterMs: 5000 });
    expect(covered.result.decision).toEqual({ kind: 'coalesced', intoTriggerId: first.id });
    expect(prepareReply(driver.state, driver.nowMs)).not.toBeNull();
    const late1 = driver.say({ id: 3, name: 'Вика' }, 'Лёха, а ты где?', { afterMs: 5000 });
    const late2 = driver.say({ id: 4, name: 'Гоша' }, 'Лёха, ау', { afterMs: 5000 });
    const { followUp } = completeReply(
      driver.state,
      { triggerId: first.id, sent: true, text: 'Привет!', botMessageId: driver.botMessageId() },
      driver.nowMs,
      BOT_ID,
    );
    expect(followUp?.triggerId).toBe(late2.id);
    expect(driver.state.answered).toEqual(expect.arrayContaining([first.id, covered.id, late1.id]));
    const { followUp: none } = completeReply(
      driver.state,
      { triggerId: late2.id, sent: true, text: 'Тут я', botMessageId: driver.botMessageId() },
      driver.nowMs,
      BOT_ID,
    );
    expect(none).toBeNull();
    expect(driver.state.inFlight).toBeNull();
  });

  it('gives up a reply that never came back and lets the next trigger start a new one', () => {
    const driver = newDriver();
    const first = driver.say({ id: 1, name: 'Аня' }, 'Лёха, привет!');
    expect(first.result.decision.kind).toBe('reply');
    const next = driver.say({ id: 2, name: 'Боря' }, 'Лёха, ты завис?', { afterMs: 120_000 });
    expect(next.result.decision.kind).toBe('reply');
    expect(next.result.events).toContainEqual({ type: 'ReplyAbandoned', triggerId: first.id });
  });
});
