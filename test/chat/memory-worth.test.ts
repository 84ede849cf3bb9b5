import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMORY_CANDIDATE_LIMITS, memoryCandidate } from '../../src/chat/index.js';

describe('a first-person statement about oneself is remembered as a fact', () => {
  it.each([
    'Меня зовут Петя',
    'я работаю в банке',
    'Работаю программистом',
    'я живу в Казани',
    'Я из Новосибирска',
    'у меня есть кот',
    'я люблю пиццу',
    'обожаю горы',
    'я ненавижу понедельники',
    'я не люблю оливки',
    'мой любимый фильм — Брат',
    'Моя любимая группа Кино',
    'кстати, я живу в Питере',
    'мне 30 лет',
    'я — дизайнер',
    'My name is Bob',
    "I'm a nurse",
    'I am an engineer',
    'im a teacher',
    'I work at Google',
    'I live in Berlin',
    'I love hiking',
    'I hate mornings',
    'my favourite band is Queen',
    'My favorite food is sushi',
    'я люблю, когда в чате тихо',
    'ты из Москвы? я из Питера',
    // Capitals, ё and typographic apostrophes read as the openings' lower case, е and '.
    'МЕНЯ ЗОВУТ ПЕТЯ',
    'Моё любимое блюдо — плов',
    'I’m a nurse',
    'I`m from Berlin',
    'I DON’T LIKE mornings',
  ])('%j', (text) => expect(memoryCandidate(text)?.kind).toBe('fact'));

  it('judges each message on its own, whatever was judged before it', () => {
    // The openings' patterns are shared: a match far into one message must not hide one at the start of the next.
    const far = 'ну вот такие дела у нас в городе, а так я живу в Казани уже давно';
    for (let i = 0; i < 3; i++) {
      expect(memoryCandidate(far)?.kind).toBe('fact');
      expect(memoryCandidate('я живу в Казани')?.kind).toBe('fact');
      expect(memoryCandidate('я из Казани?')).toBeNull();
    }
  });

  it.each([
    'я работаю',
    'я из',
    'I am a',
    'я люблю тебя',
    'у меня есть вопрос',
    'ты живёшь в Казани?',
    'я из Казани?',
    'я из-за тебя',
    'я работаю, отстань',
    'I love you Lekha',
  ])('but not %j', (text) => expect(memoryCandidate(text)?.kind).not.toBe('fact'));
});

describe('a substantive message is remembered as a message', () => {
  it.each([
    'Вчера купил новый ноутбук, очень доволен',
    'Завтра едем на дачу всей компанией',
    'The new release broke the build again',
    'посмотрите https://example.com/video классное видео про котов',
  ])('%j', (text) => expect(memoryCandidate(text)?.kind).toBe('message'));
});

describe('junk is not remembered', () => {
  it.each([
    '',
    '   ',
    '/start',
    '/mode quiet',
    'ок',
    'ага',
    'да',
    'нет',
    'лол',
    'ахах',
    'хахаха',
    'ахахахахаха',
    '+',
    'спс',
    'ok',
    'lol',
    'yes',
    'thx',
    'да, ок, спасибо',
    'ну да',
    '😂😂😂',
    '!!!???',
    '👍',
    'https://example.com/some/page',
    'example.com',
    '@someone',
    '[phone]',
    'ааааааа',
    'дааааа',
    'lol lol lol',
    'котик котик котик котик котик',
    'раз два раз два раз два раз два',
    'ну и что',
    'это просто жесть',
  ])('%j', (text) => expect(memoryCandidate(text)).toBeNull());
});

describe('the kept text', () => {
  it('is trimmed and has its whitespace collapsed', () => {
    expect(memoryCandidate('  я живу\n\n в   Казани  ')).toEqual({ kind: 'fact', text: 'я живу в Казани' });
  });

  it(`is cut to ${MEMORY_CANDIDATE_LIMITS.maxChars} characters at a word boundary`, () => {
    const letter = (n: number): string => String.fromCharCode(0x430 + (n % 32));
    const words = Array.from({ length: 200 }, (_, i) => `сл${letter(i)}${letter(i >> 5)}во`);
    const text = `Вчера обсуждали ${words.join(' ')}`;
    const kept = memoryCandidate(text)!;
    expect(kept.text.length).toBeLessThanOrEqual(MEMORY_CANDIDATE_LIMITS.maxChars);
    expect(kept.text.length).toBeGreaterThan(MEMORY_CANDIDATE_LIMITS.maxChars - 15);
    expect(text.startsWith(kept.text)).toBe(true);
    expect(text[kept.text.length]).toBe(' ');
  });

  it('cuts a single overlong word hard, never through an emoji', () => {
    const letter = (n: number): string => String.fromCharCode(0x430 + (n % 32));
    const glued = Array.from({ length: 200 }, (_, i) => `сл${letter(i)}${letter(i >> 5)}во`)
      .join(',')
      .slice(0, MEMORY_CANDIDATE_LIMITS.maxChars - 1);
    const kept = memoryCandidate(`${glued}😀 и хвост`);
    expect(kept?.text).toBe(glued);
  });
});

describe('candidate invariants', () => {
  const wordArb = fc.constantFrom(
    'я',
    'живу',
    'в',
    'Казани',
    'люблю',
    'ок',
    'lol',
    'https://t.me/x',
    '😂',
    'работа',
    'кофе',
    'I',
    'love',
    'my',
    'code',
    ',',
    '?',
    '\n',
    '  ',
  );
  const textArb = fc.oneof(
    fc.string({ maxLength: 700 }),
    fc.array(wordArb, { maxLength: 250 }).map((w) => w.join(' ')),
  );

  it('keeps at most maxChars of the collapsed text, from its start and on a word boundary', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const kept = memoryCandidate(text);
        if (kept === null) return;
        const collapsed = text.trim().replace(/\s+/g, ' ');
        expect(kept.text.length).toBeGreaterThan(0);
        expect(kept.text.length).toBeLessThanOrEqual(MEMORY_CANDIDATE_LIMITS.maxChars);
        expect(collapsed.startsWith(kept.text)).toBe(true);
        if (kept.text.length < collapsed.length && kept.text.length < MEMORY_CANDIDATE_LIMITS.maxChars - 1) {
          expect(collapsed[kept.text.length]).toBe(' ');
        }
      }),
    );
  });
});
