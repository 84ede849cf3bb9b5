import type { Language } from '../../../chat/index.js';
import { say, type Spoken } from '../integration-kit.js';
import type { GameLanguage, Leaderboard } from './games-data.js';
import { leaders } from './games-data.js';
import type { GuessOutcome, GuessView } from './guess-game.js';
import { MAX_DICE, MAX_SIDES } from './dice-roll.js';
import type { QuizTopic } from './quiz-bank.js';
import type { QuestionView, QuizOutcome, RoundResults, ShownAnswer } from './quiz-round.js';

/** What the games say, in Russian, Ukrainian or English: plain text, short, an emoji where it helps. */

/** Places the leaderboard shows. */
export const BOARD_SHOWN = 10;

const RU_PLURAL = new Intl.PluralRules('ru');
const UK_PLURAL = new Intl.PluralRules('uk');

/** `5 вопросов`, `2 очка`: a number with the Russian form that goes with it. */
function countRu(n: number, one: string, few: string, many: string): string {
  const form = RU_PLURAL.select(n);
  return `${n} ${form === 'one' ? one : form === 'few' ? few : many}`;
}

/** `5 питань`, `2 очки`: the same for Ukrainian. */
function countUk(n: number, one: string, few: string, many: string): string {
  const form = UK_PLURAL.select(n);
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
  uk: {
    geography: 'Географія',
    science: 'Наука',
    nature: 'Природа',
    space: 'Космос',
    history: 'Історія',
    books: 'Література',
    art: 'Мистецтво',
    music: 'Музика',
    sport: 'Спорт',
    food: 'Їжа',
    language: 'Мова',
    maths: 'Математика',
    tech: 'Техніка',
    film: 'Кіно',
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
  const word = say(language, { ru: 'Вопрос', uk: 'Питання', en: 'Question' });
  const head = `❓ ${word} ${view.number}/${view.total} · ${TOPICS[language][view.topic]}`;
  const options = view.options.map((option, i) => `${i + 1}) ${option}`).join('\n');
  const time = `⏱ ${view.seconds} ${language === 'en' ? 's' : 'с'}`;
  return `${head}\n${view.question}\n${options}\n${time}`;
}

function answerText(answer: ShownAnswer): string {
  return `${answer.number}) ${answer.text}`;
}

function resultsText(language: GameLanguage, results: RoundResults): string {
  const lines =
    results.length === 0
      ? [say(language, { ru: 'Никто не набрал очков.', uk: 'Ніхто не набрав очок.', en: 'Nobody scored.' })]
      : results.map((r) => `${r.name} — ${r.points}`);
  return [
    say(language, { ru: '🏁 Викторина окончена!', uk: '🏁 Вікторину закінчено!', en: '🏁 The quiz is over!' }),
    ...lines,
    say(language, { ru: 'Общий зачёт: /quiz top', uk: 'Загальний залік: /quiz top', en: 'All-time: /quiz top' }),
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
      const total = outcome.view.total;
      const intro = say(outcome.language, {
        ru: `🧠 Викторина: ${countRu(total, 'вопрос', 'вопроса', 'вопросов')}. Отвечайте номером или словом, одна попытка на вопрос; кто первый ответит верно — получает очко.`,
        uk: `🧠 Вікторина: ${countUk(total, 'питання', 'питання', 'питань')}. Відповідайте номером або словом, одна спроба на питання; хто першим відповість правильно — отримує очко.`,
        en: `🧠 Quiz time: ${countEn(total, 'question', 'questions')}. Answer with the number or the word, one try per question; the first right answer scores a point.`,
      });
      return `${intro}\n\n${questionText(outcome.language, outcome.view)}`;
    }
    case 'right': {
      const answer = answerText(outcome.answer);
      const line = say(outcome.language, {
        ru: `✅ ${outcome.name} — верно! ${answer}.`,
        uk: `✅ ${outcome.name} — правильно! ${answer}.`,
        en: `✅ ${outcome.name} got it! ${answer}.`,
      });
      return line + then(outcome.language, outcome.next, outcome.results);
    }
    case 'wrong':
      return say(outcome.language, {
        ru: `❌ ${outcome.name}, нет.`,
        uk: `❌ ${outcome.name}, ні.`,
        en: `❌ ${outcome.name}, no.`,
      });
    case 'expired': {
      const shown = outcome.answer === null ? null : answerText(outcome.answer);
      const answer =
        shown === null
          ? ''
          : say(outcome.language, {
              ru: ` Правильный ответ: ${shown}.`,
              uk: ` Правильна відповідь: ${shown}.`,
              en: ` The answer was ${shown}.`,
            });
      const line = `${say(outcome.language, { ru: '⏰ Время вышло!', uk: '⏰ Час вийшов!', en: '⏰ Time’s up!' })}${answer}`;
      const quiet = outcome.abandoned
        ? say(outcome.language, {
            ru: '\nПохоже, никто не играет — заканчиваю.',
            uk: '\nСхоже, ніхто не грає — закінчую.',
            en: '\nLooks like nobody is playing, so I’m stopping here.',
          })
        : '';
      return line + quiet + then(outcome.language, outcome.next, outcome.results);
    }
    case 'stopped': {
      const shown = outcome.answer === null ? null : answerText(outcome.answer);
      const answer =
        shown === null
          ? ''
          : say(outcome.language, {
              ru: ` Ответ на последний вопрос: ${shown}.`,
              uk: ` Відповідь на останнє питання: ${shown}.`,
              en: ` The last answer was ${shown}.`,
            });
      const head = say(outcome.language, {
        ru: '🛑 Викторина остановлена.',
        uk: '🛑 Вікторину зупинено.',
        en: '🛑 Quiz stopped.',
      });
      return `${head}${answer}\n\n${resultsText(outcome.language, outcome.results)}`;
    }
    case 'busy':
    case 'ignored':
      return '';
  }
}

function statusText(language: GameLanguage, view: GuessView): string {
  const missed = view.missed === '' ? '' : ` (${[...view.missed].join(', ')})`;
  return [
    view.mask,
    `${say(language, { ru: 'Подсказка', uk: 'Підказка', en: 'Hint' })}: ${view.hint}`,
    `${say(language, { ru: 'Ошибок', uk: 'Помилок', en: 'Misses' })}: ${view.misses}/${view.maxMisses}${missed}`,
  ].join('\n');
}

/** What the chat is told of a word game outcome ('' for none). */
export function guessText(outcome: GuessOutcome): string {
  if (outcome.kind === 'busy' || outcome.kind === 'ignored') return '';
  const language = outcome.language;
  switch (outcome.kind) {
    case 'started': {
      const length = outcome.view.length;
      const intro = say(language, {
        ru: `🔤 Угадай слово: ${countRu(length, 'буква', 'буквы', 'букв')}. Называйте букву или слово целиком.`,
        uk: `🔤 Вгадай слово: ${countUk(length, 'літера', 'літери', 'літер')}. Називайте літеру або слово цілком.`,
        en: `🔤 Guess the word: ${countEn(length, 'letter', 'letters')}. Say a letter or the whole word.`,
      });
      return `${intro}\n${statusText(language, outcome.view)}`;
    }
    case 'hit': {
      const { letter } = outcome;
      const line = say(language, { ru: `✅ Есть «${letter}»!`, uk: `✅ Є «${letter}»!`, en: `✅ Yes, “${letter}”!` });
      return `${line}\n${statusText(language, outcome.view)}`;
    }
    case 'miss': {
      const { guess } = outcome;
      const line =
        guess.length === 1
          ? say(language, {
              ru: `❌ Буквы «${guess}» нет.`,
              uk: `❌ Літери «${guess}» немає.`,
              en: `❌ No “${guess}”.`,
            })
          : say(language, { ru: `❌ Не «${guess}».`, uk: `❌ Не «${guess}».`, en: `❌ Not “${guess}”.` });
      return `${line}\n${statusText(language, outcome.view)}`;
    }
    case 'repeat': {
      const { letter } = outcome;
      return say(language, {
        ru: `«${letter}» уже называли.`,
        uk: `«${letter}» вже називали.`,
        en: `“${letter}” was named already.`,
      });
    }
    case 'solved': {
      const { name, points } = outcome;
      const word = outcome.word.toUpperCase();
      return say(language, {
        ru: `🎉 ${name} отгадывает: ${word}! +${countRu(points, 'очко', 'очка', 'очков')}. Зачёт: /quiz top`,
        uk: `🎉 ${name} відгадує: ${word}! +${countUk(points, 'очко', 'очки', 'очок')}. Залік: /quiz top`,
        en: `🎉 ${name} solved it: ${word}! +${countEn(points, 'point', 'points')}. Leaderboard: /quiz top`,
      });
    }
    case 'lost': {
      const word = outcome.word.toUpperCase();
      const { guess } = outcome;
      const wrong =
        guess.length === 1
          ? ''
          : say(language, { ru: `Не «${guess}». `, uk: `Не «${guess}». `, en: `Not “${guess}”. ` });
      return say(language, {
        ru: `💀 ${wrong}Ошибок больше нельзя — игра проиграна. Слово было: ${word}.`,
        uk: `💀 ${wrong}Помилок більше не можна — гру програно. Слово було: ${word}.`,
        en: `💀 ${wrong}That was the last miss, game over. The word was ${word}.`,
      });
    }
    case 'expired': {
      const word = outcome.word.toUpperCase();
      return say(language, {
        ru: `⌛ В слово давно никто не играет — закрываю. Было загадано: ${word}.`,
        uk: `⌛ У слово давно ніхто не грає — закриваю. Було загадано: ${word}.`,
        en: `⌛ Nobody has played for a while, so I’m closing the game. The word was ${word}.`,
      });
    }
    case 'stopped': {
      const word = outcome.word.toUpperCase();
      return say(language, {
        ru: `🏳️ Сдаётесь? Было загадано: ${word}.`,
        uk: `🏳️ Здаєтеся? Було загадано: ${word}.`,
        en: `🏳️ Giving up? The word was ${word}.`,
      });
    }
  }
}

/** The word game in progress, for `/guess` asked again. */
export function guessStatusText(language: GameLanguage, view: GuessView): string {
  const head = say(language, {
    ru: '🔤 Слово уже загадано:',
    uk: '🔤 Слово вже загадано:',
    en: '🔤 A word is in play already:',
  });
  return `${head}\n${statusText(language, view)}`;
}

/** The round in progress, for `/quiz` asked again. */
export function quizStatusText(language: GameLanguage, view: QuestionView): string {
  const head = say(language, {
    ru: 'Викторина уже идёт. Сейчас вопрос:',
    uk: 'Вікторина вже триває. Зараз питання:',
    en: 'A quiz is running already. The question now:',
  });
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
