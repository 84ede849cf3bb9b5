import type { Language } from '../../../chat/index.js';
import { say, type Spoken } from '../integration-kit.js';
import type { GameLanguage, Leaderboard } from './games-data.js';
import { leaders } from './games-data.js';
import type { GuessOutcome, GuessView } from './guess-game.js';
import { MAX_DICE, MAX_SIDES } from './dice-roll.js';
import type { QuizTopic } from './quiz-bank.js';
import type { QuestionView, QuizOutcome, RoundResults, ShownAnswer } from './quiz-round.js';

/**
 * What the games say: plain text, short, an emoji where it helps. The games
 * themselves (questions, words, moves) are played in Russian or English;
 * what is said around them (usage, the leaderboard, dice and coin) also in
 * Ukrainian.
 */

/** Places the leaderboard shows. */
export const BOARD_SHOWN = 10;

const RU_PLURAL = new Intl.PluralRules('ru');

/** `5 вопросов`, `2 очка`: a number with the Russian form that goes with it. */
function countRu(n: number, one: string, few: string, many: string): string {
  const form = RU_PLURAL.select(n);
  return `${n} ${form === 'one' ? one : form === 'few' ? few : many}`;
}

function countEn(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const TOPICS: Record<GameLanguage, Record<QuizTopic, string>> = {
  ru: {
    geography: 'География',
    science: 'Наука',
    nature: 'Природа',
    space: 'Космос',
    history: 'История',
    books: 'Литература',
    art: 'Искусство',
    music: 'Музыка',
    sport: 'Спорт',
    food: 'Еда',
    language: 'Язык',
    maths: 'Математика',
    tech: 'Техника',
    film: 'Кино',
  },
  en: {
    geography: 'Geography',
    science: 'Science',
    nature: 'Nature',
    space: 'Space',
    history: 'History',
    books: 'Books',
    art: 'Art',
    music: 'Music',
    sport: 'Sport',
    food: 'Food',
    language: 'Language',
    maths: 'Maths',
    tech: 'Tech',
    film: 'Film',
  },
};

export function questionText(language: GameLanguage, view: QuestionView): string {
  const ru = language === 'ru';
  const head = `❓ ${ru ? 'Вопрос' : 'Question'} ${view.number}/${view.total} · ${TOPICS[language][view.topic]}`;
  const options = view.options.map((option, i) => `${i + 1}) ${option}`).join('\n');
  const time = ru ? `⏱ ${view.seconds} с` : `⏱ ${view.seconds} s`;
  return `${head}\n${view.question}\n${options}\n${time}`;
}

function answerText(answer: ShownAnswer): string {
  return `${answer.number}) ${answer.text}`;
}

function resultsText(language: GameLanguage, results: RoundResults): string {
  const ru = language === 'ru';
  const lines =
    results.length === 0
      ? [ru ? 'Никто не набрал очков.' : 'Nobody scored.']
      : results.map((r) => `${r.name} — ${r.points}`);
  return [
    ru ? '🏁 Викторина окончена!' : '🏁 The quiz is over!',
    ...lines,
    ru ? 'Общий зачёт: /quiz top' : 'All-time: /quiz top',
  ].join('\n');
}

/** What follows a closed question: the next one, or the round's results. */
function then(language: GameLanguage, next: QuestionView | null, results: RoundResults | null): string {
  if (next !== null) return `\n\n${questionText(language, next)}`;
  return results === null ? '' : `\n\n${resultsText(language, results)}`;
}

/** What the chat is told of a quiz outcome ('' for none). */
export function quizText(outcome: QuizOutcome): string {
  switch (outcome.kind) {
    case 'started': {
      const ru = outcome.language === 'ru';
      const intro = ru
        ? `🧠 Викторина: ${countRu(outcome.view.total, 'вопрос', 'вопроса', 'вопросов')}. Отвечайте номером или словом, одна попытка на вопрос; кто первый ответит верно — получает очко.`
        : `🧠 Quiz time: ${countEn(outcome.view.total, 'question', 'questions')}. Answer with the number or the word, one try per question; the first right answer scores a point.`;
      return `${intro}\n\n${questionText(outcome.language, outcome.view)}`;
    }
    case 'right': {
      const ru = outcome.language === 'ru';
      const line = ru
        ? `✅ ${outcome.name} — верно! ${answerText(outcome.answer)}.`
        : `✅ ${outcome.name} got it! ${answerText(outcome.answer)}.`;
      return line + then(outcome.language, outcome.next, outcome.results);
    }
    case 'wrong':
      return outcome.language === 'ru' ? `❌ ${outcome.name}, нет.` : `❌ ${outcome.name}, no.`;
    case 'expired': {
      const ru = outcome.language === 'ru';
      const answer =
        outcome.answer === null
          ? ''
          : ru
            ? ` Правильный ответ: ${answerText(outcome.answer)}.`
            : ` The answer was ${answerText(outcome.answer)}.`;
      const line = `${ru ? '⏰ Время вышло!' : '⏰ Time’s up!'}${answer}`;
      const quiet = outcome.abandoned
        ? ru
          ? '\nПохоже, никто не играет — заканчиваю.'
          : '\nLooks like nobody is playing, so I’m stopping here.'
        : '';
      return line + quiet + then(outcome.language, outcome.next, outcome.results);
    }
    case 'stopped': {
      const ru = outcome.language === 'ru';
      const answer =
        outcome.answer === null
          ? ''
          : ru
            ? ` Ответ на последний вопрос: ${answerText(outcome.answer)}.`
            : ` The last answer was ${answerText(outcome.answer)}.`;
      return `${ru ? '🛑 Викторина остановлена.' : '🛑 Quiz stopped.'}${answer}\n\n${resultsText(outcome.language, outcome.results)}`;
    }
    case 'busy':
    case 'ignored':
      return '';
  }
}

function statusText(language: GameLanguage, view: GuessView): string {
  const ru = language === 'ru';
  const missed = view.missed === '' ? '' : ` (${[...view.missed].join(', ')})`;
  return [
    view.mask,
    `${ru ? 'Подсказка' : 'Hint'}: ${view.hint}`,
    `${ru ? 'Ошибок' : 'Misses'}: ${view.misses}/${view.maxMisses}${missed}`,
  ].join('\n');
}

/** What the chat is told of a word game outcome ('' for none). */
export function guessText(outcome: GuessOutcome): string {
  if (outcome.kind === 'busy' || outcome.kind === 'ignored') return '';
  const ru = outcome.language === 'ru';
  switch (outcome.kind) {
    case 'started': {
      const intro = ru
        ? `🔤 Угадай слово: ${countRu(outcome.view.length, 'буква', 'буквы', 'букв')}. Называйте букву или слово целиком.`
        : `🔤 Guess the word: ${countEn(outcome.view.length, 'letter', 'letters')}. Say a letter or the whole word.`;
      return `${intro}\n${statusText(outcome.language, outcome.view)}`;
    }
    case 'hit':
      return `${ru ? `✅ Есть «${outcome.letter}»!` : `✅ Yes, “${outcome.letter}”!`}\n${statusText(outcome.language, outcome.view)}`;
    case 'miss': {
      const line =
        outcome.guess.length === 1
          ? ru
            ? `❌ Буквы «${outcome.guess}» нет.`
            : `❌ No “${outcome.guess}”.`
          : ru
            ? `❌ Не «${outcome.guess}».`
            : `❌ Not “${outcome.guess}”.`;
      return `${line}\n${statusText(outcome.language, outcome.view)}`;
    }
    case 'repeat':
      return ru ? `«${outcome.letter}» уже называли.` : `“${outcome.letter}” was named already.`;
    case 'solved': {
      const word = outcome.word.toUpperCase();
      return ru
        ? `🎉 ${outcome.name} отгадывает: ${word}! +${countRu(outcome.points, 'очко', 'очка', 'очков')}. Зачёт: /quiz top`
        : `🎉 ${outcome.name} solved it: ${word}! +${countEn(outcome.points, 'point', 'points')}. Leaderboard: /quiz top`;
    }
    case 'lost': {
      const word = outcome.word.toUpperCase();
      const guess = outcome.guess.length === 1 ? '' : ru ? `Не «${outcome.guess}». ` : `Not “${outcome.guess}”. `;
      return ru
        ? `💀 ${guess}Ошибок больше нельзя — игра проиграна. Слово было: ${word}.`
        : `💀 ${guess}That was the last miss, game over. The word was ${word}.`;
    }
    case 'expired': {
      const word = outcome.word.toUpperCase();
      return ru
        ? `⌛ В слово давно никто не играет — закрываю. Было загадано: ${word}.`
        : `⌛ Nobody has played for a while, so I’m closing the game. The word was ${word}.`;
    }
    case 'stopped': {
      const word = outcome.word.toUpperCase();
      return ru ? `🏳️ Сдаётесь? Было загадано: ${word}.` : `🏳️ Giving up? The word was ${word}.`;
    }
  }
}

/** The word game in progress, for `/guess` asked again. */
export function guessStatusText(language: GameLanguage, view: GuessView): string {
  const head = language === 'ru' ? '🔤 Слово уже загадано:' : '🔤 A word is in play already:';
  return `${head}\n${statusText(language, view)}`;
}

/** The round in progress, for `/quiz` asked again. */
export function quizStatusText(language: GameLanguage, view: QuestionView): string {
  const head =
    language === 'ru' ? 'Викторина уже идёт. Сейчас вопрос:' : 'A quiz is running already. The question now:';
  return `${head}\n\n${questionText(language, view)}`;
}

/** The chat's all-time leaderboard. */
export function boardText(language: Language, board: Leaderboard): string {
  const top = leaders(board, BOARD_SHOWN);
  if (top.length === 0)
    return say(language, {
      ru: 'Очков пока ни у кого нет. Сыграем? /quiz или /guess',
      uk: 'Очок поки ні в кого немає. Зіграємо? /quiz або /guess',
      en: 'Nobody has any points yet. Fancy a game? /quiz or /guess',
    });
  const head = say(language, { ru: '🏆 Зачёт чата:', uk: '🏆 Залік чату:', en: '🏆 Chat leaderboard:' });
  return [head, ...top.map((entry, i) => `${i + 1}. ${entry.name} — ${entry.points}`)].join('\n');
}

/** The texts that are not outcomes of a move. */
export const SAY = {
  quizUsage: {
    ru: '/quiz — начать викторину, /quiz stop — закончить, /quiz top — зачёт чата',
    uk: '/quiz — почати вікторину, /quiz stop — закінчити, /quiz top — залік чату',
    en: '/quiz starts a quiz, /quiz stop ends it, /quiz top shows the leaderboard',
  },
  guessUsage: {
    ru: '/guess — загадать слово, /guess stop — сдаться, /guess top — зачёт чата',
    uk: '/guess — загадати слово, /guess stop — здатися, /guess top — залік чату',
    en: '/guess hides a word, /guess stop gives up, /guess top shows the leaderboard',
  },
  noQuiz: {
    ru: 'Викторина сейчас не идёт. Начать: /quiz',
    uk: 'Вікторина зараз не триває. Почати: /quiz',
    en: 'No quiz is running. Start one: /quiz',
  },
  noGuess: {
    ru: 'Слово сейчас не загадано. Начать: /guess',
    uk: 'Слово зараз не загадане. Почати: /guess',
    en: 'No word is in play. Start one: /guess',
  },
  quizWhileGuess: {
    ru: 'Сейчас идёт «Угадай слово», а игра у нас одна за раз. Сдаться: /guess stop',
    uk: 'Зараз триває «Вгадай слово», а гра в нас одна за раз. Здатися: /guess stop',
    en: 'A word game is on, and it’s one game at a time. Give up with /guess stop',
  },
  guessWhileQuiz: {
    ru: 'Сейчас идёт викторина, а игра у нас одна за раз. Закончить её: /quiz stop',
    uk: 'Зараз триває вікторина, а гра в нас одна за раз. Закінчити її: /quiz stop',
    en: 'A quiz is on, and it’s one game at a time. End it with /quiz stop',
  },
  diceUsage: {
    ru: 'Пиши так: /dice, /dice 3, /dice d20 или /dice 2d6',
    uk: 'Пиши так: /dice, /dice 3, /dice d20 або /dice 2d6',
    en: 'Try /dice, /dice 3, /dice d20 or /dice 2d6',
  },
  diceRange: {
    ru: `Можно от 1 до ${MAX_DICE} кубиков, от 2 до ${MAX_SIDES} граней.`,
    uk: `Можна від 1 до ${MAX_DICE} кубиків, від 2 до ${MAX_SIDES} граней.`,
    en: `1 to ${MAX_DICE} dice of 2 to ${MAX_SIDES} sides.`,
  },
  heads: { ru: '🪙 Орёл!', uk: '🪙 Герб!', en: '🪙 Heads!' },
  tails: { ru: '🪙 Решка!', uk: '🪙 Цифра!', en: '🪙 Tails!' },
} satisfies Record<string, Spoken>;
