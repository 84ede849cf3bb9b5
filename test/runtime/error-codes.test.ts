import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { HttpError, NotFoundError, runtimeErrorStatus } from '../../src/http/errors.js';
import { HttpListenError } from '../../src/http/index.js';
import {
  ERROR_CODES,
  InvalidOptionError,
  LekhaError,
  type LekhaErrorCode,
  MailboxFullError,
} from '../../src/runtime/index.js';
import { TelegramApiError } from '../../src/telegram/index.js';

const SRC = path.resolve(import.meta.dirname, '../../src');
const REGISTRY_FILE = path.join(SRC, 'runtime', 'error-codes.ts');
const registered = new Set<string>(Object.keys(ERROR_CODES));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && full !== REGISTRY_FILE ? [full] : [];
  });
}

interface ErrorClass {
  name: string;
  base: string;
  file: string;
  /** The class's text up to the next top-level declaration. */
  body: string;
}

const sources = sourceFiles(SRC).map((file) => ({ file: path.relative(SRC, file), text: readFileSync(file, 'utf8') }));

/** Every class in src that extends `LekhaError`, directly or through another of ours. */
function errorClasses(): ErrorClass[] {
  const all: ErrorClass[] = [];
  for (const { file, text } of sources) {
    const heads = [...text.matchAll(/^export class (\w+) extends (\w+)/gm)];
    heads.forEach((head, i) => {
      const end = i + 1 < heads.length ? heads[i + 1]!.index : text.length;
      all.push({ name: head[1]!, base: head[2]!, file, body: text.slice(head.index, end) });
    });
  }
  const lekha = new Set(['LekhaError']);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of all) {
      if (lekha.has(c.base) && !lekha.has(c.name)) {
        lekha.add(c.name);
        grew = true;
      }
    }
  }
  return all.filter((c) => lekha.has(c.base));
}

const literals = (text: string): string[] => [...text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!);

/** The codes a class says it carries: `declare readonly code: 'A' | 'B'`. */
const declaredCodes = (c: ErrorClass): string[] => literals(/declare readonly code: ([^;]+);/.exec(c.body)?.[1] ?? '');

/** Code literals handed to a constructor: `super('X'`, `super(404, 'X'`, `new LekhaError('X'`, `new NotFoundError('X'`, `say('X'`. */
function constructedCodes(text: string): string[] {
  return [
    ...text.matchAll(
      /(?:\bsuper|\bnew \w*Error|\bsay)\(\s*(?:\d+,\s*)?(?:[^,()]*\?\s*)?'([A-Z][A-Z0-9_]+)'(?:\s*:\s*'([A-Z][A-Z0-9_]+)')?/g,
    ),
  ].flatMap((m) => [m[1]!, ...(m[2] === undefined ? [] : [m[2]])]);
}

describe('the error code registry', () => {
  const classes = errorClasses();

  it('finds the error classes of every layer', () => {
    const names = classes.map((c) => c.name);
    for (const name of [
      'MailboxFullError',
      'InvalidOptionError',
      'ConfigError',
      'SnapshotCorruptError',
      'TelegramApiError',
      'NotFoundError',
      'StartError',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('gives every code a one-line meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(meaning.trim(), code).not.toBe('');
      expect(meaning, code).not.toContain('\n');
    }
  });

  it('names every code an error class carries or a throw site hands over', () => {
    const used = [...classes.flatMap(declaredCodes), ...sources.flatMap((s) => constructedCodes(s.text))];
    expect(used.length).toBeGreaterThan(40);
    expect([...new Set(used)].filter((code) => !registered.has(code))).toEqual([]);
  });

  it('lists no code that no error class or throw site uses', () => {
    const used = new Set([...classes.flatMap(declaredCodes), ...sources.flatMap((s) => constructedCodes(s.text))]);
    expect([...registered].filter((code) => !used.has(code))).toEqual([]);
  });

  it('has every error class either narrow its code to literals or take a code from its caller', () => {
    const loose = classes
      .filter((c) => declaredCodes(c).length === 0 && !/\bcode: LekhaErrorCode\b/.test(c.body))
      .map((c) => `${c.file}: ${c.name}`);
    expect(loose).toEqual([]);
  });

  it('has every class hand its constructor only the codes it declares', () => {
    for (const c of classes) {
      const declared = declaredCodes(c);
      if (declared.length === 0) continue;
      const handed = constructedCodes(c.body.replace(/declare readonly code: [^;]+;/, ''));
      expect(
        handed.filter((code) => !declared.includes(code)),
        `${c.file}: ${c.name}`,
      ).toEqual([]);
    }
  });

  it('carries the declared literal at run time', () => {
    expect(new MailboxFullError('chat:1', 4).code).toBe('MAILBOX_FULL');
    expect(new InvalidOptionError('limit', 'limit must be a positive integer, got 0')).toMatchObject({
      code: 'INVALID_OPTION',
      option: 'limit',
      retryable: false,
    });
    expect(new HttpListenError('127.0.0.1', 80, 'EACCES', null).code).toBe('HTTP_LISTEN_FAILED');
    expect(new TelegramApiError('getMe', { description: 'no answer within 10 s' }).code).toBe(
      'TELEGRAM_API_UNREACHABLE',
    );
  });

  it('keys the HTTP status table by registered codes only', () => {
    expect(Object.keys(runtimeErrorStatus).filter((code) => !registered.has(code))).toEqual([]);
  });

  it('types codes so that a misspelt or unknown code does not compile', () => {
    expectTypeOf<LekhaErrorCode>().toEqualTypeOf<keyof typeof ERROR_CODES>();
    expectTypeOf<MailboxFullError['code']>().toEqualTypeOf<'MAILBOX_FULL'>();
    expectTypeOf<InvalidOptionError['code']>().toEqualTypeOf<'INVALID_OPTION'>();
    expectTypeOf<HttpListenError['code']>().toEqualTypeOf<'HTTP_PORT_IN_USE' | 'HTTP_LISTEN_FAILED'>();
    expectTypeOf<LekhaError['code']>().toEqualTypeOf<LekhaErrorCode>();
    expectTypeOf(runtimeErrorStatus).toEqualTypeOf<Readonly<Partial<Record<LekhaErrorCode, number>>>>();

    // @ts-expect-error: not a registered code
    expect(new LekhaError('MAILBOX_FUL', 'x').code).toBe('MAILBOX_FUL');
    // @ts-expect-error: not a registered code
    expect(new NotFoundError('CHAT_NOT_FOND', 'x').statusCode).toBe(404);
    // @ts-expect-error: not a registered code
    expect(new HttpError(503, 'NO_SUCH_CODE', 'x').code).toBe('NO_SUCH_CODE');
    // @ts-expect-error: a table keyed by codes takes no unknown key
    const table: Partial<Record<LekhaErrorCode, number>> = { MAILBOX_FULL: 503, MAILBOX_FUL: 503 };
    expect(table.MAILBOX_FULL).toBe(503);

    const error: LekhaError = new MailboxFullError('chat:1', 4);
    // @ts-expect-error: comparing with a code that does not exist is a type error
    expect(error.code === 'MAILBOX_FUL').toBe(false);
    if (error instanceof MailboxFullError) {
      // @ts-expect-error: a MailboxFullError never carries another code
      expect(error.code === 'ASK_TIMEOUT').toBe(false);
    }
  });
});
