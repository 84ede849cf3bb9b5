import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyStyleFeedback,
  type ChatState,
  createChatState,
  deriveStyle,
  rememberStyledReply,
  resetStyleWeights,
  restoreChatState,
  STYLE_FEEDBACK,
  styleKeys,
  styleOverview,
  styleWeight,
} from '../../src/chat/index.js';
import { ensureMember } from '../../src/chat/member-profiles.js';

const T0 = 1_750_000_000_000;
const DAY = 86_400_000;
const ANN = 7;

/** A chat whose member Ann writes short casual messages, with one bot reply (#900) that carried `keys`. */
function chat(keys: string[] = ['length:short', 'humour:light']): ChatState {
  const state = createChatState(-100, 'group', T0 - 30 * DAY);
  const ann = ensureMember(state, { id: ANN, name: 'Ann', isBot: false }, T0 - 30 * DAY);
  Object.assign(ann, { messages: 10, chars: 200, informal: 6, formal: 0 });
  rememberStyledReply(state, 900, keys);
  return state;
}

function complain(state: ChatState, times: number, nowMs = T0): void {
  for (let i = 0; i < times; i++) applyStyleFeedback(state, 900, -1, nowMs);
}

describe('style weights learned from feedback', () => {
  it('lowers the rule keys a judged reply carried by the factor, and only those', () => {
    const state = chat();
    expect(applyStyleFeedback(state, 900, -1, T0)).toBe(true);
    expect(styleWeight(state, 'length:short', T0)).toBeCloseTo(STYLE_FEEDBACK.factor);
    expect(styleWeight(state, 'humour:light', T0)).toBeCloseTo(STYLE_FEEDBACK.factor);
    expect(styleWeight(state, 'formality:casual', T0)).toBe(1);
  });

  it('changes nothing for a neutral judgement or a message it has no style record of', () => {
    const state = chat();
    expect(applyStyleFeedback(state, 900, 0, T0)).toBe(false);
    expect(applyStyleFeedback(state, 901, -1, T0)).toBe(false);
    expect(state.styleWeights).toEqual({});
  });

  it('undoes a complaint taken back (a 👎 removed) exactly, forgetting the settled weight', () => {
    const state = chat();
    complain(state, 1);
    applyStyleFeedback(state, 900, +1, T0);
    expect(state.styleWeights).toEqual({});
    // Praise of a rule at 1 has nothing to raise.
    expect(applyStyleFeedback(state, 900, +1, T0)).toBe(false);
  });

  it('counts a judgement by its sign: three 👎 in one reaction weigh like one', () => {
    const one = chat();
    const three = chat();
    applyStyleFeedback(one, 900, -1, T0);
    applyStyleFeedback(three, 900, -3, T0);
    expect(three.styleWeights).toEqual(one.styleWeights);
  });

  it('keeps every weight within [floor, 1] whatever the feedback', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 * DAY })), { maxLength: 60 }),
        (steps) => {
          const state = chat();
          let now = T0;
          for (const [delta, wait] of steps) {
            now += wait;
            applyStyleFeedback(state, 900, delta, now);
            for (const key of ['length:short', 'humour:light']) {
              const weight = styleWeight(state, key, now);
              expect(weight).toBeGreaterThanOrEqual(STYLE_FEEDBACK.floor - 1e-12);
              expect(weight).toBeLessThanOrEqual(1);
            }
          }
          expect(() => restoreChatState(structuredClone(state))).not.toThrow();
        },
      ),
    );
  });

  it('drifts back toward 1 with a half-life of a week, so nothing is permanent', () => {
    const state = chat();
    complain(state, 20);
    expect(styleWeight(state, 'length:short', T0)).toBe(STYLE_FEEDBACK.floor);
    expect(styleWeight(state, 'length:short', T0 + 7 * DAY)).toBeCloseTo(1 - (1 - STYLE_FEEDBACK.floor) / 2);
    expect(styleWeight(state, 'length:short', T0 + 70 * DAY)).toBeGreaterThan(0.999);
    expect(styleOverview(state, T0 + 70 * DAY).rules).toEqual([]);
  });

  it('remembers the rule keys of the latest 50 replies only, oldest dropped first', () => {
    const state = chat();
    for (let id = 1000; id < 1100; id++) rememberStyledReply(state, id, ['length:short']);
    expect(state.styledReplies).toHaveLength(STYLE_FEEDBACK.styledReplies);
    expect(state.styledReplies[0]![0]).toBe(1050);
    expect(applyStyleFeedback(state, 900, -1, T0)).toBe(false);
    // A reply that carried no keys (or was not sent) is not remembered.
    rememberStyledReply(state, 2000, []);
    rememberStyledReply(state, 0, ['length:short']);
    expect(state.styledReplies.at(-1)![0]).toBe(1099);
  });

  it('forgets every weight on reset', () => {
    const state = chat();
    complain(state, 6);
    const revision = state.revision;
    expect(resetStyleWeights(state)).toBe(true);
    expect(state.styleWeights).toEqual({});
    expect(state.revision).toBe(revision + 1);
    expect(resetStyleWeights(state)).toBe(false);
  });

  it('lists lowered rules lowest first, muted below the threshold', () => {
    const state = chat(['length:short']);
    complain(state, 5);
    rememberStyledReply(state, 901, ['humour:light']);
    applyStyleFeedback(state, 901, -1, T0);
    expect(styleOverview(state, T0)).toEqual({
      rules: [
        { key: 'length:short', weight: 0.44, muted: true },
        { key: 'humour:light', weight: 0.85, muted: false },
      ],
      muteBelow: 0.5,
      rememberedReplies: 2,
    });
  });
});

describe('deriveStyle under learned weights', () => {
  it('gives every rule of taste a key telling what it asked for, and none to the language', () => {
    const style = deriveStyle(chat(), ANN, 'ru', T0);
    expect(styleKeys(style)).toEqual(['formality:casual', 'length:short', 'humour:light']);
    expect(style.rules[0]).toMatchObject({ id: 'language' });
    expect(style.rules[0]!.key).toBeUndefined();
    expect(style.muted).toEqual([]);
  });

  it('keeps a lowered rule above the threshold, saying its weight; mutes it after the fifth complaint', () => {
    const state = chat(['formality:casual']);
    complain(state, 4);
    const lowered = deriveStyle(state, ANN, 'ru', T0);
    expect(lowered.formality).toBe('casual');
    expect(lowered.rules.find((r) => r.id === 'formality')?.because).toMatch(/feedback weight 0\.52$/);

    complain(state, 1);
    const muted = deriveStyle(state, ANN, 'ru', T0);
    expect(muted.formality).toBe('neutral');
    expect(muted.rules.map((r) => r.id)).not.toContain('formality');
    expect(muted.muted).toEqual([
      expect.objectContaining({
        key: 'formality:casual',
        weight: 0.44,
        because: expect.stringMatching(
          /^muted by feedback in this chat \(weight 0\.44, below 0\.5\); it would apply because they write casually/,
        ),
      }),
    ]);
    // After a week without complaints it is back.
    expect(deriveStyle(state, ANN, 'ru', T0 + 7 * DAY).formality).toBe('casual');
  });

  it('falls back to a medium length when short answers are muted, and leaves length out when both are', () => {
    const state = chat(['length:short']);
    complain(state, 5);
    const fallback = deriveStyle(state, ANN, 'ru', T0);
    expect(fallback.length).toBe('medium');
    expect(fallback.rules.find((r) => r.id === 'length')).toMatchObject({
      key: 'length:medium',
      instruction: 'Answer in two to four sentences.',
      because: 'a milder variant; instead of length:short (weight 0.44), muted by feedback',
    });
    expect(styleKeys(fallback)).toContain('length:medium');

    rememberStyledReply(state, 901, ['length:medium']);
    for (let i = 0; i < 5; i++) applyStyleFeedback(state, 901, -1, T0);
    const none = deriveStyle(state, ANN, 'ru', T0);
    expect(none.rules.map((r) => r.id)).not.toContain('length');
    expect(none.muted.map((r) => r.key)).toEqual(['length:short', 'length:medium']);
  });

  it('never mutes the language, whatever weights a state holds', () => {
    const state = chat();
    for (const key of ['language', 'language:ru', 'language:en']) state.styleWeights[key] = [STYLE_FEEDBACK.floor, T0];
    const style = deriveStyle(state, ANN, 'en', T0);
    expect(style.language).toBe('en');
    expect(style.rules[0]).toMatchObject({ id: 'language', instruction: 'Reply in English.' });
    expect(style.muted).toEqual([]);
  });

  it('never weighs the guardrails of a conflict or rudeness: no jokes stays', () => {
    const state = chat();
    state.members[String(ANN)]!.toxicity = 0.9;
    const style = deriveStyle(state, ANN, 'ru', T0);
    expect(style.rules.filter((r) => r.id === 'no-mirroring' || r.id === 'humour').map((r) => r.key)).toEqual([
      undefined,
      undefined,
    ]);
    expect(style.humour).toBe('none');
  });

  it('is deterministic and reads the weights without changing the state', () => {
    const state = chat();
    complain(state, 7);
    const before = structuredClone(state);
    const first = deriveStyle(state, ANN, 'ru', T0 + DAY);
    expect(deriveStyle(state, ANN, 'ru', T0 + DAY)).toEqual(first);
    expect(state).toEqual(before);
  });

  it('refuses a stored weight outside [0, 1] or a table over its cap', () => {
    const bad = chat();
    bad.styleWeights['length:short'] = [1.5, T0];
    expect(() => restoreChatState(structuredClone(bad))).toThrow(/styleWeights/);
    const big = chat();
    for (let i = 0; i <= STYLE_FEEDBACK.weights; i++) big.styleWeights[`k:${i}`] = [0.5, T0];
    expect(() => restoreChatState(structuredClone(big))).toThrow(/style weights/);
  });
});
