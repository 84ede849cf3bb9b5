import { describe, expect, it } from 'vitest';
import { BannedWordMatcher } from '../../src/chat/banned-words.js';

const matcher = new BannedWordMatcher(['дурак*', 'хуй*', 'лох', 'чмо', 'scam', 'fuck*']);

describe('BannedWordMatcher', () => {
  it.each([
    ['ты дурак', 'дурак*'],
    ['Вы все ДУРАКИ', 'дурак*'],
    ['с дураком не спорю', 'дурак*'],
    ['ну ты дууурак', 'дурак*'],
    ['д.у.р.а.к', 'дурак*'],
    ['д-у-р-а-к', 'дурак*'],
    ['д у р а к какой-то', 'дурак*'],
    ['дурaк (латинская a)', 'дурак*'],
    ['ДУР@К', 'дурак*'],
    ['ну ты и 4мо', 'чмо'],
    ['иди на xyй', 'хуй*'],
    ['сам л0х', 'лох'],
    ['this is a sсam (Cyrillic с)', 'scam'],
    ['what the f.u.c.k', 'fuck*'],
    ['FUUUCK this', 'fuck*'],
  ])('catches %j', (text, entry) => {
    expect(matcher.match(text)).toBe(entry);
  });

  it.each([
    ['страхуй машину', 'a banned root inside a word'],
    ['лохматый кот', 'an exact-only entry as a prefix'],
    ['scampi for dinner', 'an English exact-only entry as a prefix'],
    ['дура', 'a shorter word'],
    ['работа не волк', 'nothing banned'],
  ])('leaves %j alone (%s)', (text) => {
    expect(matcher.match(text)).toBeNull();
  });

  it('matches nothing when the list is empty', () => {
    const empty = new BannedWordMatcher([]);
    expect(empty.empty).toBe(true);
    expect(empty.match('дурак')).toBeNull();
  });
});
