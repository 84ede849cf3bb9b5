import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../bench/chat-corpus.js';
import {
  BotAddress,
  type ChatState,
  completeReply,
  createChatState,
  type IncomingMessage,
  type PipelineContext,
  prepareReply,
  processMessage,
  restoreChatState,
  reviewReply,
  RuleBook,
  storedChatState,
  Vocabulary,
} from '../../src/chat/index.js';
import type { Tone } from '../../src/chat/assess-tone.js';
import { chatSlang, type SlangEntry } from '../../src/chat/chat-profile.js';
import { type ChatProfile, EDGE, type StoredDynamicsEdge } from '../../src/chat/chat-state.js';
import { compareText } from '../../src/chat/compare-text.js';
import { keepStrongest } from '../../src/chat/keep-strongest.js';
import { recordInteraction } from '../../src/chat/group-dynamics.js';
import { emptyTable, hasMoreKeysThan, tableOf } from '../../src/chat/key-count.js';
import { guardReply } from '../../src/chat/leak-guard.js';
import { displayName } from '../../src/chat/member-profiles.js';
import { PII_PLACEHOLDER } from '../../src/chat/pii-detector.js';
import { redactName } from '../../src/chat/redact-name.js';
import { scanText } from '../../src/chat/scan-text.js';
import { Codec } from '../../src/runtime/index.js';

const BOT = 900_000_001;
const START = 1_750_000_000_000;

const WORDS = [
  'ноутбук',
  'ноутбуки',
  'ноутбуком',
  'сервер',
  'серверы',
  'погода',
  'погоду',
  'пицца',
  'пиццу',
  'суши',
  'концерт',
  'дедлайн',
  'проект',
  'проекты',
  'кринж',
  'огонь',
  'идиот',
  'дурак',
  'спасибо',
  'согласен',
  'бред',
  'ты',
  'не',
  'что',
  'ещё',
  'это',
  'эта',
  'laptop',
  'laptops',
  'router',
  'deploy',
  'deployed',
  'weather',
  'pizza',
  'thanks',
  'nonsense',
  'you',
  'not',
  'що',
  'дякую',
  'їжак',
];
const EXTRAS = ['', '', '', ' 😂', ' 👍', '!', '?', ' Лёха', ' @member_2', ' +7 916 123-45-67', ' github.com/x'];

const SYLLABLES = ['ка', 'ро', 'ми', 'ту', 'не', 'ла', 'зо', 'бе', 'ga', 'lo', 'ri', 'pen'];
/** The n-th made-up word: hundreds of them, so every word table overflows its cap. */
function made(n: number): string {
  let word = '';
  for (let k = n + 12; k > 0; k = Math.floor(k / 12)) word += SYLLABLES[k % 12]!;
  return word;
}

/** A long seeded conversation in a few chats: every word table fills up and is pruned many times over. */
function* corpus(seed: number, chats: number): Generator<[number, IncomingMessage]> {
  const random = seeded(seed);
  const ids = new Array<number>(chats).fill(0);
  for (;;) {
    const chat = Math.floor(random() * chats);
    const speaker = Math.floor(Math.pow(31, random())) - 1;
    const words: string[] = [];
    const length = 1 + Math.floor(random() * 9);
    for (let i = 0; i < length; i++)
      words.push(
        random() < 0.5 ? WORDS[Math.floor(random() * WORDS.length)]! : made(Math.floor(Math.pow(600, random()))),
      );
    const id = ++ids[chat]!;
    const replyTo = id > 1 && random() < 0.3 ? { messageId: id - 1, fromId: 1 + Math.floor(random() * 30) } : undefined;
    yield [
      chat,
      {
        messageId: id,
        chatKind: 'supergroup',
        from: { id: speaker + 1, name: `Участник ${speaker + 1}`, username: `member_${speaker + 1}`, isBot: false },
        text: `${words.join(' ')}${EXTRAS[Math.floor(random() * EXTRAS.length)]!}`,
        replyTo,
      },
    ];
  }
}

function context(): PipelineContext {
  return {
    bot: new BotAddress({ userId: BOT, username: 'lekha_bot' }),
    // A small memo, so it starts over many times during the run.
    vocabulary: new Vocabulary({ maxEntries: 20 }),
    rules: new RuleBook(),
    random: seeded(3),
  };
}

/** Runs `count` messages of the corpus through the pipeline, with the non-LLM part of every reply. */
function run(
  states: ChatState[],
  messages: Generator<[number, IncomingMessage]>,
  count: number,
  ctx: PipelineContext,
  clock: { ms: number },
): void {
  for (let i = 0; i < count; i++) {
    const [chat, msg] = messages.next().value as [number, IncomingMessage];
    clock.ms += 25_000;
    const state = states[chat]!;
    const result = processMessage(state, msg, clock.ms, ctx);
    let plan = result.decision.kind === 'reply' ? result.decision.plan : null;
    while (plan !== null) {
      const prompt = prepareReply(state, clock.ms);
      if (prompt === null) break;
      const reviewed = reviewReply(state, 'Ну вы даёте, народ.', prompt);
      plan = completeReply(
        state,
        { triggerId: plan.triggerId, sent: true, text: reviewed.text, botMessageId: 1e9 + clock.ms / 25_000 },
        clock.ms,
        BOT,
      ).followUp;
    }
  }
}

describe('the pipeline with its bounded tables', () => {
  it.each([
    ['decoded', (value: unknown) => value as ChatState],
    ['restored', restoreChatState],
  ])('ends in the same state whether or not the state was %s from a snapshot midway', (_how, restore) => {
    const codec = new Codec();
    const chats = 3;
    const fresh = (): ChatState[] =>
      Array.from({ length: chats }, (_, c) => createChatState(-100 - c, 'supergroup', START));

    const straight = fresh();
    run(straight, corpus(11, chats), 12_000, context(), { ms: START });

    // Restored tables carry no key counts: the pipeline counts them again and must prune exactly as before.
    const restored = fresh();
    const messages = corpus(11, chats);
    const ctx = context();
    const clock = { ms: START };
    run(restored, messages, 5_000, ctx, clock);
    for (let c = 0; c < chats; c++) restored[c] = restore(codec.decode(codec.encode(restored[c])));
    run(restored, messages, 7_000, ctx, clock);

    for (let c = 0; c < chats; c++) {
      expect(Buffer.from(codec.encode(restored[c]))).toEqual(Buffer.from(codec.encode(straight[c])));
      expect(Object.keys(straight[c]!.chat.phrases).length).toBeGreaterThan(0);
      const stored = storedChatState(straight[c]!) as { edges: Record<string, StoredDynamicsEdge> };
      const edges = Object.values(stored.edges);
      expect(edges.some((e) => e.positiveEvidence.length > 0 || e.negativeEvidence.length > 0)).toBe(true);
      expect(edges.some((e) => e.positiveEvidence.length === 0)).toBe(true);
    }
  });

  it('packs each edge in one array of numbers: its figures, then its friendly and hostile evidence, capped', () => {
    const codec = new Codec();
    const calm: Tone = {
      sentiment: 0,
      toxicity: 0,
      profane: false,
      insult: false,
      agree: false,
      disagree: false,
      formal: false,
      informal: false,
      secondPerson: true,
    };
    const warm: Tone = { ...calm, sentiment: 0.8, agree: true };
    const rude: Tone = { ...calm, sentiment: -0.8, insult: true, disagree: true };
    const state = createChatState(-300, 'supergroup', START);
    recordInteraction(state, 1, 2, 'reply', calm, 10, START);
    recordInteraction(state, 2, 3, 'reply', calm, 11, START);
    expect(state.edges['1>2']).toEqual([1, 0, 0, 0, START, 0, 0]);

    for (let id = 12; id < 17; id++) recordInteraction(state, 1, 2, 'reply', warm, id, START + id);
    recordInteraction(state, 1, 2, 'reply', rude, 30, START + 30);
    const edge = state.edges['1>2']!;
    expect(edge.slice(EDGE.positiveCount)).toEqual([3, 14, 15, 16, 30]);
    expect(edge[EDGE.lastNegativeMs]).toBe(START + 30);
    expect(edge[EDGE.insults]).toBe(1);
    // The same interaction counted twice keeps one id.
    recordInteraction(state, 1, 2, 'reply', rude, 30, START + 31);
    expect(edge.slice(EDGE.evidence)).toEqual([14, 15, 16, 30]);

    // Snapshots keep the objects earlier builds wrote; reading one packs it again.
    const stored = storedChatState(state) as { edges: Record<string, StoredDynamicsEdge> };
    expect(stored.edges['1>2']).toMatchObject({ positiveEvidence: [14, 15, 16], negativeEvidence: [30] });
    expect(stored.edges['1>2']!.insults).toBe(edge[EDGE.insults]);
    expect(stored.edges['2>3']).toMatchObject({ weight: 1, positiveEvidence: [], negativeEvidence: [] });
    const restored = restoreChatState(codec.decode(codec.encode(stored)));
    expect(restored.edges).toEqual(state.edges);
    // A live state's packed edges read back as they are.
    expect(restoreChatState(codec.decode(codec.encode(state))).edges).toEqual(state.edges);
    recordInteraction(restored, 2, 3, 'reply', warm, 20, START + 20);
    expect(restored.edges['2>3']!.slice(EDGE.positiveCount)).toEqual([1, 20]);
  });

  it('refuses a packed edge whose friendly count does not fit it, and cuts stored evidence to the cap', () => {
    const codec = new Codec();
    const state = createChatState(-301, 'supergroup', START);
    state.edges['1>2'] = [1, 0, 0, 0, START, 0, 2, 40];
    expect(() => restoreChatState(codec.decode(codec.encode(state)))).toThrow(/edges/);
    const stored = storedChatState(createChatState(-301, 'supergroup', START)) as {
      edges: Record<string, StoredDynamicsEdge>;
    };
    stored.edges['1>2'] = {
      weight: 1,
      positive: 1,
      negative: 0,
      insults: 0,
      lastMs: START,
      lastNegativeMs: 0,
      positiveEvidence: [1, 2, 3, 4, 5],
      negativeEvidence: [],
    };
    expect(restoreChatState(codec.decode(codec.encode(stored))).edges['1>2']!.slice(EDGE.positiveCount)).toEqual([
      3, 3, 4, 5,
    ]);
  });

  it('keeps chat slang identical to sorting every shared entry', () => {
    const states = Array.from({ length: 2 }, (_, c) => createChatState(-200 - c, 'supergroup', START));
    const messages = corpus(5, 2);
    const ctx = context();
    const clock = { ms: START };
    for (let round = 0; round < 6; round++) {
      run(states, messages, 700, ctx, clock);
      for (const state of states) {
        for (const limit of [0, 1, 3, 12, 1_000])
          expect(chatSlang(state.chat, limit)).toEqual(slangBySort(state.chat, limit));
      }
    }
  });
});

/** Chat slang as a full sort of every shared entry. */
function slangBySort(chat: ChatProfile, limit: number): SlangEntry[] {
  return [...Object.values(chat.phrases), ...Object.values(chat.words)]
    .filter((s) => s[0] >= 3 && s[2] >= 2)
    .sort((a, b) => b[0] * b[2] - a[0] * a[2] || compareText(a[1], b[1]))
    .slice(0, limit)
    .map(([count, text, speakers]) => ({ text, count, speakers }));
}

describe('keepStrongest', () => {
  it('keeps the same entries in the same order as a stable sort of [key, score] pairs', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 5 })),
        fc.integer({ min: 0, max: 20 }),
        (record, cap) => {
          const expected: Record<string, number> = {};
          for (const [key] of Object.keys(record)
            .map((k) => [k, record[k]!] as const)
            .sort((p, q) => q[1] - p[1])
            .slice(0, cap))
            expected[key] = record[key]!;
          const kept = keepStrongest(record, cap, (v) => v);
          expect(Object.entries(kept)).toEqual(Object.entries(expected));
        },
      ),
    );
  });
});

describe('emptyTable', () => {
  it('holds, lists and encodes its keys as a plain object literal does, and tableOf copies one counted', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 40 }), (entries) => {
        const table = emptyTable<number>();
        const literal: Record<string, number> = {};
        for (const [key, value] of entries) {
          table[key] = value;
          literal[key] = value;
        }
        expect(Object.getPrototypeOf(table)).toBe(Object.prototype);
        expect(Object.entries(table)).toEqual(Object.entries(literal));
        expect(new Codec().encode(table)).toEqual(new Codec().encode(literal));
        const copy = tableOf(literal);
        expect(Object.entries(copy)).toEqual(Object.entries(literal));
        const keys = Object.keys(literal).length;
        expect(hasMoreKeysThan(copy, keys)).toBe(false);
        expect(hasMoreKeysThan(copy, keys - 1)).toBe(true);
      }),
    );
  });
});

/** The display name by the full pipeline of regexes, as for any name. */
function displayNameByRegex(raw: string, userId: number): string {
  const noise = new RegExp(`${PII_PLACEHOLDER.source}|[\\p{C}[\\]<>{}#\`*_]`, 'gu');
  const clean = redactName(raw.replace(/\p{Cc}/gu, ' '))
    .replace(noise, (m) => (m.length > 2 ? m : ''))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 32);
  return clean.length > 0 ? clean : `id${userId}`;
}

describe('displayName', () => {
  const nameChars = [..."aZbYАяЁё ІїDE0123456789-.'_@[]\t\u00a0+()"];
  it('gives what the full regex pipeline gives, for plain and unusual names alike', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...nameChars), { maxLength: 40 }).map((cs) => cs.join('')),
        (name) => {
          const state = createChatState(-1, 'supergroup', START);
          state.members['7'] = { name } as ChatState['members'][string];
          expect(displayName(state, 7)).toBe(displayNameByRegex(name, 7));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it.each(['Участник 12', 'Anna', 'DE12 3456 7890 1234 5678 90', 'Ivan 89161234567', ' Лёха  ', 'Mary-Jane O.'])(
    'names %j as the regex pipeline does',
    (name) => {
      const state = createChatState(-1, 'supergroup', START);
      state.members['7'] = { name } as ChatState['members'][string];
      expect(displayName(state, 7)).toBe(displayNameByRegex(name, 7));
    },
  );
});

describe('scanText', () => {
  // Capitals of A–Z and Ѐ–Я are lower-cased word by word; other letters are cut from the whole text lower-cased.
  const pieces = [
    ...'Привет привет ЁЖИК ёж Кто-То Hello WORLD e-Mail ΟΔΟΣ Σ σ Ω Ѣ ѣ Ґ É Ǆ ǅ Straße 日本 🙂'.split(' '),
    ...[' ', '.', "'", '-', ',', '?', '1', '\n'],
  ];
  it('gives the words of the text lower-cased whole', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(scanText(text).words).toEqual(scanText(text.toLowerCase()).words);
      }),
      { numRuns: 5_000 },
    );
    // Σ before "." and a letter is not at a word's end in the whole text, so it is not a final ς.
    expect(scanText('ΟΔΟΣ.ΑΒ Ёлки-ПАЛКИ, Hello').words).toEqual(['οδοσ', 'αβ', 'елки-палки', 'hello']);
  });
});

describe('guardReply', () => {
  const instructions = 'Ты Лёха, свой парень в чате. Пиши коротко, по-русски; не ЁРНИЧАЙ и не спорь с админами!';
  const words = [...scanText(instructions).words, 'чушь', 'ёрничай', 'hello'];
  it('blocks exactly the replies that quote seven words of the instructions in a row', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 16 }), (replyWords) => {
        const reply = replyWords.join(' ');
        const haystack = ` ${scanText(instructions).words.join(' ')} `;
        const found = scanText(reply).words;
        let quoted = false;
        for (let i = 0; i + 7 <= found.length; i++)
          if (haystack.includes(` ${found.slice(i, i + 7).join(' ')} `)) quoted = true;
        const verdict = guardReply(reply, { instructions, allowAiDisclosure: true });
        expect(verdict.action === 'block').toBe(quoted);
      }),
      { numRuns: 2_000 },
    );
  });
});
