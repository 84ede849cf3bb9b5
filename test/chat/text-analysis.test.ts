import { describe, expect, it } from 'vitest';
import { BotAddress, parseCommand } from '../../src/chat/index.js';
import { analyseMessage } from '../../src/chat/message-analysis.js';
import { BOT_USERNAME, vocabulary } from './support/chat-fixture.js';

const bot = new BotAddress({ userId: 1, username: BOT_USERNAME });
const calls = (text: string, address = bot): boolean =>
  address.calledByName(analyseMessage(text, vocabulary).scan.words);

describe('the bot is recognised by its names in any case and declension', () => {
  it.each([
    'Лёха, привет!',
    'леха ты где',
    'Лёх, глянь',
    'спроси у Лёхи',
    'передай Лёхе привет',
    'давай Лёху позовём',
    'с Лёхой не соскучишься',
    'ЛЕХА!!!',
    'Lekha, what do you think?',
    'hey lekha',
  ])('in %j', (text) => expect(calls(text)).toBe(true));

  it.each(['Алексей сказал', 'лехаим!', 'лёгкий вопрос', 'привет всем'])('but not in %j', (text) =>
    expect(calls(text)).toBe(false),
  );

  it('treats an extra name like "бот" by stem, so "работа" does not count', () => {
    const withBot = new BotAddress({ userId: 1, username: BOT_USERNAME, names: ['бот'] });
    expect(calls('бот, скажи что-нибудь', withBot)).toBe(true);
    expect(calls('спроси у бота', withBot)).toBe(true);
    expect(calls('с ботом скучно', withBot)).toBe(true);
    expect(calls('работа не волк', withBot)).toBe(false);
    expect(calls('ботаник пришёл', withBot)).toBe(false);
  });

  it('recognises an @mention of its username in any case, but not a longer username', () => {
    expect(bot.mentioned('@Lekha_Bot ты тут?', true)).toBe(true);
    expect(bot.mentioned('спроси @lekha_bot', true)).toBe(true);
    expect(bot.mentioned('это @lekha_bot2, не тот', true)).toBe(false);
    expect(bot.mentioned('@lekha_bot', false)).toBe(false);
  });
});

describe('tone of real chat lines', () => {
  const tone = (text: string) => analyseMessage(text, vocabulary).tone;

  it.each([
    ['Спасибо, очень помог!', 1],
    ['ахаха, классно получилось 😂', 1],
    ['thanks, that was awesome', 1],
    ['Согласен, отличная идея', 1],
    ['ужас, опять всё сломалось', -1],
    ['this is terrible, I hate it', -1],
    ['не согласен, это бред', -1],
    ['не плохо, кстати', 1],
    ['в 8 встречаемся у метро', 0],
    ['what time is the meeting?', 0],
  ])('%j has sentiment sign %d', (text, sign) => expect(Math.sign(tone(text).sentiment)).toBe(sign));

  it.each(['ты идиот', 'сам дурак', 'you are such a loser', 'заткнись, клоун'])('%j is an insult', (text) => {
    const t = tone(text);
    expect(t.insult).toBe(true);
    expect(t.toxicity).toBeGreaterThan(0);
  });

  it.each(['да пошёл ты нахуй', 'блять, опять', 'what the fuck', 'заебал уже'])('%j is profane', (text) =>
    expect(tone(text).profane).toBe(true),
  );

  it.each([
    'возьми себе',
    'страхуй машину',
    'купи мандарины',
    'хлебать суп',
    'небо голубое',
    'корабля не видно',
    'рубля не хватает',
  ])('%j is not profane', (text) => {
    const t = tone(text);
    expect(t.profane).toBe(false);
    expect(t.toxicity).toBe(0);
  });

  it('sees agreement, disagreement and formality', () => {
    expect(tone('да, точно').agree).toBe(true);
    expect(tone('нет, ты неправ').disagree).toBe(true);
    expect(tone('Здравствуйте, подскажите пожалуйста').formal).toBe(true);
    expect(tone('привет, чё как').informal).toBe(true);
  });
});

describe('words, stems and language', () => {
  it('folds declensions onto one stem: бот, бота, ботом', () => {
    const stems = analyseMessage('бот бота ботом боту боты работа', vocabulary).infos.map((i) => i.stem);
    expect(new Set(stems.slice(0, 5)).size).toBe(1);
    expect(stems[5]).not.toBe(stems[0]);
  });

  it('keeps ё-words, hyphenated words and latin words whole', () => {
    expect(analyseMessage('Ёжик кто-то e-mail', vocabulary).scan.words).toEqual(['ежик', 'кто-то', 'e-mail']);
  });

  it.each([
    ['привет, как дела?', 'ru'],
    ['привіт, як справи? Що нового', 'uk'],
    ['hello there, how are you', 'en'],
    ['Лёха, what do you think about this?', 'en'],
    ['😂😂😂', 'other'],
    ['12:30', 'other'],
  ])('%j is in %s', (text, language) => expect(analyseMessage(text, vocabulary).language).toBe(language));
});

describe('parseCommand', () => {
  it.each([
    ['/start', { name: 'start', args: '' }],
    ['/help@lekha_bot', { name: 'help', args: '' }],
    ['/Stats me', { name: 'stats', args: 'me' }],
    ['/mode@Lekha_Bot   ACTIVE  ', { name: 'mode', args: 'ACTIVE' }],
    ['/remind 10m\nвыключить плиту', { name: 'remind', args: '10m\nвыключить плиту' }],
    ['/weather', { name: 'weather', args: '' }],
  ])('parses %j', (text, command) => expect(parseCommand(text, BOT_USERNAME)).toEqual(command));

  it('ignores commands for other bots and text that is not a command', () => {
    expect(parseCommand('/start@other_bot', BOT_USERNAME)).toBeNull();
    expect(parseCommand('привет /start', BOT_USERNAME)).toBeNull();
    expect(parseCommand('/ это не команда', BOT_USERNAME)).toBeNull();
    expect(parseCommand(`/${'x'.repeat(33)}`, BOT_USERNAME)).toBeNull();
  });
});
