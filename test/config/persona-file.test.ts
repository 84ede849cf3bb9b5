import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { personaTriggers } from '../../src/chat/index.js';
import { ConfigError, loadConfig, loadPersonaCatalog } from '../../src/config/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lekha-personas-'));
let files = 0;

function file(text: string, ext = 'yaml'): string {
  const p = path.join(dir, `personas-${files++}.${ext}`);
  writeFileSync(p, text);
  return p;
}

function catalogOf(env: Record<string, string>) {
  return loadPersonaCatalog(loadConfig(env));
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    catalogOf(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return (error as ConfigError).problems;
  }
  throw new Error('the persona settings were accepted');
}

const vasya = `
  - name: Вася
    version: 3
    aliases: [Вася, vasya]
    character: ['You are {name}, a grumpy fisherman.']
`;

describe('PERSONA_FILE', () => {
  it('reads personas from YAML, with the default it names', () => {
    const catalog = catalogOf({
      PERSONA_FILE: file(
        `default: вася\npersonas:\n  - name: Лёха\n    version: 2\n    character: ['You are {name}.']${vasya}`,
      ),
    });
    expect(catalog.personas.map((p) => `${p.name}@${p.version}`)).toEqual(['Лёха@2', 'Вася@3']);
    expect(catalog.defaultName).toBe('Вася');
  });

  it('reads JSON, and takes the first persona as the default when none is named', () => {
    const json = JSON.stringify({ personas: [{ name: 'Маша', version: 1, character: ['You are {name}.'] }] });
    const catalog = catalogOf({ PERSONA_FILE: file(json, 'json') });
    expect(catalog.defaultName).toBe('Маша');
    expect(personaTriggers(catalog.personas[0]!)).toEqual(expect.arrayContaining(['маша', 'машей', 'машу']));
  });

  it('reads the model a persona is answered by, and leaves it unset when not given', () => {
    const catalog = catalogOf({
      PERSONA_FILE: file(
        `personas:\n  - name: Лёха\n    version: 1\n    character: [x]\n    model: ' ft:llama-3.1-8b:acme:lekha:abc123 '${vasya}`,
      ),
    });
    expect(catalog.personas.map((p) => p.model)).toEqual(['ft:llama-3.1-8b:acme:lekha:abc123', undefined]);
    const longest = `m${'x'.repeat(199)}`;
    const at200 = catalogOf({ PERSONA_FILE: file(`personas:${vasya}    model: ${longest}\n`) });
    expect(at200.personas[0]!.model).toBe(longest);
  });

  it.each([
    [
      'a file that is not there',
      () => path.join(dir, 'missing.yaml'),
      /PERSONA_FILE .*missing\.yaml: cannot be read \(ENOENT\)/,
    ],
    ['bad YAML', () => file('personas: [\n  - name: "Вася'), /PERSONA_FILE .*: is not valid YAML or JSON: /],
    ['a list instead of an object', () => file('- name: Вася'), /must be an object with "personas: \[\.\.\.\]"/],
    ['no personas', () => file('personas: []'), /"personas" must be a list of at least one persona/],
    ['an unknown top-level field', () => file(`personaz: 1\npersonas:${vasya}`), /unknown field "personaz"/],
    [
      'an unknown persona field',
      () => file(`personas:${vasya}    mood: happy\n`),
      /persona "Вася" \(personas\[0\]\): \(persona\): Unrecognized key: "mood"/,
    ],
    [
      'a persona without a name',
      () => file(`personas:\n  - version: 1\n    character: [x]\n`),
      /persona \(personas\[0\]\): name: name must be text/,
    ],
    [
      'a bad field',
      () => file(`personas:\n  - name: Петя\n    version: -1\n    character: [x]\n`),
      /persona "Петя" \(personas\[0\]\): version: version must be a positive whole number/,
    ],
    [
      'a model with a space in it',
      () => file(`personas:${vasya}    model: llama 3.3\n`),
      /persona "Вася" \(personas\[0\]\): model: model is a model id without spaces/,
    ],
    [
      'an empty model',
      () => file(`personas:${vasya}    model: '  '\n`),
      /persona "Вася" \(personas\[0\]\): model: model must not be empty/,
    ],
    [
      'a model longer than 200 characters',
      () => file(`personas:${vasya}    model: ${'m'.repeat(201)}\n`),
      /persona "Вася" \(personas\[0\]\): model: model is at most 200 characters/,
    ],
    [
      'a model that is not text',
      () => file(`personas:${vasya}    model: [a, b]\n`),
      /persona "Вася" \(personas\[0\]\): model: model must be text/,
    ],
    [
      'two personas of one name',
      () => file(`personas:${vasya}${vasya.replace('Вася\n', 'вася\n')}`),
      /persona "вася" \(personas\[1\]\): name: "вася" is already the name of personas\[0\]/,
    ],
    [
      'a default that is not there',
      () => file(`default: Петя\npersonas:${vasya}`),
      /default: no persona is named "Петя" \(there are: Вася\)/,
    ],
  ])('refuses %s, naming the file, the persona and the field', (_what, path_, message) => {
    const problems = problemsOf({ PERSONA_FILE: path_() });
    expect(problems.join('\n')).toMatch(message);
  });
});

describe('PERSONA_NAME and PERSONA_ALIASES', () => {
  it('rename the default persona, which then answers to the new name instead of Лёха', () => {
    const catalog = catalogOf({ PERSONA_NAME: 'Вася' });
    expect(catalog.defaultName).toBe('Вася');
    const triggers = personaTriggers(catalog.personas[0]!);
    expect(triggers).toEqual(expect.arrayContaining(['вася', 'васе', 'васей']));
    expect(triggers).not.toContain('леха');
  });

  it('give the default persona other triggers', () => {
    const catalog = catalogOf({ PERSONA_ALIASES: 'Бот, Кеша ,,' });
    expect(catalog.personas[0]!.name).toBe('Лёха');
    expect(catalog.personas[0]!.aliases).toEqual(['Бот', 'Кеша']);
  });

  it('apply to the default persona of a file', () => {
    const catalog = catalogOf({ PERSONA_FILE: file(`default: Вася\npersonas:${vasya}`), PERSONA_NAME: 'Василий' });
    expect(catalog.defaultName).toBe('Василий');
    expect(catalog.personas.map((p) => p.name)).toEqual(['Василий']);
  });

  it.each([
    [{ PERSONA_NAME: '<script>' }, /PERSONA_NAME: name is letters/],
    [{ PERSONA_ALIASES: 'два слова' }, /PERSONA_ALIASES: an alias is one word/],
  ])('refuse %j', (env, message) => expect(problemsOf(env).join('\n')).toMatch(message));

  it('refuse a name another persona of the file has', () => {
    const file_ = file(`default: Вася\npersonas:${vasya}  - name: Петя\n    version: 1\n    character: [x]\n`);
    expect(problemsOf({ PERSONA_FILE: file_, PERSONA_NAME: 'петя' }).join('\n')).toMatch(
      /PERSONA_NAME: "петя" is already the name of another persona/,
    );
  });
});

describe('docs/personas.md', () => {
  it('shows a persona file that loads as it is', () => {
    const doc = readFileSync(new URL('../../docs/personas.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const catalog = catalogOf({ PERSONA_FILE: file(example!) });
    expect(catalog.personas.map((p) => `${p.name}@${p.version}`)).toEqual(['Лёха@1', 'Вася@3']);
    expect(catalog.defaultName).toBe('Лёха');
  });
});
