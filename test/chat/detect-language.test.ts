import { describe, expect, it } from 'vitest';
import { BotAddress } from '../../src/chat/index.js';
import { analyseMessage } from '../../src/chat/message-analysis.js';
import { BOT_USERNAME, vocabulary } from './support/chat-fixture.js';

const languageOf = (text: string) => analyseMessage(text, vocabulary).language;

describe('Ukrainian and Russian are told apart on short messages', () => {
  it.each([
    'привіт',
    'Як справи?',
    'що робиш',
    'це правда',
    'де ти',
    'дякую',
    'добре, чекаю',
    'вже йду',
    'можна питання?',
    'Льохо, яка погода завтра?',
    'їжа',
    'ґанок',
    'Є хтось?',
    'а ви коли прийдете',
    'вона теж не знає',
  ])('%j is Ukrainian', (text) => expect(languageOf(text)).toBe('uk'));

  it.each([
    'привет',
    'Как дела?',
    'что делаешь',
    'это правда',
    'где ты',
    'спасибо',
    'хорошо, жду',
    'уже иду',
    'можно вопрос?',
    'Лёха, какая погода завтра?',
    'объявление',
    'Есть кто?',
    'а вы когда придёте',
    'она тоже не знает',
    'будь здоров',
    'та девушка',
  ])('%j is Russian', (text) => expect(languageOf(text)).toBe('ru'));

  it('follows the stronger marks when a message mixes the two', () => {
    expect(languageOf('привіт, що нового, как дела')).toBe('uk');
    expect(languageOf('что нового, как дела, привіт')).toBe('ru');
  });

  it('reads Cyrillic with no marks either way as Russian, as before', () => {
    expect(languageOf('завтра погода')).toBe('ru');
  });

  it('recognises the bot called by its Ukrainian name in any case', () => {
    const bot = new BotAddress({ userId: 1, username: BOT_USERNAME });
    for (const text of ['Льохо, привіт', 'Льоха, що там', 'спитай у Льохи'])
      expect(bot.calledByName(analyseMessage(text, vocabulary).scan.words), text).toBe(true);
  });
});
