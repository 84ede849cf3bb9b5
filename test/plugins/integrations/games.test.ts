import { describe, expect, it } from 'vitest';
import { type ChatState, parseChatState } from '../../../src/actors/index.js';
import { pluginOutbox } from '../../../src/plugin-wiring.js';
import {
  BUILTIN_PLUGINS,
  INTEGRATION_PLUGINS,
  type PluginHost,
  type PluginOutbox,
} from '../../../src/plugins/index.js';
import { createGamesPlugin, gamesPlugin } from '../../../src/plugins/integrations/games/index.js';
import type { GamesData } from '../../../src/plugins/integrations/games/games-data.js';
import { QUIZ_BANK } from '../../../src/plugins/integrations/games/quiz-bank.js';
import type { ChatDirectory } from '../../../src/ports/index.js';
import { chooseToolCall } from '../../../src/sandbox/emulator-tool-calls.js';
import type { ManualClock } from '../../../src/runtime/index.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { waitFor } from '../../support/edge-harness.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -900;
const masha = { id: 5, firstName: 'Маша' };
const petya = { id: 6, firstName: 'Петя' };
const vasya = { id: 7, firstName: 'Вася' };
const john = { id: 8, firstName: 'John' };
/** More than the grace after a question opens, so an answer counts for it. */
const THINK_MS = 2000;

/** Whole numbers from a fixed seed (mulberry32): the same game every run. */
function seeded(seed: number) {
  let a = seed;
  return (maxExclusive: number): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * maxExclusive);
  };
}

async function setUp(settings: Record<string, unknown> = {}, state?: () => ChatState | undefined) {
  // The plugin reads the harness's clock, which exists once the harness does.
  const time: { clock?: ManualClock } = {};
  const games = createGamesPlugin({ random: seeded(42), now: () => time.clock!.now() });
  const { host } = await hostOf([...BUILTIN_PLUGINS, games], { config: { games: { settings } } });
  const h = chatActorHarness({ plugins: host, admins: [masha.id], ...(state === undefined ? {} : { state }) });
  time.clock = h.clock;
  const texts = () => h.egress.sent.map((s) => s.text);
  /** Sends a message and waits until the bot has sent `total` texts in all. */
  const send = async (text: string, from: { id: number; firstName: string }, total: number) => {
    h.say(G, text, { from });
    await waitFor(
      `${total} texts after ${JSON.stringify(text)}`,
      async () => (await h.clock.advance(0), texts().length >= total),
    );
    expect(texts()).toHaveLength(total);
    return texts()[total - 1]!;
  };
  /** Calls of the games plugin that finished (commands, listeners). */
  const finished = () => host.get('games').invoker.metrics.latency.count;
  let barrier = 1000;
  /**
   * Waits until `calls` games calls have finished, then until a command sent
   * after them is answered: whatever they said would have been sent by then.
   */
  const settle = async (calls: number) => {
    await waitFor(`${calls} finished games calls`, async () => (await h.clock.advance(0), finished() >= calls));
    const before = texts().length;
    h.say(G, '/coin', { from: { id: barrier++, firstName: 'Барьер' } });
    await waitFor('the barrier', async () => (await h.clock.advance(0), texts().length > before));
    return h.egress.sent.pop()!.text;
  };
  const data = async () => (await h.state(G)).chat.pluginData?.['games'] as GamesData | undefined;
  /** The word game running now. */
  const secret = async () => {
    const game = (await data())?.game;
    if (game?.kind !== 'guess') throw new Error('no word game runs');
    return game;
  };
  return { h, host, texts, send, settle, data, secret };
}

/** The open question in a text the bot sent, and the numbers of its right option and of a wrong one. */
function options(text: string, language: 'ru' | 'en' = 'ru') {
  const block = text.slice(text.lastIndexOf('❓')).split('\n');
  const question = QUIZ_BANK[language].find((q) => q.question === block[1])!;
  expect(question, `a question of the bank in ${text}`).toBeDefined();
  const shown = block
    .slice(2)
    .filter((line) => /^\d\) /.test(line))
    .map((line) => line.slice(3));
  const right = shown.indexOf(question.answer) + 1;
  return { right: String(right), wrong: String((right % shown.length) + 1), answer: question.answer, shown };
}

function jobOutbox(h: ReturnType<typeof chatActorHarness>, host: PluginHost) {
  const directory = {
    listChats: async () => ({ items: [{ id: G }], nextCursor: null }),
  } as unknown as ChatDirectory;
  return pluginOutbox(h.supervisor, directory, host);
}

describe('the games plugin', () => {
  it('is one of the integrations every Lekha loads, with its deadline job', async () => {
    expect(INTEGRATION_PLUGINS).toContain(gamesPlugin);
    const { host } = await hostOf([...BUILTIN_PLUGINS, gamesPlugin]);
    expect(host.info('games')).toMatchObject({
      kind: 'integration',
      listens: ['message'],
      jobs: [{ name: 'deadlines', schedule: 'every 15s' }],
    });
    expect(host.info('games').commands.map((c) => [c.name, c.tool])).toEqual([
      ['dice', true],
      ['coin', true],
      ['quiz', true],
      ['guess', true],
    ]);
  });

  it('plays a quiz round: a wrong answer is told, of two right answers at once only the first scores, and the round ends with its points', async () => {
    const { h, send, settle, texts, data } = await setUp({ roundSize: 2 });
    const start = await send('/quiz', masha, 1);
    expect(start).toMatch(/^🧠 Викторина: 2 вопроса\./);
    expect(start).toContain('❓ Вопрос 1/2 · ');
    expect(start).toContain('⏱ 60 с');
    const first = options(start);
    await h.clock.advance(THINK_MS);

    expect(await send(first.wrong, petya, 2)).toBe('❌ Петя, нет.');
    // Маша and Вася answer right together; Петя tries again.
    h.say(G, first.right, { from: masha });
    h.say(G, first.answer.toUpperCase(), { from: vasya });
    h.say(G, first.right, { from: petya });
    // /quiz, then four answers.
    expect(await settle(5)).toMatch(/^🪙/);
    expect(texts()).toHaveLength(3);
    expect(texts()[2]).toMatch(new RegExp(`^✅ Маша — верно! ${first.right}\\) `));
    expect(texts()[2]).toContain('❓ Вопрос 2/2 · ');

    await h.clock.advance(THINK_MS);
    const second = options(texts()[2]!);
    const end = await send(second.answer.toLowerCase().replaceAll('е', 'ё'), petya, 4);
    expect(end).toMatch(/^✅ Петя — верно!/);
    expect(end).toContain('🏁 Викторина окончена!\nМаша — 1\nПетя — 1\nОбщий зачёт: /quiz top');
    expect((await data())!.game).toBeNull();
    expect((await data())!.board).toEqual({ '5': { name: 'Маша', points: 1 }, '6': { name: 'Петя', points: 1 } });
    expect(await send('/quiz top', vasya, 5)).toBe('🏆 Зачёт чата:\n1. Маша — 1\n2. Петя — 1');
  });

  it('closes an unanswered question through its deadline job, then ends a round nobody plays', async () => {
    const { h, host, send, texts } = await setUp({ roundSize: 3, questionSeconds: 30 });
    const start = await send('/quiz', masha, 1);
    const outbox = jobOutbox(h, host);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    await h.clock.advance(29_000);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    expect(texts()).toHaveLength(1);

    await h.clock.advance(1000);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    await waitFor('the timeout', async () => (await h.clock.advance(0), texts().length === 2));
    const { right, answer } = options(start);
    expect(texts()[1]).toMatch(
      new RegExp(`^⏰ Время вышло! Правильный ответ: ${right}\\) ${answer}\\.\n\n❓ Вопрос 2/3`),
    );
    expect(h.egress.sent[1]!.replyTo).toBeUndefined();

    await h.clock.advance(30_000);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    await waitFor('the end', async () => (await h.clock.advance(0), texts().length === 3));
    expect(texts()[2]).toMatch(
      /^⏰ Время вышло! .*\nПохоже, никто не играет — заканчиваю\.\n\n🏁 Викторина окончена!\nНикто не набрал очков\./,
    );
    await h.clock.advance(30_000);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    expect(await send('/quiz top', petya, 4)).toBe('Очков пока ни у кого нет. Сыграем? /quiz или /guess');
  });

  it('visits only the chats with a game running, never every chat the bot knows', async () => {
    const { h, host, send } = await setUp({ roundSize: 1 });
    const outbox = jobOutbox(h, host);
    const visited: number[] = [];
    const watched: PluginOutbox = {
      ...outbox,
      chatsWith: () => Promise.reject(new Error('the deadline job must not list every chat')),
      view: (chatId) => {
        visited.push(chatId);
        return outbox.view(chatId);
      },
    };
    await host.runJob('games', 'deadlines', h.clock.now(), watched, live);
    expect(visited).toEqual([]);
    await send('/quiz', masha, 1);
    await host.runJob('games', 'deadlines', h.clock.now(), watched, live);
    expect(visited).toEqual([G]);
    await send('/quiz stop', masha, 2);
    // The first run after the game finds none and forgets the chat; the next visits nothing.
    await host.runJob('games', 'deadlines', h.clock.now(), watched, live);
    await host.runJob('games', 'deadlines', h.clock.now(), watched, live);
    expect(visited).toEqual([G, G]);
  });

  it('takes the settings a chat’s admin chose for it', async () => {
    const { send } = await setUp();
    expect(await send('/plugin set games roundSize 2', masha, 1)).toContain('roundSize');
    expect(await send('/plugin set games maxMisses 4', masha, 2)).toContain('maxMisses');
    expect(await send('/quiz', petya, 3)).toMatch(/^🧠 Викторина: 2 вопроса\./);
    await send('/quiz stop', petya, 4);
    expect(await send('/guess', vasya, 5)).toMatch(/Ошибок: 0\/4$/);
  });

  it('gives up a word game nobody played for its idle time, through the deadline job', async () => {
    const { h, host, send, texts, secret } = await setUp({ guessIdleMinutes: 10 });
    await send('/guess', masha, 1);
    const { word } = await secret();
    const outbox = jobOutbox(h, host);
    await h.clock.advance(9 * 60_000);
    await send(word[0]!, petya, 2);
    await h.clock.advance(9 * 60_000);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    expect(texts()).toHaveLength(2);
    await h.clock.advance(60_000);
    await host.runJob('games', 'deadlines', h.clock.now(), outbox, live);
    await waitFor('the give-up', async () => (await h.clock.advance(0), texts().length === 3));
    expect(texts()[2]).toBe(`⌛ В слово давно никто не играет — закрываю. Было загадано: ${word.toUpperCase()}.`);
  });

  it('closes an overdue question at the next message when the job has not yet', async () => {
    const { h, send } = await setUp({ questionSeconds: 30 });
    const start = await send('/quiz', masha, 1);
    await h.clock.advance(31_000);
    const closed = await send('кстати, кто идёт в кино?', petya, 2);
    expect(closed).toMatch(new RegExp(`^⏰ Время вышло! Правильный ответ: ${options(start).right}\\)`));
    expect(closed).toContain('❓ Вопрос 2/5');
  });

  it('keeps the leaderboard and the running round across a restart from the snapshot', async () => {
    const first = await setUp({ roundSize: 2 });
    const start = await first.send('/quiz', masha, 1);
    await first.h.clock.advance(THINK_MS);
    const next = await first.send(options(start).right, masha, 2);
    // Through the snapshot schema, as storage would read it back; a fresh harness numbers updates and messages from the start again.
    const stored = parseChatState({ ...JSON.parse(JSON.stringify(await first.h.state(G))), lastUpdateId: -1 });
    stored.chat.lastMessageId = 0;
    (stored.chat.pluginData!['games'] as { game: { afterMessageId: number } }).game.afterMessageId = 0;

    const second = await setUp({ roundSize: 2 }, () => stored);
    // The fresh harness's clock starts where the first one did.
    await second.h.clock.advance(first.h.clock.now() - second.h.clock.now() + THINK_MS);
    const end = await second.send(options(next).right, petya, 1);
    expect(end).toMatch(/^✅ Петя — верно!/);
    expect(end).toContain('🏁 Викторина окончена!\nМаша — 1\nПетя — 1');
    expect(await second.send('/quiz top', vasya, 2)).toBe('🏆 Зачёт чата:\n1. Маша — 1\n2. Петя — 1');
  });

  it('solves /guess letter by letter, telling hits, misses and repeats, and scores the solver', async () => {
    const { send, data, secret } = await setUp();
    const start = await send('/guess', masha, 1);
    const word = (await secret()).word;
    expect(start).toBe(
      `🔤 Угадай слово: ${word.length} букв. Называйте букву или слово целиком.\n${'_ '.repeat(word.length).trim()}\n` +
        `Подсказка: ${(await secret()).hint}\nОшибок: 0/8`,
    );
    const absent = [...'абвгдежзийклмнопрстуфхцчшщъыьэюя'].find((l) => !word.includes(l))!;
    expect(await send(absent.toUpperCase(), petya, 2)).toMatch(
      new RegExp(`^❌ Буквы «${absent}» нет\\.\n.*\n.*\nОшибок: 1/8 \\(${absent}\\)$`),
    );
    const letters = [...new Set(word)];
    let total = 2;
    for (const [i, letter] of letters.entries()) {
      const said = await send(letter, i % 2 === 0 ? masha : vasya, ++total);
      if (i < letters.length - 1) expect(said).toMatch(new RegExp(`^✅ Есть «${letter}»!\n`));
      else
        expect(said).toBe(
          `🎉 ${i % 2 === 0 ? 'Маша' : 'Вася'} отгадывает: ${word.toUpperCase()}! +1 очко. Зачёт: /quiz top`,
        );
    }
    expect((await data())!.game).toBeNull();
  });

  it('says a letter was named already', async () => {
    const { send, secret } = await setUp();
    await send('/guess', masha, 1);
    const letter = (await secret()).word[0]!;
    await send(letter, petya, 2);
    expect(await send(letter, vasya, 3)).toBe(`«${letter}» уже называли.`);
  });

  it('plays /guess in English: a wrong word is a miss, the right word solves it for up to three points', async () => {
    const { h, send, settle, secret } = await setUp();
    h.say(G, 'Hello everyone, how are you doing today?', { from: john });
    await settle(1);
    const start = await send('/guess', john, 1);
    const { word, hint } = await secret();
    expect(start).toBe(
      `🔤 Guess the word: ${word.length} letters. Say a letter or the whole word.\n${'_ '.repeat(word.length).trim()}\n` +
        `Hint: ${hint}\nMisses: 0/8`,
    );
    const other = [...'abcdefghijklmnopqrstuvwxyz'].map((l) => l.repeat(word.length)).find((w) => w !== word)!;
    expect(await send(other, petya, 2)).toMatch(new RegExp(`^❌ Not “${other}”\\.\n`));
    expect(await send(word.toUpperCase(), john, 3)).toBe(
      `🎉 John solved it: ${word.toUpperCase()}! +3 points. Leaderboard: /quiz top`,
    );
    expect(await send('/guess top', john, 4)).toBe('🏆 Chat leaderboard:\n1. John — 3');
  });

  it('loses /guess at the last miss allowed, showing the word', async () => {
    const { send, data, secret } = await setUp({ maxMisses: 3 });
    await send('/guess', masha, 1);
    const word = (await secret()).word;
    const absent = [...'абвгдежзийклмнопрстуфхцчшщъыьэюя'].filter((l) => !word.includes(l));
    expect(await send(absent[0]!, petya, 2)).toContain('Ошибок: 1/3');
    expect(await send(absent[1]!, vasya, 3)).toContain('Ошибок: 2/3');
    expect(await send(absent[2]!, masha, 4)).toBe(
      `💀 Ошибок больше нельзя — игра проиграна. Слово было: ${word.toUpperCase()}.`,
    );
    expect((await data())!.game).toBeNull();
    expect((await data())!.board).toEqual({});
  });

  it('stops either game, and runs one game at a time', async () => {
    const { send, data, secret } = await setUp();
    expect(await send('/quiz stop', masha, 1)).toBe('Викторина сейчас не идёт. Начать: /quiz');
    expect(await send('/guess stop', petya, 2)).toBe('Слово сейчас не загадано. Начать: /guess');
    const start = await send('/quiz', vasya, 3);
    expect(await send('/guess', masha, 4)).toBe(
      'Сейчас идёт викторина, а игра у нас одна за раз. Закончить её: /quiz stop',
    );
    const again = await send('/quiz', petya, 5);
    expect(again).toMatch(/^Викторина уже идёт\. Сейчас вопрос:\n\n❓ Вопрос 1\/5/);
    expect(again.slice(again.indexOf('❓'))).toBe(start.slice(start.indexOf('❓')));
    const { right, answer } = options(start);
    expect(await send('/quiz стоп', vasya, 6)).toBe(
      `🛑 Викторина остановлена. Ответ на последний вопрос: ${right}) ${answer}.\n\n` +
        '🏁 Викторина окончена!\nНикто не набрал очков.\nОбщий зачёт: /quiz top',
    );
    await send('/guess', john, 7);
    const word = (await secret()).word;
    expect(await send('/guess', masha, 8)).toMatch(/^🔤 Слово уже загадано:\n_ /);
    expect(await send('/quiz', petya, 9)).toBe(
      'Сейчас идёт «Угадай слово», а игра у нас одна за раз. Сдаться: /guess stop',
    );
    expect(await send('/guess stop', john, 10)).toBe(`🏳️ Сдаётесь? Было загадано: ${word.toUpperCase()}.`);
    expect(await send('/quiz what', vasya, 11)).toBe(
      '/quiz — начать викторину, /quiz stop — закончить, /quiz top — зачёт чата',
    );
    expect((await data())!.game).toBeNull();
  });

  it('answers no ordinary message, and writes nothing, when no game runs or the message is no answer', async () => {
    const { h, settle, texts, data } = await setUp();
    const revision = async () => (await h.state(G)).chat.revision;
    const quietStart = await revision();
    for (const [i, text] of ['привет всем', '2', 'а', 'ну и погода сегодня'].entries())
      h.say(G, text, { from: [masha, petya, vasya, john][i]! });
    await settle(4);
    const quietChange = (await revision()) - quietStart;
    expect(texts()).toEqual([]);
    expect(await data()).toBeUndefined();

    h.say(G, '/quiz', { from: masha });
    await waitFor('the question', async () => (await h.clock.advance(0), texts().length === 1));
    await h.clock.advance(THINK_MS);
    const before = structuredClone(await data());
    const gameStart = await revision();
    for (const [i, text] of ['кто идёт в кино?', '7', 'ну я думаю что второй', '/start@other_bot'].entries())
      h.say(G, text, { from: [petya, vasya, john, masha][i]! });
    // The four before, /quiz and the barrier, then four more.
    await settle(10);
    expect(texts()).toHaveLength(1);
    expect(await data()).toEqual(before);
    // The messages moved the chat on as much as the four without a game: the plugin stored nothing.
    expect((await revision()) - gameStart).toBe(quietChange);
  });

  it('lets the model roll, flip, start and stop a quiz and read the leaderboard', async () => {
    const games = createGamesPlugin({ random: seeded(7), now: () => 1_700_000_000_000 });
    const { host } = await hostOf([...BUILTIN_PLUGINS, games]);
    expect(host.toolsIn({}).map((t) => t.name)).toEqual(expect.arrayContaining(['dice', 'coin', 'quiz', 'guess']));
    const access = chatAccess(G);
    const caller = { chatId: G, userId: 5, language: 'ru', messageId: 1 };
    const run = (name: string, args: object) =>
      host.runTool(caller, { id: 'c1', name, arguments: JSON.stringify(args) }, {}, access, live);
    expect(await run('dice', { count: 2, sides: 20 })).toMatch(/^🎲 2d20: (\d+) \+ (\d+) = \d+$/);
    expect(await run('dice', {})).toMatch(/^🎲 [1-6]$/);
    expect(await run('dice', { count: 11 })).toMatch(/^error: bad arguments: count/);
    expect(await run('coin', {})).toMatch(/^🪙 (Орёл|Решка)!$/);
    expect(await run('quiz', { action: 'top' })).toBe('Очков пока ни у кого нет. Сыграем? /quiz или /guess');
    const started = await run('quiz', {});
    expect(started).toMatch(
      /^The game has started\. Post this to the chat exactly as it is:\n\n🧠 Викторина: 5 вопросов\./,
    );
    expect(started).toContain('❓ Вопрос 1/5');
    expect(await run('guess', { action: 'start' })).toBe(
      'Сейчас идёт викторина, а игра у нас одна за раз. Закончить её: /quiz stop',
    );
    expect(await run('quiz', { action: 'stop' })).toMatch(/^🛑 Викторина остановлена\./);
    expect(await run('guess', {})).toMatch(/^The game has started\.[^]*🔤 Угадай слово: \d букв/);
    expect(await run('quiz', { action: 'later' })).toMatch(/^error: bad arguments: action/);
  });

  it('is what the sandbox’s model emulator calls when asked in Russian', async () => {
    const { host } = await hostOf([...BUILTIN_PLUGINS, gamesPlugin]);
    const tools = host
      .toolsIn({})
      .filter((t) => ['dice', 'coin', 'quiz', 'guess'].includes(t.name))
      .map((t) => ({
        type: 'function' as const,
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
    const called = (text: string) => chooseToolCall(text, tools, 'auto', 'prompt')?.function ?? null;
    expect(called('Лёха, брось кубик')).toEqual({ name: 'dice', arguments: '{}' });
    expect(called('Лёха, подбрось монетку')).toEqual({ name: 'coin', arguments: '{}' });
    expect(called('Лёха, давай викторину!')).toEqual({ name: 'quiz', arguments: '{}' });
    expect(called('Лёха, давай угадаем слово')).toEqual({ name: 'guess', arguments: '{}' });
    expect(called('Лёха, как дела в чате?')).toBeNull();
  });

  it('answers the commands in English, Russian and Ukrainian, with a chat’s own settings', async () => {
    const games = createGamesPlugin({ random: seeded(3), now: () => 1_700_000_000_000 });
    const { host } = await hostOf([...BUILTIN_PLUGINS, games]);
    const access = chatAccess(G);
    const say = async (command: string, args: string, language: 'ru' | 'en' | 'uk', choices = {}) =>
      (await host.runCommand(G, callOf('games', command, args, language), choices, access, live)).texts.join('\n');
    expect(await say('dice', '3d6', 'en')).toMatch(/^🎲 3d6: [1-6] \+ [1-6] \+ [1-6] = \d+$/);
    expect(await say('dice', 'lots', 'en')).toBe('Try /dice, /dice 3, /dice d20 or /dice 2d6');
    expect(await say('dice', '11', 'ru')).toBe('Можно от 1 до 10 кубиков, от 2 до 1000 граней.');
    expect(await say('coin', '', 'en')).toMatch(/^🪙 (Heads|Tails)!$/);
    expect(await say('quiz', 'top', 'en')).toBe('Nobody has any points yet. Fancy a game? /quiz or /guess');
    const start = await say('quiz', '', 'en', { games: { settings: { roundSize: 3, questionSeconds: 20 } } });
    expect(start).toMatch(/^🧠 Quiz time: 3 questions\./);
    expect(start).toContain('❓ Question 1/3 · ');
    expect(start).toContain('⏱ 20 s');
    options(start, 'en');
    // A round speaks the language it started in, whoever stops it.
    expect(await say('quiz', 'stop', 'uk')).toMatch(
      /^🛑 Quiz stopped\. The last answer was \d\) .+\.\n\n🏁 The quiz is over!\nNobody scored\./,
    );
    const ukrainian = await say('quiz', '', 'uk');
    expect(ukrainian).toMatch(/^🧠 Вікторина: 5 питань\. Відповідайте номером або словом/);
    expect(ukrainian).toContain('❓ Питання 1/5 · ');
    const question = ukrainian.split('\n').find((line) => line.startsWith('❓'))!;
    expect(question.split(' · ')[1]).toMatch(
      /^(Географія|Наука|Природа|Космос|Історія|Література|Мистецтво|Музика|Спорт|Їжа|Мова|Математика|Техніка|Кіно)$/,
    );
    expect(await say('quiz', 'stop', 'en')).toMatch(/^🛑 Вікторину зупинено\. Відповідь на останнє питання: \d\) /);
    expect(await say('quiz', '', 'ru')).toMatch(/^🧠 Викторина: 5 вопросов/);
    expect(await say('quiz', 'stop', 'ru')).toMatch(/^🛑 Викторина остановлена\. Ответ на последний вопрос: \d\) /);
    const word = await say('guess', '', 'uk');
    expect(word).toMatch(
      /^🔤 Вгадай слово: \d+ (літера|літери|літер)\. Називайте літеру або слово цілком\.\n[_ ]+\nПідказка: .+\nПомилок: 0\/\d+$/,
    );
  });
});
