import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { ChatView } from '../../../chat/index.js';
import { definePlugin } from '../../define-plugin.js';
import type { ChatData, CommandContext } from '../../plugin-api.js';
import { clip, say } from '../integration-kit.js';
import { diceInRange, formatDice, MAX_DICE, MAX_SIDES, parseDice, rollDice } from './dice-roll.js';
import { gameLanguage, type GamesData, gamesDataSchema, type RandomInt, runningGameSchema } from './games-data.js';
import { concernsGame, refereeDeadline, refereeMessage } from './games-referee.js';
import { boardText, guessStatusText, guessText, quizStatusText, quizText, SAY } from './games-text.js';
import { guessView, startGuess, stopGuess } from './guess-game.js';
import { questionView, startQuiz, stopQuiz } from './quiz-round.js';

const settings = z.object({
  /** Questions in a quiz round. */
  roundSize: z.number().int().min(1).max(20).default(5),
  /**
   * How long a quiz question stays open. The deadline job runs every 15 s,
   * so a question closes up to that much later, or at the next message.
   */
  questionSeconds: z.number().int().min(15).max(600).default(60),
  /** Misses that lose a word game. */
  maxMisses: z.number().int().min(1).max(20).default(8),
  /** Minutes without a guess after which a word game is given up (so stray letters stop counting). */
  guessIdleMinutes: z.number().int().min(1).max(1440).default(30),
});

type Settings = z.output<typeof settings>;

/** How often running games are checked for their deadlines. */
const DEADLINE_CHECK = '15s';

/** What the games are built with: the random source and the clock (tests give fixed ones). */
export interface GamesOptions {
  /** Whole numbers in `[0, maxExclusive)`; crypto's by default. */
  random?: RandomInt;
  now?: () => number;
}

type Action = 'start' | 'stop' | 'top';

const ACTION_WORDS: Record<Action, readonly string[]> = {
  start: ['start', 'старт', 'начать', 'go'],
  stop: ['stop', 'стоп', 'хватит', 'end', 'конец', 'сдаюсь', 'giveup'],
  top: ['top', 'топ', 'зачёт', 'зачет', 'leaderboard', 'score', 'очки'],
};

/** `/quiz stop` → `stop`; no argument starts a game; null for what is none of them. */
function actionOf(word: string | undefined): Action | null {
  if (word === undefined) return 'start';
  const said = word.toLowerCase();
  return (Object.keys(ACTION_WORDS) as Action[]).find((action) => ACTION_WORDS[action].includes(said)) ?? null;
}

/**
 * Runs `change` on the games data in the chat's turn and resolves to what it
 * decided: the decision is made on what is stored at that moment, so of two
 * answers that arrive together only the first one scores.
 */
async function decide<R extends { data: GamesData }>(
  store: ChatData<GamesData>,
  change: (data: GamesData) => R,
): Promise<R> {
  let decided: R | undefined;
  await store.update((data) => {
    decided = change(data);
    return decided.data;
  });
  return decided!;
}

function memberName(view: ChatView, id: number): string {
  return view.members().find((member) => member.id === id)?.name ?? `#${id}`;
}

/** For a game started by the model: the text goes back to it, not to the chat, so it is asked to pass it on. */
function forCaller(ctx: CommandContext<Settings>, text: string): string {
  return ctx.via === 'tool' ? `The game has started. Post this to the chat exactly as it is:\n\n${text}` : text;
}

/** A game tool's one argument (optional, so that "let's play" needs none). */
const gameToolParameters = z.object({
  action: z.enum(['start', 'stop', 'top']).optional().describe('What to do (start when left out)'),
});

/**
 * The games plugin: `/dice` and `/coin`, and two games the bot referees in
 * the chat — `/quiz` (questions with numbered options, the first right
 * answer scores) and `/guess` (a hidden word, letter by letter). One game
 * runs at a time in a chat; it, the all-time leaderboard and what was played
 * lately are the chat's plugin data, so they survive restarts with the
 * chat's snapshot.
 */
export function createGamesPlugin(options: GamesOptions = {}) {
  const random: RandomInt = options.random ?? ((maxExclusive) => randomInt(maxExclusive));
  const now = options.now ?? Date.now;
  /**
   * Chats seen with a game running in this process: the deadline job visits
   * these only, never every chat the bot knows. A game left running by an
   * earlier process is closed by the next message in its chat (which also
   * puts the chat back here).
   */
  const running = new Set<number>();

  const startQuizRound = async (ctx: CommandContext<Settings>): Promise<string> => {
    const language = gameLanguage(ctx.language);
    const { outcome } = await decide(ctx.data(gamesDataSchema), (data) =>
      startQuiz(data, {
        language,
        roundSize: ctx.settings.roundSize,
        questionMs: ctx.settings.questionSeconds * 1000,
        nowMs: now(),
        afterMessageId: ctx.messageId,
        random,
      }),
    );
    running.add(ctx.chatId);
    if (outcome.kind !== 'busy') return forCaller(ctx, quizText(outcome));
    const game = outcome.game!;
    if (game.kind === 'guess') return say(ctx.language, SAY.quizWhileGuess);
    const view = questionView(game);
    return view === null ? say(ctx.language, SAY.quizUsage) : quizStatusText(game.language, view);
  };

  const startGuessGame = async (ctx: CommandContext<Settings>): Promise<string> => {
    const language = gameLanguage(ctx.language);
    const { outcome } = await decide(ctx.data(gamesDataSchema), (data) =>
      startGuess(data, {
        language,
        maxMisses: ctx.settings.maxMisses,
        idleMs: ctx.settings.guessIdleMinutes * 60_000,
        nowMs: now(),
        random,
      }),
    );
    running.add(ctx.chatId);
    if (outcome.kind !== 'busy') return forCaller(ctx, guessText(outcome));
    const game = outcome.game!;
    return game.kind === 'quiz'
      ? say(ctx.language, SAY.guessWhileQuiz)
      : guessStatusText(game.language, guessView(game));
  };

  const leaderboard = async (ctx: CommandContext<Settings>): Promise<string> =>
    boardText(ctx.language, (await ctx.data(gamesDataSchema).get()).board);

  return definePlugin({
    name: 'games',
    version: '1.0.0',
    kind: 'integration',
    description: {
      en: 'Games: a quiz, guess the word, dice and a coin',
      ru: 'Игры: викторина, угадай слово, кубики и монетка',
      uk: 'Ігри: вікторина, вгадай слово, кубики й монетка',
    },
    settings,
    // All of them are a chat's own taste; none reaches outside the chat.
    chatSettings: ['roundSize', 'questionSeconds', 'maxMisses', 'guessIdleMinutes'],
    setup(p) {
      p.command(
        'dice',
        (ctx) => {
          const roll = parseDice(ctx.args);
          if (roll === null) return say(ctx.language, SAY.diceUsage);
          if (!diceInRange(roll)) return say(ctx.language, SAY.diceRange);
          return formatDice(roll, rollDice(roll, random));
        },
        {
          description: {
            en: 'roll dice (one d6 unless you say)',
            ru: 'бросить кубики (по умолчанию один d6)',
            uk: 'кинути кубики (типово один d6)',
          },
          args: { en: '[NdM]', ru: '[NdM]', uk: '[NdM]' },
          tool: {
            description: `Roll dice: count 1-${MAX_DICE}, sides 2-${MAX_SIDES} (one six-sided die by default).`,
            parameters: z.object({
              count: z.number().int().min(1).max(MAX_DICE).optional(),
              sides: z.number().int().min(2).max(MAX_SIDES).optional(),
            }),
            args: ({ count, sides }) => `${count ?? 1}d${sides ?? 6}`,
          },
        },
      );

      p.command('coin', (ctx) => say(ctx.language, SAY[random(2) === 0 ? 'heads' : 'tails']), {
        description: { en: 'flip a coin', ru: 'подбросить монетку', uk: 'підкинути монетку' },
        tool: {
          description: 'Flip a coin: heads or tails.',
          parameters: z.object({}),
          args: () => '',
        },
      });

      p.command(
        'quiz',
        async (ctx) => {
          switch (actionOf(ctx.argv[0])) {
            case 'start':
              return clip(await startQuizRound(ctx));
            case 'stop': {
              const { outcome } = await decide(ctx.data(gamesDataSchema), stopQuiz);
              return outcome.kind === 'ignored' ? say(ctx.language, SAY.noQuiz) : clip(quizText(outcome));
            }
            case 'top':
              return leaderboard(ctx);
            case null:
              return say(ctx.language, SAY.quizUsage);
          }
        },
        {
          description: {
            en: 'a quiz round; /quiz stop ends it, /quiz top shows the leaderboard',
            ru: 'викторина; /quiz stop — закончить, /quiz top — зачёт чата',
            uk: 'вікторина; /quiz stop — закінчити, /quiz top — залік чату',
          },
          args: '[stop|top]',
          tool: {
            description:
              'Trivia quiz. action start (default) begins a round and returns its first question, to relay verbatim; stop ends it; top gives the leaderboard.',
            parameters: gameToolParameters,
            args: ({ action }) => (action === undefined || action === 'start' ? '' : action),
          },
        },
      );

      p.command(
        'guess',
        async (ctx) => {
          switch (actionOf(ctx.argv[0])) {
            case 'start':
              return startGuessGame(ctx);
            case 'stop': {
              const { outcome } = await decide(ctx.data(gamesDataSchema), stopGuess);
              return outcome.kind === 'ignored' ? say(ctx.language, SAY.noGuess) : guessText(outcome);
            }
            case 'top':
              return leaderboard(ctx);
            case null:
              return say(ctx.language, SAY.guessUsage);
          }
        },
        {
          description: {
            en: 'guess the hidden word letter by letter; /guess stop gives up',
            ru: 'угадать слово по буквам; /guess stop — сдаться',
            uk: 'вгадати слово по літерах; /guess stop — здатися',
          },
          args: '[stop|top]',
          tool: {
            description:
              'Hangman-style word guessing. action start (default) hides a word and returns its hint and mask, to relay verbatim; stop gives up; top gives the leaderboard.',
            parameters: gameToolParameters,
            args: ({ action }) => (action === undefined || action === 'start' ? '' : action),
          },
        },
      );

      // Every plain message of a chat where the plugin is on: one read and nothing more unless a game runs.
      p.on('message', async (ctx) => {
        const { game } = await ctx.data(runningGameSchema).get();
        if (game === null) return;
        running.add(ctx.chatId);
        const nowMs = now();
        const { text, fromId, messageId } = ctx.event;
        if (!concernsGame(game, text, nowMs)) return;
        const message = { fromId, name: memberName(ctx.chat, fromId), text, messageId, nowMs };
        const { text: said } = await decide(ctx.data(gamesDataSchema), (data) => refereeMessage(data, message, random));
        return clip(said);
      });

      p.every(
        DEADLINE_CHECK,
        async (ctx) => {
          const nowMs = now();
          for (const chatId of [...running]) {
            if (ctx.signal.aborted) return;
            try {
              const chat = await ctx.chat(chatId);
              const { game } = await chat.data(runningGameSchema).get();
              if (game === null) running.delete(chatId);
              if (game === null || nowMs < game.deadlineMs) continue;
              const { text } = await decide(chat.data(gamesDataSchema), (data) => refereeDeadline(data, nowMs, random));
              if (text !== '') await ctx.post(chatId, clip(text));
            } catch (err) {
              // One chat that cannot be reached (stopping, quarantined) leaves the others to be checked; the next run tries it again.
              const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
              ctx.log.warn({ chatId, code, error: name }, 'could not close a game past its deadline');
            }
          }
        },
        { name: 'deadlines', missedRuns: 'skip' },
      );
    },
  });
}

/** The games with crypto's randomness and the system clock. */
export const gamesPlugin = createGamesPlugin();
