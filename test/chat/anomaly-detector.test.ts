import fc from 'fast-check';
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import {
  ANOMALY_THRESHOLDS as T,
  type AnomalyState,
  createAnomalyState,
  type ObservedMessage,
  observeJoins,
  observeMessage,
} from '../../src/chat/index.js';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 12);

/** A member seen joining `joinedAgoMs` before `nowMs`. */
function newcomer(userId: number, text: string, nowMs: number, joinedAgoMs = MIN): ObservedMessage {
  return {
    userId,
    text,
    firstSeenMs: nowMs - joinedAgoMs,
    joinedMs: nowMs - joinedAgoMs,
    messagesBefore: 0,
    watchedSinceMs: T0 - 30 * DAY,
    allowedLinks: ['youtube.com'],
  };
}

/** A member the bot has known for a month. */
function regular(userId: number, text: string, messagesBefore = 100): ObservedMessage {
  return {
    userId,
    text,
    firstSeenMs: T0 - 30 * DAY,
    joinedMs: 0,
    messagesBefore,
    watchedSinceMs: T0 - 30 * DAY,
    allowedLinks: ['youtube.com'],
  };
}

/** A chat with `perDay` joins spread evenly over `days` days before T0. */
function chatWithJoinBaseline(perDay: number, days = 3): AnomalyState {
  const state = createAnomalyState();
  const gap = DAY / perDay;
  for (let ms = T0 - days * DAY; ms < T0 - 10 * MIN; ms += gap) observeJoins(state, [Math.floor(ms)], ms);
  return state;
}

describe('join bursts', () => {
  it.each([
    ['10 joins in a minute in a quiet chat', 2, 10, 1, true],
    ['16 joins over four minutes in a quiet chat', 2, 16, 4, true],
    ['5 joins in a minute after an announcement', 2, 5, 1, false],
    ['12 joins over ten minutes', 2, 12, 10, false],
    ['10 joins in a minute', 4000, 10, 1, false],
    ['10 joins in a minute', 400, 10, 1, true],
  ])('%s with %i joins a day before', (_name, perDay, joins, minutes, alerts) => {
    const state = chatWithJoinBaseline(perDay);
    const found = [];
    for (let i = 0; i < joins; i++) {
      const ms = T0 + Math.floor((i * minutes * MIN) / joins);
      found.push(...observeJoins(state, [900_000 + i], ms).anomalies);
    }
    expect(found.map((a) => a.kind)).toEqual(alerts ? ['join_burst'] : []);
    if (alerts) expect(found[0]!.suspects.length).toBeGreaterThanOrEqual(T.joinMinPerMinute);
  });

  it('raises one alert per raid, then names later joiners as suspects of it', () => {
    const state = chatWithJoinBaseline(5);
    const verdicts = Array.from({ length: 30 }, (_, i) => observeJoins(state, [500 + i], T0 + i * 1000));
    expect(verdicts.flatMap((v) => v.anomalies)).toHaveLength(1);
    const late = verdicts.slice(-5).flatMap((v) => v.lateSuspects);
    expect(late).toEqual([525, 526, 527, 528, 529]);
  });

  it('does not learn a raid as the chat’s normal rate', () => {
    const state = chatWithJoinBaseline(5);
    for (let i = 0; i < 200; i++) observeJoins(state, [i], T0 + i * 100);
    // The next raid, a day later, is still a burst.
    const later = T0 + DAY;
    const found = Array.from({ length: 12 }, (_, i) => observeJoins(state, [1000 + i], later + i * 1000));
    expect(found.flatMap((v) => v.anomalies).map((a) => a.kind)).toEqual(['join_burst']);
  });
});

describe('new members posting links or the same text', () => {
  it('flags four new members posting foreign links within ten minutes', () => {
    const state = createAnomalyState();
    const found = [1, 2, 3, 4].flatMap(
      (i) =>
        observeMessage(state, newcomer(i, `лучший заработок spam-${i}.xyz/r`, T0 + i * MIN), T0 + i * MIN).anomalies,
    );
    expect(found.map((a) => [a.kind, a.observed])).toEqual([['new_member_links', 4]]);
    expect(found[0]!.detail).not.toMatch(/spam|заработок/);
  });

  it.each([
    ['links to allowed domains', (i: number) => `смотрите youtube.com/watch?v=${i}`, 0],
    ['members who joined two days ago', (i: number) => `spam-${i}.xyz/r`, 2 * DAY],
    ['posts spread over an hour', (i: number) => `spam-${i}.xyz/r`, MIN, 20 * MIN],
  ])('does not flag %s', (_name, text, joinedAgoMs, stepMs = MIN) => {
    const state = createAnomalyState();
    const found = [1, 2, 3, 4, 5].flatMap((i) => {
      const ms = T0 + i * stepMs;
      return observeMessage(state, newcomer(i, text(i), ms, joinedAgoMs || MIN), ms).anomalies;
    });
    expect(found).toEqual([]);
  });

  it('flags the same long text from four new members, but not a chorus of greetings', () => {
    const spam = createAnomalyState();
    const text = 'Ребята, кто хочет подработку на дому, пишите мне в личку';
    const found = [1, 2, 3, 4].flatMap((i) => observeMessage(spam, newcomer(i, text, T0 + i), T0 + i).anomalies);
    expect(found.map((a) => a.kind)).toEqual(['new_member_same_text']);

    const greetings = createAnomalyState();
    const hello = [1, 2, 3, 4, 5, 6].flatMap(
      (i) => observeMessage(greetings, newcomer(i, 'Всем привет!', T0 + i), T0 + i).anomalies,
    );
    expect(hello).toEqual([]);
  });

  it('counts a member who first wrote in the bot’s first day in the chat as an old member', () => {
    const state = createAnomalyState();
    const found = [1, 2, 3, 4, 5].flatMap((i) => {
      const msg = { ...newcomer(i, `spam-${i}.xyz/r`, T0), joinedMs: 0, firstSeenMs: T0, watchedSinceMs: T0 - MIN };
      return observeMessage(state, msg, T0 + i).anomalies;
    });
    expect(found).toEqual([]);
  });
});

describe('takeovers of long-standing members', () => {
  /** `count` ordinary Russian messages, one every ten minutes, ending before T0. */
  function withHabits(state: AnomalyState, userId: number, count: number, linkEvery = 0): void {
    for (let i = 0; i < count; i++) {
      const link = linkEvery > 0 && i % linkEvery === 0 ? ' https://lenta.ru/news/1' : '';
      observeMessage(state, regular(userId, `ну да, завтра встречаемся у кафе${link}`), T0 - (count - i) * 10 * MIN);
    }
  }

  it.each([
    ['writes in another language', (i: number) => `hey guys check my new profile number ${i}`, 'language'],
    ['posts links in every message', (i: number) => `смотри тут https://promo-${i}.top/x`, 'links'],
  ])('flags a member who suddenly %s', (_name, text, signal) => {
    const state = createAnomalyState();
    withHabits(state, 42, 60);
    const found = Array.from({ length: 8 }, (_, i) =>
      observeMessage(state, regular(42, text(i)), T0 + i * MIN),
    ).flatMap((v) => v.anomalies);
    expect(found.map((a) => [a.kind, a.suspects])).toEqual([['takeover', [42]]]);
    expect(found[0]!.detail).toContain(signal === 'language' ? 'usual language' : 'links');
  });

  it('flags a member who suddenly writes 30 messages in ten minutes', () => {
    const state = createAnomalyState();
    withHabits(state, 42, 60);
    const found = Array.from({ length: 35 }, (_, i) =>
      observeMessage(state, regular(42, `ну ${i}`), T0 + i * 15_000),
    ).flatMap((v) => v.anomalies);
    expect(found.map((a) => a.kind)).toEqual(['takeover']);
    expect(found[0]!.detail).toMatch(/30 messages in 10 minutes/);
  });

  it.each([
    ['a member who shares links often posts a few', 3, (i: number) => `почитай https://habr.com/${i}`],
    ['a member writes two messages in English', 0, (i: number) => (i < 2 ? 'see you tomorrow' : 'ну да')],
  ])('does not flag %s', (_name, linkEvery, text) => {
    const state = createAnomalyState();
    withHabits(state, 42, 80, linkEvery);
    const found = Array.from({ length: 8 }, (_, i) =>
      observeMessage(state, regular(42, text(i)), T0 + i * MIN),
    ).flatMap((v) => v.anomalies);
    expect(found).toEqual([]);
  });

  it('does not judge a member it has seen fewer than 40 times', () => {
    const state = createAnomalyState();
    withHabits(state, 42, 20);
    const found = Array.from({ length: 8 }, (_, i) =>
      observeMessage(state, regular(42, 'hey guys check my new profile'), T0 + i * MIN),
    ).flatMap((v) => v.anomalies);
    expect(found).toEqual([]);
  });
});

describe('detector state', () => {
  it('stays bounded and msgpack-small whatever the traffic', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            join: fc.boolean(),
            userId: fc.integer({ min: 1, max: 5000 }),
            stepMs: fc.integer({ min: 0, max: 10 * MIN }),
            text: fc.constantFrom('привет', 'spam.xyz/r', 'hey there friends of mine', 'ну да завтра'),
            old: fc.boolean(),
          }),
          { maxLength: 1500 },
        ),
        (events) => {
          const state = createAnomalyState();
          let ms = T0;
          for (const e of events) {
            ms += e.stepMs;
            if (e.join) observeJoins(state, [e.userId], ms);
            else observeMessage(state, e.old ? regular(e.userId, e.text) : newcomer(e.userId, e.text, ms), ms);
          }
          expect(Object.keys(state.members).length).toBeLessThanOrEqual(200);
          expect(state.newcomers.length).toBeLessThanOrEqual(100);
          expect(state.texts.length).toBeLessThanOrEqual(48);
          expect(state.linkPosters.length).toBeLessThanOrEqual(32);
          expect(state.joinWindow.length).toBeLessThanOrEqual(4);
          expect(encode(state).byteLength).toBeLessThan(16_384);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('costs little in a quiet chat', () => {
    const state = chatWithJoinBaseline(1, 2);
    expect(encode(state).byteLength).toBeLessThan(200);
  });
});
