import {
  addPoints,
  type GameLanguage,
  type GamesData,
  normalize,
  type QuizGame,
  type RandomInt,
  remember,
  shuffled,
} from './games-data.js';
import { QUIZ_BANK, quizQuestion, type QuizQuestion, type QuizTopic } from './quiz-bank.js';

/**
 * A quiz round as pure changes of the games data: each takes what is stored
 * and returns what to store with what happened, so the plugin runs it inside
 * `ChatData.update` and the chat's turn order decides who was first.
 */

/**
 * How long after a question opens answers are still taken for the one
 * before: nobody reads a question and answers it within a second and a half,
 * so an answer that quick is a late one to the question just closed (two
 * members answering together) and must not score on the next.
 */
export const ANSWER_GRACE_MS = 1500;
/** Questions in a row closing with nobody trying end the round. */
const QUIET_ROUND_END = 2;
/** Members whose wrong answers to one question are remembered (one try each). */
const MAX_TRIED = 200;

/** A question as shown: its number in the round, the options in the order shown. */
export interface QuestionView {
  number: number;
  total: number;
  topic: QuizTopic;
  question: string;
  options: string[];
  seconds: number;
}

/** The right answer as shown with the question. */
export interface ShownAnswer {
  number: number;
  text: string;
}

/** The round's points when it ends, most first. */
export type RoundResults = Array<{ name: string; points: number }>;

export type QuizOutcome =
  | { kind: 'started'; language: GameLanguage; view: QuestionView }
  | { kind: 'busy'; game: GamesData['game'] }
  | {
      kind: 'right';
      language: GameLanguage;
      name: string;
      answer: ShownAnswer;
      next: QuestionView | null;
      results: RoundResults | null;
    }
  | { kind: 'wrong'; language: GameLanguage; name: string }
  | {
      kind: 'expired';
      language: GameLanguage;
      answer: ShownAnswer | null;
      next: QuestionView | null;
      results: RoundResults | null;
      /** Nobody tried the last questions: the round ended early. */
      abandoned: boolean;
    }
  | { kind: 'stopped'; language: GameLanguage; answer: ShownAnswer | null; results: RoundResults }
  | { kind: 'ignored' };

export interface QuizResult {
  data: GamesData;
  outcome: QuizOutcome;
}

export interface QuizStart {
  language: GameLanguage;
  roundSize: number;
  questionMs: number;
  nowMs: number;
  /** The message that asked for the round. */
  afterMessageId: number;
  random: RandomInt;
}

/** A member's message during a round. */
export interface QuizMove {
  fromId: number;
  name: string;
  text: string;
  messageId: number;
  nowMs: number;
}

/** Starts a round of questions not played lately (when the bank has enough), unless a game runs. */
export function startQuiz(data: GamesData, start: QuizStart): QuizResult {
  if (data.game !== null) return { data, outcome: { kind: 'busy', game: data.game } };
  const bank = QUIZ_BANK[start.language];
  const fresh = shuffled(
    bank.filter((question) => !data.recent.includes(question.id)),
    start.random,
  );
  const stale = shuffled(
    bank.filter((question) => data.recent.includes(question.id)),
    start.random,
  );
  const questions = [...fresh, ...stale].slice(0, start.roundSize).map((question) => question.id);
  const game = openQuestion(
    {
      kind: 'quiz',
      language: start.language,
      questions,
      index: 0,
      order: [],
      openedAtMs: 0,
      deadlineMs: 0,
      questionMs: start.questionMs,
      afterMessageId: start.afterMessageId,
      tried: [],
      quiet: 0,
      scores: {},
    },
    0,
    start.nowMs,
    start.random,
  );
  return {
    data: { ...data, game, recent: remember(data.recent, questions) },
    outcome: { kind: 'started', language: start.language, view: questionView(game)! },
  };
}

/** The open question of a round as shown, or null when the bank no longer has it. */
export function questionView(game: QuizGame): QuestionView | null {
  const question = openQuestionOf(game);
  if (question === undefined) return null;
  return {
    number: game.index + 1,
    total: game.questions.length,
    topic: question.topic,
    question: question.question,
    options: game.order.map((i) => question.options[i]!),
    seconds: Math.round(game.questionMs / 1000),
  };
}

/**
 * Which shown option a message names, by its number or its text (any case,
 * `ё` as `е`, punctuation aside), or null when it names none: then it is
 * not an answer at all.
 */
export function readQuizAnswer(game: QuizGame, text: string): number | null {
  const question = openQuestionOf(game);
  if (question === undefined) return null;
  const said = normalize(text);
  if (/^\d{1,2}$/.test(said)) {
    const n = Number(said);
    return n >= 1 && n <= game.order.length ? n - 1 : null;
  }
  if (said === '') return null;
  const shown = game.order.findIndex((i) => normalize(question.options[i]!) === said);
  return shown === -1 ? null : shown;
}

/**
 * A member's answer: the first right one scores a point and opens the next
 * question (or ends the round); a wrong one uses up the member's try. An
 * answer too early for this question (see {@link ANSWER_GRACE_MS}), a second
 * try and anything that names no option are ignored. Past the deadline the
 * question closes instead, whatever the message says.
 */
export function answerQuiz(data: GamesData, move: QuizMove, random: RandomInt): QuizResult {
  const game = data.game;
  if (game?.kind !== 'quiz') return { data, outcome: { kind: 'ignored' } };
  if (move.nowMs >= game.deadlineMs) return expireQuiz(data, move.nowMs, random);
  const choice = readQuizAnswer(game, move.text);
  const early = move.messageId <= game.afterMessageId || move.nowMs - game.openedAtMs < ANSWER_GRACE_MS;
  if (choice === null || early || game.tried.includes(move.fromId)) return { data, outcome: { kind: 'ignored' } };
  const question = openQuestionOf(game)!;
  if (question.options[game.order[choice]!] !== question.answer) {
    const tried = game.tried.length < MAX_TRIED ? [...game.tried, move.fromId] : game.tried;
    return {
      data: { ...data, game: { ...game, tried } },
      outcome: { kind: 'wrong', language: game.language, name: move.name },
    };
  }
  const key = String(move.fromId);
  const scored: QuizGame = {
    ...game,
    quiet: 0,
    afterMessageId: move.messageId,
    scores: { ...game.scores, [key]: { name: move.name, points: (game.scores[key]?.points ?? 0) + 1 } },
  };
  const board = addPoints(data.board, move.fromId, move.name, 1);
  const next = nextQuestion(scored, move.nowMs, random);
  return {
    data: { ...data, board, game: next.game },
    outcome: {
      kind: 'right',
      language: game.language,
      name: move.name,
      answer: shownAnswer(game)!,
      next: next.view,
      results: next.results,
    },
  };
}

/** Closes the open question if its time is up (showing the answer) and opens the next; otherwise changes nothing. */
export function expireQuiz(data: GamesData, nowMs: number, random: RandomInt): QuizResult {
  const game = data.game;
  if (game?.kind !== 'quiz' || nowMs < game.deadlineMs) return { data, outcome: { kind: 'ignored' } };
  const quiet = game.tried.length === 0 ? game.quiet + 1 : 0;
  const abandoned = quiet >= QUIET_ROUND_END;
  const next = abandoned
    ? { game: null, view: null, results: results(game) }
    : nextQuestion({ ...game, quiet }, nowMs, random);
  return {
    data: { ...data, game: next.game },
    outcome: {
      kind: 'expired',
      language: game.language,
      answer: shownAnswer(game),
      next: next.view,
      results: next.results,
      abandoned,
    },
  };
}

/** Ends the round now, showing the open question's answer and the round's points. */
export function stopQuiz(data: GamesData): QuizResult {
  const game = data.game;
  if (game?.kind !== 'quiz') return { data, outcome: { kind: 'ignored' } };
  return {
    data: { ...data, game: null },
    outcome: { kind: 'stopped', language: game.language, answer: shownAnswer(game), results: results(game) },
  };
}

function openQuestionOf(game: QuizGame): QuizQuestion | undefined {
  const id = game.questions[game.index];
  return id === undefined ? undefined : quizQuestion(id);
}

function shownAnswer(game: QuizGame): ShownAnswer | null {
  const question = openQuestionOf(game);
  if (question === undefined) return null;
  const shown = game.order.findIndex((i) => question.options[i] === question.answer);
  return { number: shown + 1, text: question.answer };
}

function openQuestion(game: QuizGame, index: number, nowMs: number, random: RandomInt): QuizGame {
  const question = quizQuestion(game.questions[index]!)!;
  return {
    ...game,
    index,
    order: shuffled(
      question.options.map((_, i) => i),
      random,
    ),
    openedAtMs: nowMs,
    deadlineMs: nowMs + game.questionMs,
    tried: [],
  };
}

/** The next question of the round still in the bank, or the round's end. */
function nextQuestion(
  game: QuizGame,
  nowMs: number,
  random: RandomInt,
): { game: QuizGame | null; view: QuestionView | null; results: RoundResults | null } {
  let index = game.index + 1;
  while (index < game.questions.length && quizQuestion(game.questions[index]!) === undefined) index++;
  if (index >= game.questions.length) return { game: null, view: null, results: results(game) };
  const opened = openQuestion(game, index, nowMs, random);
  return { game: opened, view: questionView(opened), results: null };
}

function results(game: QuizGame): RoundResults {
  return Object.values(game.scores).sort((a, b) => b.points - a.points || a.name.localeCompare(b.name));
}
