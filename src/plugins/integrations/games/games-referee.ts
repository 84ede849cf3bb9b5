import type { Game, GamesData, RandomInt } from './games-data.js';
import { expireGuess, playGuess, readGuess } from './guess-game.js';
import { guessText, quizText } from './games-text.js';
import { answerQuiz, expireQuiz, readQuizAnswer } from './quiz-round.js';

/**
 * The referee of whichever game runs in a chat: decides what a member's
 * message does to it, and closes what ran out of time. Pure, for
 * `ChatData.update`; each returns the data to store and the text to say
 * ('' for nothing).
 */

/** A member's plain message while a game may be running. */
export interface MemberMessage {
  fromId: number;
  name: string;
  text: string;
  messageId: number;
  nowMs: number;
}

export interface Refereed {
  data: GamesData;
  text: string;
}

/**
 * Whether a message may change the game: it answers it (an option, a
 * letter, a word of the right length), or comes after its deadline (the
 * game is closed then). Anything else — chat about something else — is left
 * alone without a write.
 */
export function concernsGame(game: Game, text: string, nowMs: number): boolean {
  if (text.startsWith('/')) return false;
  if (nowMs >= game.deadlineMs) return true;
  return game.kind === 'quiz' ? readQuizAnswer(game, text) !== null : readGuess(game, text) !== null;
}

/** A member's message: the game's move it makes, if any (decided on what is stored now). */
export function refereeMessage(data: GamesData, message: MemberMessage, random: RandomInt): Refereed {
  if (data.game === null || message.text.startsWith('/')) return { data, text: '' };
  if (data.game.kind === 'quiz') {
    const { data: next, outcome } = answerQuiz(data, message, random);
    return { data: next, text: quizText(outcome) };
  }
  const { data: next, outcome } = playGuess(data, message);
  return { data: next, text: guessText(outcome) };
}

/** Closes the game if it ran out of time (a quiz question unanswered, a word nobody plays); otherwise nothing. */
export function refereeDeadline(data: GamesData, nowMs: number, random: RandomInt): Refereed {
  if (data.game === null || nowMs < data.game.deadlineMs) return { data, text: '' };
  if (data.game.kind === 'quiz') {
    const { data: next, outcome } = expireQuiz(data, nowMs, random);
    return { data: next, text: quizText(outcome) };
  }
  const { data: next, outcome } = expireGuess(data, nowMs);
  return { data: next, text: guessText(outcome) };
}
