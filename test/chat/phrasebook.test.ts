import { describe, expect, it } from 'vitest';
import {
  type ChatClock,
  type ChatReport,
  type ChatSummary,
  DEFAULT_REMIND_LIMITS,
  type Phrasebook,
  phrasebookFor,
  type UserAnalytics,
} from '../../src/chat/index.js';

const CLOCK: ChatClock = { nowMs: Date.UTC(2026, 11, 3, 10, 0), utcOffsetMinutes: 120 };
const HOUR = 3_600_000;
const ann = { userId: 1, name: 'Ann' };
const bob = { userId: 2, name: 'Bob' };

const report: ChatReport = {
  chatId: -100,
  kind: 'group',
  messages: 120,
  members: 5,
  activeMembers: 3,
  newMembers: [ann],
  topMembers: [{ ...ann, messages: 80, share: 0.66 }],
  activity: { byHour: [], byHourUtc: [], byDay: [], mostActiveHours: [20, 21] },
  mood: { current: 0.4, label: 'positive', trend: [] },
  allies: [{ a: ann, b: bob, score: 3, evidence: [], lastMs: 0 }],
  conflicts: [{ a: ann, b: bob, score: 2, evidence: [], lastMs: 0 }],
  topWords: [{ word: 'pizza', count: 9 }],
  slang: [],
  filters: {},
  pii: {},
  leakGuard: {},
  replies: 4,
  rateLimited: 0,
};

const related = { ...ann, score: 2, evidence: [] };
const member: UserAnalytics = {
  ...ann,
  username: 'ann',
  isBot: false,
  isNew: true,
  firstSeenMs: 0,
  lastSeenMs: 0,
  messages: 80,
  averageLength: 30,
  activity: { byHour: [], byHourUtc: [], byDay: [], mostActiveHour: 21 },
  languages: {},
  topics: [],
  favouriteWords: [{ word: 'pizza', count: 5 }],
  tone: { positive: 1, negative: 0, neutral: 1, mood: 0.2 },
  toxicity: { level: 0.1, toxicMessages: 1, insultsSent: 0, insultsReceived: 0 },
  relations: { repliesTo: [], repliedBy: [], allies: [related], conflicts: [related] },
  violations: 0,
};

const summary: ChatSummary = {
  sinceMs: 0,
  basis: 'last-hours',
  hours: 3,
  messages: 40,
  participants: [{ ...ann, messages: 30 }],
  topics: ['food'],
  keywords: ['pizza'],
  forYou: [{ id: 1, fromId: 2, name: 'Bob', text: 'ok' }],
  highlights: [{ id: 2, fromId: 1, name: 'Ann', text: 'pizza!' }],
  conflicts: [{ a: 'Ann', b: 'Bob' }],
  partial: true,
};

/**
 * Every method of the phrasebook with arguments covering its branches. A
 * method added to {@link Phrasebook} without an entry here does not compile.
 */
const SAMPLES: { [K in keyof Phrasebook]: (book: Phrasebook) => string[] } = {
  start: (b) => [b.start('Лёха'), b.start('Вася')],
  help: (b) => [b.help([{ name: 'weather', args: '<city>', description: 'forecast' }], 'Лёха'), b.help([], 'Вася')],
  unknownCommand: (b) => [b.unknownCommand('foo')],
  commandOff: (b) => [b.commandOff('weather')],
  commandUnavailable: (b) => [b.commandUnavailable('movie')],
  pluginDown: (b) => [b.pluginDown()],
  pluginList: (b) => [b.pluginList([{ name: 'weather', description: 'forecast', enabled: true }])],
  pluginSwitched: (b) => [b.pluginSwitched('weather', true), b.pluginSwitched('weather', false)],
  pluginUnknown: (b) => [b.pluginUnknown('foo')],
  pluginUsage: (b) => [b.pluginUsage()],
  pluginAlwaysOn: (b) => [b.pluginAlwaysOn('help')],
  pluginSettings: (b) => [b.pluginSettings('news', {}), b.pluginSettings('news', { feeds: 3 })],
  pluginSettingSet: (b) => [b.pluginSettingSet('news', 'feeds', 3)],
  pluginSettingReset: (b) => [b.pluginSettingReset('news', null), b.pluginSettingReset('news', 'feeds')],
  pluginSettingFixed: (b) => [b.pluginSettingFixed('news', 'key', []), b.pluginSettingFixed('news', 'key', ['feeds'])],
  pluginSettingInvalid: (b) => [b.pluginSettingInvalid('news', 'feeds', 'too big')],
  adminsOnly: (b) => [b.adminsOnly()],
  digestTitle: (b) => [b.digestTitle()],
  rateLimited: (b) => [b.rateLimited(30)],
  violation: (b) => (['flood', 'repeat', 'copy-paste', 'link', 'invite', 'banned-word'] as const).map(b.violation),
  modeIs: (b) => [b.modeIs('normal')],
  modeSet: (b) => (['silent', 'normal', 'active'] as const).map(b.modeSet),
  modeInvalid: (b) => [b.modeInvalid('loud')],
  modeAdminsOnly: (b) => [b.modeAdminsOnly()],
  modePrivate: (b) => [b.modePrivate()],
  unknownMember: (b) => [b.unknownMember(null), b.unknownMember('@ann')],
  guardFallback: (b) => [b.guardFallback()],
  chatStats: (b) => [b.chatStats(report)],
  userStats: (b) => [b.userStats(member)],
  top: (b) => [b.top(report)],
  summary: (b) => [
    b.summary(summary),
    b.summary({ ...summary, basis: 'since-last-message' }),
    b.summary({ ...summary, messages: 0 }),
  ],
  reminderSet: (b) => [b.reminderSet(CLOCK.nowMs + 20 * HOUR, CLOCK)],
  reminderList: (b) => [
    b.reminderList([], CLOCK),
    b.reminderList([{ id: 'r1', dueAtMs: CLOCK.nowMs + HOUR, text: 'pizza' }], CLOCK),
  ],
  anomalyNotice: (b) => [b.anomalyNotice('join_burst', '12 joins in 5 min'), b.anomalyNotice('takeover', 'links')],
  reminderCancelled: (b) => [b.reminderCancelled('r1')],
  reminderNotFound: (b) => [b.reminderNotFound('r1')],
  reminderCancelUsage: (b) => [b.reminderCancelUsage()],
  reminderRejected: (b) =>
    (['no-time', 'bad-time', 'in-past', 'too-soon', 'too-far', 'no-text', 'text-too-long'] as const).map((reason) =>
      b.reminderRejected({ ok: false, reason, detail: '25:00' }, DEFAULT_REMIND_LIMITS),
    ),
  reminderLimit: (b) => [b.reminderLimit('member', 10), b.reminderLimit('chat', 100)],
  reminderDue: (b) => [b.reminderDue('@ann', 'pizza')],
  personaIs: (b) => [
    b.personaIs({ name: 'Лёха', id: 'Лёха@1' }, [{ name: 'Лёха', id: 'Лёха@1' }]),
    b.personaIs({ name: 'Лёха', id: 'Лёха@1' }, [{ name: 'Лёха', id: 'Лёха@1' }], { emoji: 'none', styleLines: 1 }),
    b.personaIs({ name: 'Лёха', id: 'Лёха@1' }, [
      { name: 'Лёха', id: 'Лёха@1' },
      { name: 'Вася', id: 'Вася@3' },
    ]),
  ],
  personaSet: (b) => [b.personaSet({ name: 'Вася', id: 'Вася@3' })],
  personaUnknown: (b) => [b.personaUnknown('Петя', [{ name: 'Лёха', id: 'Лёха@1' }])],
  personaAdminsOnly: (b) => [b.personaAdminsOnly()],
  personaTuned: (b) => [
    b.personaTuned({ replyLength: 'short', emoji: 'none', styleLines: 2 }),
    b.personaTuned({ styleLines: 0 }),
  ],
  personaTuningRefused: (b) => [
    b.personaTuningRefused({ knob: 'replyLength', allowed: ['short', 'medium'] }),
    b.personaTuningRefused({ knob: 'emoji', allowed: [] }),
    b.personaTuningRefused({ knob: 'styleLines', allowed: 0 }),
  ],
  personaTuningUsage: (b) => [b.personaTuningUsage()],
  styleIs: (b) => [
    b.styleIs({ rules: [], muteBelow: 0.5, rememberedReplies: 0 }),
    b.styleIs({
      rules: [
        { key: 'length:short', weight: 0.44, muted: true },
        { key: 'humour:playful', weight: 0.85, muted: false },
        { key: 'future:rule', weight: 0.9, muted: false },
      ],
      muteBelow: 0.5,
      rememberedReplies: 12,
    }),
  ],
  styleReset: (b) => [b.styleReset(true), b.styleReset(false)],
  styleAdminsOnly: (b) => [b.styleAdminsOnly()],
  styleUsage: (b) => [b.styleUsage()],
  rated: (b) => [b.rated(1), b.rated(-1)],
  rateUsage: (b) => [b.rateUsage()],
  rateNotMine: (b) => [b.rateNotMine()],
};

const uk = phrasebookFor('uk');
const ru = phrasebookFor('ru');
/** Letters Russian does not have, or everyday words it spells differently. */
const UKRAINIAN_MARK =
  /[іїєґ’]|(?<!\p{L})(?:було|зараз|змінити|вийде|режиму|бувають|ось|що|(?:нагад|скасу)\p{L}*)(?!\p{L})/iu;

describe('the Ukrainian phrasebook', () => {
  it.each(Object.entries(SAMPLES))('has its own Ukrainian %s, not the Russian one', (_, sample) => {
    const ukTexts = sample(uk);
    const ruTexts = sample(ru);
    expect(ukTexts.length).toBeGreaterThan(0);
    ukTexts.forEach((text, i) => {
      expect(text).not.toBe(ruTexts[i]);
      expect(text).toMatch(UKRAINIAN_MARK);
      expect(ruTexts[i]).not.toMatch(/[іїєґ’]/);
    });
  });

  it('has every method the Russian one has', () => {
    expect(Object.keys(uk).sort()).toEqual(Object.keys(ru).sort());
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(ru).sort());
  });

  it('counts hours the Ukrainian way', () => {
    const quiet = (hours: number) => uk.summary({ ...summary, messages: 0, hours });
    expect(quiet(1)).toBe('За 1 годину тут було тихо.');
    expect(quiet(3)).toBe('За 3 години тут було тихо.');
    expect(quiet(5)).toBe('За 5 годин тут було тихо.');
    expect(quiet(11)).toBe('За 11 годин тут було тихо.');
    expect(quiet(21)).toBe('За 21 годину тут було тихо.');
  });
});
