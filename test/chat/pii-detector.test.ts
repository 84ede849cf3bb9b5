import { describe, expect, it } from 'vitest';
import { detectPii, type PiiKind, redactPii } from '../../src/chat/index.js';
import { ibanValid, innValid, luhnValid, snilsValid } from '../../src/chat/pii-checksums.js';

const found: Array<[string, PiiKind[]]> = [
  ['Мой номер +7 916 123-45-67, звони после шести', ['phone']],
  ['звони 8 (916) 123-45-67', ['phone']],
  ['пиши в вотсап 89161234567', ['phone']],
  ['мой мобильный 916 123 45 67', ['phone']],
  ['call me at +44 20 7946 0958 tomorrow', ['phone']],
  ['my US number is +1 415-555-2671', ['phone']],
  ['пиши на ivan.petrov@example.com, отвечу', ['email']],
  ['Contact: jane_doe+chat@mail.co.uk', ['email']],
  ['скинь на карту 4276 3800 1234 5679 плз', ['card']],
  ['card 5500-0000-0000-0004 works', ['card']],
  ['паспорт 45 08 123456 выдан ОВД', ['passport']],
  ['серия и номер паспорта 4508123456', ['passport']],
  ['ИНН 7707083893 у нашей конторы', ['inn']],
  ['мой инн 500100732259', ['inn']],
  ['СНИЛС 112-233-445 95', ['snils']],
  ['снилс: 11223344595', ['snils']],
  ['IBAN DE89 3704 0044 0532 0130 00 for the transfer', ['iban']],
  ['send to GB82WEST12345698765432', ['iban']],
  ['перевод на GB83 WEST ABCD EFGH IJ завтра', ['iban']],
  ['пиши a@b.ru, счёт GB83WESTABCDEFGHIJ', ['email', 'iban']],
  ['счёт GB83WESTABCDEFGHIJ, пиши a@b.ru', ['iban', 'email']],
  ['почта a@b.ru, телефон +7 999 000-11-22', ['email', 'phone']],
  ['моя amex 3782 822463 10005, не свети', ['card']],
  ['amex 378282246310005', ['card']],
  ['card 3782-822463-10005 expires 09/27', ['card']],
  ['Diners 3056 930902 5904', ['card']],
  ['серия 45 10 номер 123456', ['passport']],
  ['паспорт серия 4510 № 123456 выдан ОВД', ['passport']],
  ['4510 № 123456', ['passport']],
  ['паспорт 45 10 123456', ['passport']],
  ['серия: 45 10, номер: 123456', ['passport']],
  ['passport 4510 No. 123456', ['passport']],
];

const clean: Array<[string, string]> = [
  ['Заказ №79161234567 уже в пути', 'a phone-like order number'],
  ['номер заказа 89161234567, трек пришлю', 'a phone-like order number after "номер заказа"'],
  ['order #4155552671 shipped', 'an order number'],
  ['скинь на карту 4276 3800 1234 5678', 'a card-like number failing Luhn'],
  ['1234 5678 9012 3456 — это не карта', 'a 16-digit sequence failing Luhn'],
  ['встреча 12.05.2024 в 18:30', 'a date and a time'],
  ['бюджет 15 000 000 рублей', 'a price'],
  ['ИНН 7707083894 (опечатка)', 'an INN with a wrong check digit'],
  ['СНИЛС 112-233-445 96', 'a SNILS with a wrong checksum'],
  ['GB82WEST12345698765431 is not valid', 'an IBAN failing mod 97'],
  ['timestamp 1700000000000', 'a millisecond timestamp'],
  ['Лёха, привет! Как дела?', 'plain chat'],
  ['email me @ home', 'a lone at-sign'],
  ['3782 822463 10006', 'an Amex-shaped number failing Luhn'],
  ['заказ 4510 № 123456 отправлен', 'an order numbered like a passport'],
  ['счёт 2024 № 123456 оплачен', 'an invoice numbered like a passport'],
  ['в 2024 году 123456 просмотров', 'a year and a count'],
  ['встреча 2024-05-12 в 10:30', 'an ISO date'],
  ['итого 1 234 567 890 руб.', 'a price with thousands separators'],
  ['цена 45 10 руб., артикул 123456', 'a price and an article number'],
  ['дом 12, кв. 45, индекс 123456', 'an address'],
  ['серия 45 10', 'a passport series alone'],
  ['Участник 1013', 'a name with a few digits'],
];

describe('detectPii', () => {
  it.each(found)('finds personal data in %j', (text, kinds) => {
    expect(detectPii(text).map((m) => m.kind)).toEqual(kinds);
  });

  it.each(clean)('leaves %j alone (%s)', (text) => {
    expect(detectPii(text)).toEqual([]);
  });

  it('redacts every match with a placeholder and keeps the rest of the text', () => {
    const { text, matches } = redactPii('Пиши: ivan@mail.ru или +7 916 123-45-67, карта 4276 3800 1234 5679.');
    expect(text).toBe('Пиши: [email] или [phone], карта [card].');
    expect(matches.map((m) => m.kind)).toEqual(['email', 'phone', 'card']);
  });

  it('keeps the words around a passport written as series and number', () => {
    expect(redactPii('серия 45 10 номер 123456, выдан ОВД').text).toBe('серия [passport], выдан ОВД');
    expect(redactPii('Amex: 3782 822463 10005.').text).toBe('Amex: [card].');
  });

  it('finds exactly the addresses a search of the whole text finds, trying only at each @', () => {
    const everywhere = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
    // Addresses next to each other, inside other text, with letters outside the BMP, and ones that fail.
    const pieces = ['a', 'ж', '𝒜', '7', '.', '-', '_', '+', '@', '@', 'ru', 'com', ' ', ',', 'x.y', '😀', '\n'];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from(
        { length: 3 + Math.floor(next() * 30) },
        () => pieces[Math.floor(next() * pieces.length)],
      ).join('');
      const expected = [...text.matchAll(everywhere)].map((m) => [m.index, m.index + m[0].length]);
      const found = detectPii(text)
        .filter((m) => m.kind === 'email')
        .map((m) => [m.start, m.end]);
      expect(found, JSON.stringify(text)).toEqual(expected);
    }
    expect(detectPii('𝒜𝒜@mail.ru и ж.ж@почта.рф')).toEqual([
      { kind: 'email', start: 0, end: 12 },
      { kind: 'email', start: 15, end: 27 },
    ]);
  });

  it('returns the text unchanged when there is nothing to redact', () => {
    expect(redactPii('просто текст 123')).toEqual({ text: 'просто текст 123', matches: [] });
  });
});

describe('checksums', () => {
  it.each([
    ['4276380012345679', true],
    ['4276380012345678', false],
    ['79927398713', true],
  ])('Luhn of %s is %s', (digits, valid) => expect(luhnValid(digits)).toBe(valid));

  it.each([
    ['7707083893', true],
    ['7707083894', false],
    ['500100732259', true],
    ['500100732258', false],
    ['12345', false],
  ])('INN %s is %s', (digits, valid) => expect(innValid(digits)).toBe(valid));

  it.each([
    ['11223344595', true],
    ['11223344596', false],
    ['00100199800', false],
  ])('SNILS %s is %s', (digits, valid) => expect(snilsValid(digits)).toBe(valid));

  it.each([
    ['DE89 3704 0044 0532 0130 00', true],
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765431', false],
    ['XX00', false],
  ])('IBAN %s is %s', (iban, valid) => expect(ibanValid(iban)).toBe(valid));
});
