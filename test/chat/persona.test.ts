import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPersonaPrompt,
  DEFAULT_PERSONA,
  tunedPersona,
  tuningRefusals,
  tuningRefusalText,
  declineName,
  PERSONA_TEMPLATE,
  type Persona,
  personaSchema,
  personaTriggers,
  renamedPersona,
} from '../../src/chat/index.js';
import { BOT_ID, ChatDriver } from './support/chat-fixture.js';
import { personaScenarios, type ScenarioPrompt } from './support/persona-scenarios.js';

const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/persona/lekha-default-prompts.json', import.meta.url), 'utf8'),
) as ScenarioPrompt[];

describe('the default persona', () => {
  it('builds exactly the prompts Лёха built before personas were data', () => {
    const built = personaScenarios((state, request, nowMs, allow) =>
      buildPersonaPrompt(state, { ...request, persona: DEFAULT_PERSONA }, nowMs, allow),
    );
    expect(built.map((p) => p.name)).toEqual(recorded.map((p) => p.name));
    for (const [i, prompt] of built.entries()) {
      expect(prompt.messages).toEqual(recorded[i]!.messages);
      expect(prompt.instructions).toBe(recorded[i]!.instructions);
      expect(prompt.version).toBe(`${recorded[i]!.version} Лёха@1`);
    }
  });

  it('is what a prompt without a persona is built with', () => {
    const built = personaScenarios((state, request, nowMs, allow) => buildPersonaPrompt(state, request, nowMs, allow));
    expect(built.map((p) => p.messages)).toEqual(recorded.map((p) => p.messages));
  });
});

describe('declineName', () => {
  it.each([
    ['Иван', ['иван', 'ивана', 'ивану', 'иваном', 'иване']],
    ['Лёха', ['лёха', 'лёхи', 'лёхе', 'лёху', 'лёхой', 'лёхою', 'лёх']],
    ['Маша', ['маша', 'маши', 'маше', 'машу', 'машей', 'машею', 'маш']],
    ['Вася', ['вася', 'васи', 'васе', 'васю', 'васей', 'васею', 'вась']],
    ['Мария', ['мария', 'марии', 'марию', 'марией', 'мариею']],
    ['Андрей', ['андрей', 'андрея', 'андрею', 'андреем', 'андрее']],
    ['Василий', ['василий', 'василия', 'василию', 'василием', 'василии']],
    ['Игорь', ['игорь', 'игоря', 'игорю', 'игорем', 'игоре']],
    ['Никита', ['никита', 'никиты', 'никите', 'никиту', 'никитой', 'никитою', 'никит']],
  ])('declines %s', (name, forms) => expect(declineName(name)).toEqual(forms));

  it.each(['Lekha', 'Нико', 'Лёха Бот', 'Ё'])('leaves %j as it is', (name) =>
    expect(declineName(name)).toEqual([name.toLowerCase()]),
  );
});

describe('a persona', () => {
  const vasya = (over: Record<string, unknown> = {}): unknown => ({
    name: 'Вася',
    version: 3,
    aliases: ['Вася', 'Vasya'],
    character: ['You are {name}, a grumpy fisherman.'],
    ...over,
  });

  it('answers to every case form of its name and aliases, and to its explicit forms as written', () => {
    const persona = personaSchema.parse(vasya({ forms: ['Васёк'] }));
    const triggers = personaTriggers(persona);
    for (const word of ['вася', 'васи', 'васе', 'васю', 'васей', 'вась', 'vasya', 'васек'])
      expect(triggers).toContain(word);
    expect(triggers).not.toContain('вас');
  });

  it('writes its character, language, topics, length and emoji rule into the prompt, and its name into the transcript', () => {
    const persona = personaSchema.parse(
      vasya({ language: 'uk', topics: ['fishing', 'boats'], replyLength: 'short', emoji: 'none' }),
    );
    const driver = new ChatDriver();
    const t = driver.say({ id: 1, name: 'Аня' }, 'Вася, привет');
    driver.state.history.push({ id: 99, from: BOT_ID, ms: driver.nowMs, text: 'здоров', replyTo: t.id, bot: true });
    const prompt = buildPersonaPrompt(
      driver.state,
      { triggerId: t.id, fromId: 1, language: 'ru', persona },
      driver.nowMs,
    );
    const system = prompt.messages[0]!.content;
    expect(system).toContain('You are Вася, a grumpy fisherman.');
    expect(system).toContain('You always answer in Ukrainian');
    expect(system).toContain('You talk about fishing, boats.');
    expect(system).toContain('one or two sentences');
    expect(system).toContain('Never use emoji.');
    expect(system).toContain('You are Вася, not an AI');
    expect(system).not.toContain('Лёха');
    expect(system).toContain(PERSONA_TEMPLATE.canary);
    expect(prompt.messages[1]!.content).toContain('[#99] YOU (Вася) → #1: здоров');
    expect(prompt.version).toBe(`${PERSONA_TEMPLATE.version} Вася@3`);
    expect(prompt.maxTokens).toBe(160);
  });

  it.each([
    [{ name: undefined }, 'name: name must be text'],
    [{ name: '' }, 'name: name must not be empty'],
    [{ version: 0 }, 'version: version must be a positive whole number'],
    [{ version: 1.5 }, 'version: version must be a positive whole number'],
    [{ aliases: ['два слова'] }, 'aliases.0: an alias is one word'],
    [{ character: [] }, 'character: character needs at least one line'],
    [{ language: 'fr' }, 'language: language is one of match, ru, uk, en'],
    [{ replyLength: 'huge' }, 'replyLength: replyLength is one of short, medium, long'],
    [{ mood: 'happy' }, 'Unrecognized key: "mood"'],
    [{ offline: { unavailable: { de: ['x'] } } }, 'offline.unavailable: Unrecognized key: "de"'],
  ])('refuses %j with a message naming the field', (over, message) => {
    const parsed = personaSchema.safeParse(vasya(over));
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues.join('\n')).toContain(message);
  });

  it('renamed by PERSONA_NAME keeps the character and answers to the new name only', () => {
    const renamed: Persona = renamedPersona(DEFAULT_PERSONA, 'Вася', undefined);
    expect(renamed.character[0]).toMatch(/^You are \{name\}, a member of a Telegram group chat/);
    expect(personaTriggers(renamed)).toContain('васей');
    expect(personaTriggers(renamed)).not.toContain('леха');
    const aliased = renamedPersona(DEFAULT_PERSONA, undefined, ['Кент']);
    expect(aliased.name).toBe('Лёха');
    expect(personaTriggers(aliased)).toEqual(expect.arrayContaining(['леха', 'кент', 'кентом']));
  });
});

describe('a chat tuning its persona', () => {
  const strict = personaSchema.parse({
    name: 'Вася',
    version: 2,
    character: ['You are {name}.'],
    styleRules: ['Plain words.'],
    tunable: { replyLength: ['short', 'medium'], emoji: [], styleLines: 1 },
  });

  it('lets chats pick reply length and emoji, but add no lines, unless the persona says otherwise', () => {
    expect(DEFAULT_PERSONA.tunable).toEqual({
      replyLength: ['short', 'medium', 'long'],
      emoji: ['none', 'rare', 'free'],
      styleLines: 0,
    });
    expect(personaSchema.parse({ name: 'Петя', version: 1, character: ['x'] }).tunable).toEqual(
      DEFAULT_PERSONA.tunable,
    );
    expect(() => personaSchema.parse({ ...strict, tunable: { styleLines: 6 } })).toThrow(
      'tunable.styleLines is a whole number from 0 to 5',
    );
    expect(() => personaSchema.parse({ ...strict, tunable: { emoji: ['lots'] } })).toThrow(
      'tunable.emoji lists none, rare, free',
    );
  });

  it('applies what the persona allows and only that, keeping name, version and character', () => {
    const tuned = tunedPersona(strict, {
      replyLength: 'short',
      emoji: 'none',
      styleLines: ['Про рыбалку.', 'Про погоду.'],
    });
    expect(tuned).toMatchObject({ name: 'Вася', version: 2, character: ['You are {name}.'], replyLength: 'short' });
    expect(tuned.emoji).toBeUndefined();
    expect(tuned.styleRules).toEqual(['Plain words.', 'Про рыбалку.']);
    expect(tunedPersona(strict, undefined)).toBe(strict);
    expect(tunedPersona(strict, { replyLength: 'long' })).toBe(strict);
  });

  it('names each part a persona refuses, with what it allows', () => {
    const refused = tuningRefusals(strict, { replyLength: 'long', emoji: 'rare', styleLines: ['a b c', 'd e f'] });
    expect(refused.map((r) => tuningRefusalText(strict, r))).toEqual([
      'personaTuning.replyLength: Вася allows short, medium',
      'personaTuning.emoji: Вася allows no change',
      "personaTuning.styleLines: Вася allows at most 1 style line of a chat's own",
    ]);
    expect(tuningRefusals(strict, { replyLength: 'medium', styleLines: ['a b c'] })).toEqual([]);
  });
});
