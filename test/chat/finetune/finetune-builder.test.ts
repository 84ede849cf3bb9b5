import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOG,
  DEFAULT_PERSONA,
  FinetuneBuilder,
  MemberMasker,
  openaiExampleSchema,
  parseExportDate,
  personaInstructions,
  similarTriggerKey,
  variantPersona,
} from '../../../src/chat/index.js';
import type { FinetuneReply } from '../../../src/ports/index.js';

const pseudonymOf = (userId: number) => `member-${userId.toString(16).padStart(8, '0')}`;
const members = [{ userId: 10, names: ['Маша', 'Иванова', 'Маша Иванова', 'masha_i'] }];
const NOW = Date.UTC(2026, 11, 1);

function reply(overrides: Partial<FinetuneReply> = {}): FinetuneReply {
  return {
    chatId: -1,
    messageId: 2,
    sentAtMs: NOW - 3_600_000,
    persona: 'Лёха@1',
    template: 'lekha-persona/3',
    experimentId: null,
    variant: null,
    overrides: undefined,
    scoreWindowMs: 600_000,
    text: 'Держи, Маша',
    signals: [{ kind: 'rate', value: 1, atMs: NOW - 3_500_000 }],
    trigger: { userId: 10, messageId: 1, text: 'Лёха, помоги' },
    history: [],
    members,
    ...overrides,
  };
}

const builder = () =>
  new FinetuneBuilder(
    DEFAULT_CATALOG,
    pseudonymOf,
    { format: 'openai', minScore: 0.5, sinceMs: 0, untilMs: NOW, nowMs: NOW },
    12,
  );

describe('MemberMasker', () => {
  it('replaces names in every case form, full names and @usernames, and redacts PII first', () => {
    const masker = new MemberMasker(members, pseudonymOf);
    expect(masker.mask('Машу видели? Маше привет, МАША ИВАНОВА и @masha_i, звони +7 916 123-45-67')).toBe(
      'member-0000000a видели? member-0000000a привет, member-0000000a и member-0000000a, звони [phone]',
    );
    expect(masker.mask('Машина стоит')).toBe('Машина стоит');
  });
});

describe('FinetuneBuilder', () => {
  it('builds the system message from the variant persona the reply was made with', () => {
    const overrides = { styleRules: ['Answer in one word.'] };
    const line = builder().add(reply({ experimentId: 1, variant: 'b', overrides }));
    const example = openaiExampleSchema.parse(JSON.parse(line ?? 'null'));
    expect(example.messages[0]?.content).toBe(
      personaInstructions(variantPersona(DEFAULT_PERSONA, overrides)).join('\n'),
    );
    expect(example.messages[0]?.content).toContain('Answer in one word.');
    expect(example.messages.slice(1)).toEqual([
      { role: 'user', content: 'member-0000000a: Лёха, помоги' },
      { role: 'assistant', content: 'Держи, member-0000000a' },
    ]);
  });

  it('counts only signals within the window', () => {
    const b = builder();
    const late = [{ kind: 'rate' as const, value: 1, atMs: NOW - 3_600_000 + 600_001 }];
    expect(b.add(reply({ signals: late }))).toBeNull();
    expect(b.manifest(NOW, 'keyed').skipped.below_min_score).toBe(1);
  });
});

describe('similarTriggerKey', () => {
  it('matches texts that differ in case, ё, punctuation and member, across chats from three words', () => {
    expect(similarTriggerKey(-1, 'Лёха, что почитать, member-0000000a?')).toBe(
      similarTriggerKey(-2, 'леха что почитать member-deadbeef'),
    );
    expect(similarTriggerKey(-1, 'Привет!')).not.toBe(similarTriggerKey(-2, 'привет'));
    expect(similarTriggerKey(-1, 'Привет!')).toBe(similarTriggerKey(-1, 'привет'));
    expect(similarTriggerKey(-1, '👍 !!!')).toBeNull();
  });
});

describe('parseExportDate', () => {
  it('takes dates and ISO times with offsets, nothing else', () => {
    expect(parseExportDate('2026-12-01')).toBe(Date.UTC(2026, 11, 1));
    expect(parseExportDate('2026-12-01T08:00:00+03:00')).toBe(Date.UTC(2026, 11, 1, 5));
    for (const bad of ['2026-02-30', '2026-12-01T08:00', 'yesterday', '1700000000', ''])
      expect(parseExportDate(bad), bad).toBeNull();
  });
});
