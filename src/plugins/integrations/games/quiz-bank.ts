import type { GameLanguage } from './games-data.js';

/** What a question is about, shown above it. */
export type QuizTopic =
  | 'geography'
  | 'science'
  | 'nature'
  | 'space'
  | 'history'
  | 'books'
  | 'art'
  | 'music'
  | 'sport'
  | 'food'
  | 'language'
  | 'maths'
  | 'tech'
  | 'film';

/**
 * A quiz question: 3–4 options, one of them `answer` (its text, as written
 * among the options). No option is a bare number, so a number a member
 * writes always means an option's place in the list.
 */
export interface QuizQuestion {
  readonly id: string;
  readonly topic: QuizTopic;
  readonly question: string;
  readonly options: readonly string[];
  readonly answer: string;
}

const q = (
  id: string,
  topic: QuizTopic,
  question: string,
  options: readonly string[],
  answer: string,
): QuizQuestion => ({ id, topic, question, options, answer });

const RU: readonly QuizQuestion[] = [
  q('ru-geo-1', 'geography', 'Столица Австралии?', ['Сидней', 'Канберра', 'Мельбурн', 'Перт'], 'Канберра'),
  q('ru-geo-2', 'geography', 'Самая длинная река Европы?', ['Дунай', 'Волга', 'Днепр', 'Рейн'], 'Волга'),
  q('ru-geo-3', 'geography', 'Самое глубокое озеро мира?', ['Байкал', 'Танганьика', 'Онежское', 'Виктория'], 'Байкал'),
  q('ru-geo-4', 'geography', 'На каком материке Египет?', ['Азия', 'Африка', 'Европа'], 'Африка'),
  q('ru-geo-5', 'geography', 'Самая высокая гора мира?', ['Эльбрус', 'Эверест', 'Килиманджаро', 'Монблан'], 'Эверест'),
  q(
    'ru-geo-6',
    'geography',
    'Какой океан самый большой?',
    ['Атлантический', 'Индийский', 'Тихий', 'Северный Ледовитый'],
    'Тихий',
  ),
  q('ru-geo-7', 'geography', 'Столица Канады?', ['Торонто', 'Оттава', 'Монреаль', 'Ванкувер'], 'Оттава'),
  q('ru-geo-8', 'geography', 'Самая большая страна по площади?', ['Канада', 'Китай', 'Россия', 'США'], 'Россия'),
  q('ru-geo-9', 'geography', 'В какой стране Эйфелева башня?', ['Франция', 'Италия', 'Бельгия'], 'Франция'),
  q('ru-geo-10', 'geography', 'Столица Японии?', ['Киото', 'Осака', 'Токио'], 'Токио'),
  q(
    'ru-geo-11',
    'geography',
    'Самое маленькое государство мира?',
    ['Монако', 'Ватикан', 'Сан-Марино', 'Мальта'],
    'Ватикан',
  ),
  q('ru-sci-1', 'science', 'Химический символ золота?', ['Ag', 'Au', 'Fe', 'Zn'], 'Au'),
  q(
    'ru-sci-2',
    'science',
    'Какой газ растения поглощают для фотосинтеза?',
    ['Кислород', 'Углекислый газ', 'Азот', 'Водород'],
    'Углекислый газ',
  ),
  q(
    'ru-sci-3',
    'science',
    'Кто открыл закон всемирного тяготения?',
    ['Ньютон', 'Галилей', 'Эйнштейн', 'Кеплер'],
    'Ньютон',
  ),
  q(
    'ru-sci-4',
    'science',
    'Кто создал периодическую таблицу химических элементов?',
    ['Ломоносов', 'Менделеев', 'Бутлеров', 'Павлов'],
    'Менделеев',
  ),
  q('ru-sci-5', 'science', 'В чём измеряют силу тока?', ['Вольт', 'Ампер', 'Ом', 'Ватт'], 'Ампер'),
  q('ru-sci-6', 'science', 'Из чего в основном состоит Солнце?', ['Гелий', 'Водород', 'Кислород', 'Железо'], 'Водород'),
  q('ru-sci-7', 'science', 'Самое твёрдое природное вещество?', ['Алмаз', 'Кварц', 'Гранит', 'Железо'], 'Алмаз'),
  q(
    'ru-nat-1',
    'nature',
    'Самое большое животное на Земле?',
    ['Африканский слон', 'Синий кит', 'Кашалот', 'Жираф'],
    'Синий кит',
  ),
  q('ru-nat-2', 'nature', 'Сколько ног у паука?', ['Шесть', 'Восемь', 'Десять'], 'Восемь'),
  q('ru-nat-3', 'nature', 'Какая птица не умеет летать?', ['Страус', 'Аист', 'Ласточка', 'Сокол'], 'Страус'),
  q(
    'ru-nat-4',
    'nature',
    'Как называют детёныша лошади?',
    ['Телёнок', 'Жеребёнок', 'Ягнёнок', 'Козлёнок'],
    'Жеребёнок',
  ),
  q('ru-nat-5', 'nature', 'Лист какого дерева на флаге Канады?', ['Дуб', 'Клён', 'Берёза', 'Липа'], 'Клён'),
  q('ru-nat-6', 'nature', 'Кто из них млекопитающее?', ['Акула', 'Дельфин', 'Тунец', 'Осьминог'], 'Дельфин'),
  q('ru-nat-7', 'nature', 'Что делают пчёлы?', ['Мёд', 'Шёлк', 'Молоко'], 'Мёд'),
  q('ru-spc-1', 'space', 'Какая планета ближе всех к Солнцу?', ['Венера', 'Меркурий', 'Марс', 'Земля'], 'Меркурий'),
  q(
    'ru-spc-2',
    'space',
    'Кто первым полетел в космос?',
    ['Юрий Гагарин', 'Герман Титов', 'Алексей Леонов', 'Нил Армстронг'],
    'Юрий Гагарин',
  ),
  q('ru-spc-3', 'space', 'Самая большая планета Солнечной системы?', ['Сатурн', 'Юпитер', 'Нептун', 'Уран'], 'Юпитер'),
  q('ru-spc-4', 'space', 'Какую планету называют Красной?', ['Марс', 'Венера', 'Меркурий', 'Юпитер'], 'Марс'),
  q(
    'ru-his-1',
    'history',
    'Кто был первым президентом США?',
    ['Авраам Линкольн', 'Джордж Вашингтон', 'Томас Джефферсон', 'Джон Адамс'],
    'Джордж Вашингтон',
  ),
  q(
    'ru-his-2',
    'history',
    'Какой город основал Пётр I?',
    ['Москва', 'Санкт-Петербург', 'Новгород', 'Казань'],
    'Санкт-Петербург',
  ),
  q('ru-his-3', 'history', 'Кто построил пирамиды в Гизе?', ['Египтяне', 'Римляне', 'Греки', 'Майя'], 'Египтяне'),
  q(
    'ru-his-4',
    'history',
    'Кто первым ступил на Луну?',
    ['Нил Армстронг', 'Базз Олдрин', 'Юрий Гагарин', 'Майкл Коллинз'],
    'Нил Армстронг',
  ),
  q(
    'ru-his-5',
    'history',
    'Какой лайнер затонул в первом рейсе, столкнувшись с айсбергом?',
    ['Титаник', 'Лузитания', 'Британник', 'Мэйфлауэр'],
    'Титаник',
  ),
  q('ru-lit-1', 'books', 'Кто написал «Войну и мир»?', ['Достоевский', 'Толстой', 'Чехов', 'Тургенев'], 'Толстой'),
  q('ru-lit-2', 'books', 'Кто автор «Евгения Онегина»?', ['Пушкин', 'Лермонтов', 'Гоголь', 'Некрасов'], 'Пушкин'),
  q(
    'ru-art-1',
    'art',
    'Кто написал «Мону Лизу»?',
    ['Микеланджело', 'Леонардо да Винчи', 'Рафаэль', 'Рембрандт'],
    'Леонардо да Винчи',
  ),
  q('ru-lit-4', 'books', 'Кто написал «Ромео и Джульетту»?', ['Шекспир', 'Мольер', 'Гёте', 'Данте'], 'Шекспир'),
  q(
    'ru-lit-5',
    'books',
    'Кто написал «Преступление и наказание»?',
    ['Толстой', 'Достоевский', 'Гончаров', 'Булгаков'],
    'Достоевский',
  ),
  q(
    'ru-mus-1',
    'music',
    'Кто написал музыку балета «Лебединое озеро»?',
    ['Чайковский', 'Римский-Корсаков', 'Прокофьев', 'Глинка'],
    'Чайковский',
  ),
  q('ru-mus-2', 'music', 'Сколько струн у классической гитары?', ['Четыре', 'Шесть', 'Семь', 'Двенадцать'], 'Шесть'),
  q(
    'ru-mus-3',
    'music',
    'Какая группа спела «Yesterday»?',
    ['The Beatles', 'The Rolling Stones', 'Queen', 'ABBA'],
    'The Beatles',
  ),
  q(
    'ru-spo-1',
    'sport',
    'Сколько игроков одной команды на поле в футболе?',
    ['Девять', 'Десять', 'Одиннадцать', 'Двенадцать'],
    'Одиннадцать',
  ),
  q('ru-spo-2', 'sport', 'В какой игре нужна шайба?', ['Хоккей', 'Футбол', 'Теннис', 'Гольф'], 'Хоккей'),
  q(
    'ru-spo-3',
    'sport',
    'Где прошли первые современные Олимпийские игры?',
    ['Париж', 'Афины', 'Лондон', 'Рим'],
    'Афины',
  ),
  q(
    'ru-spo-4',
    'sport',
    'Сколько клеток на шахматной доске?',
    ['Сорок девять', 'Шестьдесят четыре', 'Сто'],
    'Шестьдесят четыре',
  ),
  q('ru-food-1', 'food', 'Откуда родом пицца?', ['Испания', 'Италия', 'Греция', 'Франция'], 'Италия'),
  q('ru-food-2', 'food', 'Из чего делают гуакамоле?', ['Авокадо', 'Томаты', 'Баклажаны', 'Горох'], 'Авокадо'),
  q('ru-food-3', 'food', 'Какой овощ придаёт борщу цвет?', ['Свёкла', 'Морковь', 'Кабачок', 'Редис'], 'Свёкла'),
  q('ru-food-4', 'food', 'Из какого ореха делают марципан?', ['Миндаль', 'Грецкий', 'Арахис', 'Фундук'], 'Миндаль'),
  q(
    'ru-lang-1',
    'language',
    'Сколько букв в русском алфавите?',
    ['Тридцать', 'Тридцать две', 'Тридцать три'],
    'Тридцать три',
  ),
  q('ru-lang-2', 'language', 'Как по-английски «собака»?', ['Cat', 'Dog', 'Cow', 'Fox'], 'Dog'),
  q(
    'ru-math-1',
    'maths',
    'Сколько градусов в прямом угле?',
    ['Сорок пять', 'Девяносто', 'Сто восемьдесят'],
    'Девяносто',
  ),
  q(
    'ru-math-2',
    'maths',
    'Как называется многоугольник с шестью сторонами?',
    ['Пятиугольник', 'Шестиугольник', 'Восьмиугольник'],
    'Шестиугольник',
  ),
  q(
    'ru-math-3',
    'maths',
    'Как называется результат умножения?',
    ['Сумма', 'Разность', 'Произведение', 'Частное'],
    'Произведение',
  ),
  q(
    'ru-tech-1',
    'tech',
    'Кто вместе с Полом Алленом основал Microsoft?',
    ['Стив Джобс', 'Билл Гейтс', 'Илон Маск', 'Ларри Пейдж'],
    'Билл Гейтс',
  ),
  q(
    'ru-tech-2',
    'tech',
    'Какой язык программирования назван в честь комедийной группы?',
    ['Java', 'Python', 'Ruby', 'Go'],
    'Python',
  ),
  q(
    'ru-film-1',
    'film',
    'Как зовут юного волшебника со шрамом-молнией?',
    ['Гарри Поттер', 'Фродо', 'Питер Пэн', 'Рон Уизли'],
    'Гарри Поттер',
  ),
  q(
    'ru-film-2',
    'film',
    'Как зовут деревянного мальчика с золотым ключиком?',
    ['Буратино', 'Чебурашка', 'Незнайка', 'Карлсон'],
    'Буратино',
  ),
];

const EN: readonly QuizQuestion[] = [
  q(
    'en-geo-1',
    'geography',
    'What is the capital of Australia?',
    ['Sydney', 'Canberra', 'Melbourne', 'Perth'],
    'Canberra',
  ),
  q('en-geo-2', 'geography', 'Which is the longest river in Africa?', ['Nile', 'Congo', 'Niger', 'Zambezi'], 'Nile'),
  q('en-geo-3', 'geography', 'Which is the largest ocean?', ['Atlantic', 'Indian', 'Pacific', 'Arctic'], 'Pacific'),
  q(
    'en-geo-4',
    'geography',
    'What is the capital of Canada?',
    ['Toronto', 'Ottawa', 'Montreal', 'Vancouver'],
    'Ottawa',
  ),
  q(
    'en-geo-5',
    'geography',
    'Which is the highest mountain on Earth?',
    ['K2', 'Mount Everest', 'Kilimanjaro', 'Mont Blanc'],
    'Mount Everest',
  ),
  q(
    'en-geo-6',
    'geography',
    'Which country has the largest area?',
    ['Canada', 'China', 'Russia', 'United States'],
    'Russia',
  ),
  q('en-geo-7', 'geography', 'In which country is the Eiffel Tower?', ['France', 'Italy', 'Belgium'], 'France'),
  q('en-geo-8', 'geography', 'What is the capital of Japan?', ['Kyoto', 'Osaka', 'Tokyo'], 'Tokyo'),
  q(
    'en-geo-9',
    'geography',
    'What is the smallest country in the world?',
    ['Monaco', 'Vatican City', 'San Marino', 'Malta'],
    'Vatican City',
  ),
  q(
    'en-geo-10',
    'geography',
    'What is the deepest lake in the world?',
    ['Baikal', 'Superior', 'Victoria', 'Tahoe'],
    'Baikal',
  ),
  q('en-sci-1', 'science', 'What is the chemical symbol for gold?', ['Ag', 'Au', 'Fe', 'Gd'], 'Au'),
  q(
    'en-sci-2',
    'science',
    'Which gas do plants take in for photosynthesis?',
    ['Oxygen', 'Carbon dioxide', 'Nitrogen', 'Hydrogen'],
    'Carbon dioxide',
  ),
  q(
    'en-sci-3',
    'science',
    'Who formulated the law of universal gravitation?',
    ['Isaac Newton', 'Galileo Galilei', 'Albert Einstein', 'Johannes Kepler'],
    'Isaac Newton',
  ),
  q('en-sci-4', 'science', 'Which unit measures electric current?', ['Volt', 'Ampere', 'Ohm', 'Watt'], 'Ampere'),
  q(
    'en-sci-5',
    'science',
    'What is the hardest natural substance?',
    ['Diamond', 'Quartz', 'Granite', 'Iron'],
    'Diamond',
  ),
  q('en-sci-6', 'science', 'What is the Sun mostly made of?', ['Helium', 'Hydrogen', 'Oxygen', 'Iron'], 'Hydrogen'),
  q(
    'en-sci-7',
    'science',
    'Who created the periodic table of the elements?',
    ['Dmitri Mendeleev', 'Marie Curie', 'John Dalton', 'Niels Bohr'],
    'Dmitri Mendeleev',
  ),
  q(
    'en-nat-1',
    'nature',
    'What is the largest animal on Earth?',
    ['African elephant', 'Blue whale', 'Sperm whale', 'Giraffe'],
    'Blue whale',
  ),
  q('en-nat-2', 'nature', 'How many legs does a spider have?', ['Six', 'Eight', 'Ten'], 'Eight'),
  q('en-nat-3', 'nature', 'Which bird cannot fly?', ['Ostrich', 'Stork', 'Swallow', 'Falcon'], 'Ostrich'),
  q('en-nat-4', 'nature', 'What is a baby horse called?', ['Calf', 'Foal', 'Lamb', 'Kid'], 'Foal'),
  q('en-nat-5', 'nature', 'Which of these is a mammal?', ['Shark', 'Dolphin', 'Tuna', 'Octopus'], 'Dolphin'),
  q('en-nat-6', 'nature', 'What do bees make?', ['Honey', 'Silk', 'Milk'], 'Honey'),
  q('en-nat-7', 'nature', 'Which tree’s leaf is on the flag of Canada?', ['Oak', 'Maple', 'Birch', 'Pine'], 'Maple'),
  q('en-spc-1', 'space', 'Which planet is closest to the Sun?', ['Venus', 'Mercury', 'Mars', 'Earth'], 'Mercury'),
  q(
    'en-spc-2',
    'space',
    'Who was the first person in space?',
    ['Yuri Gagarin', 'Alan Shepard', 'Neil Armstrong', 'John Glenn'],
    'Yuri Gagarin',
  ),
  q(
    'en-spc-3',
    'space',
    'Which is the largest planet in the Solar System?',
    ['Saturn', 'Jupiter', 'Neptune', 'Uranus'],
    'Jupiter',
  ),
  q('en-spc-4', 'space', 'Which planet is called the Red Planet?', ['Mars', 'Venus', 'Mercury', 'Jupiter'], 'Mars'),
  q(
    'en-his-1',
    'history',
    'Who was the first President of the United States?',
    ['Abraham Lincoln', 'George Washington', 'Thomas Jefferson', 'John Adams'],
    'George Washington',
  ),
  q(
    'en-his-2',
    'history',
    'Which civilisation built the pyramids of Giza?',
    ['Egyptians', 'Romans', 'Greeks', 'Maya'],
    'Egyptians',
  ),
  q(
    'en-his-3',
    'history',
    'Who was the first person to walk on the Moon?',
    ['Neil Armstrong', 'Buzz Aldrin', 'Yuri Gagarin', 'Michael Collins'],
    'Neil Armstrong',
  ),
  q(
    'en-his-4',
    'history',
    'Which liner sank on its maiden voyage after hitting an iceberg?',
    ['Titanic', 'Lusitania', 'Britannic', 'Mayflower'],
    'Titanic',
  ),
  q(
    'en-his-5',
    'history',
    'Which city did Peter the Great found?',
    ['Moscow', 'Saint Petersburg', 'Novgorod', 'Kazan'],
    'Saint Petersburg',
  ),
  q(
    'en-lit-1',
    'books',
    'Who wrote “Romeo and Juliet”?',
    ['William Shakespeare', 'Charles Dickens', 'Jane Austen', 'Mark Twain'],
    'William Shakespeare',
  ),
  q(
    'en-art-1',
    'art',
    'Who painted the Mona Lisa?',
    ['Michelangelo', 'Leonardo da Vinci', 'Raphael', 'Rembrandt'],
    'Leonardo da Vinci',
  ),
  q(
    'en-lit-3',
    'books',
    'Who wrote “War and Peace”?',
    ['Fyodor Dostoevsky', 'Leo Tolstoy', 'Anton Chekhov', 'Ivan Turgenev'],
    'Leo Tolstoy',
  ),
  q(
    'en-lit-4',
    'books',
    'Who wrote “Pride and Prejudice”?',
    ['Jane Austen', 'Emily Brontë', 'Virginia Woolf', 'Mary Shelley'],
    'Jane Austen',
  ),
  q(
    'en-lit-5',
    'books',
    'Who wrote the Sherlock Holmes stories?',
    ['Arthur Conan Doyle', 'Agatha Christie', 'Edgar Allan Poe', 'Charles Dickens'],
    'Arthur Conan Doyle',
  ),
  q(
    'en-mus-1',
    'music',
    'Who composed “Swan Lake”?',
    ['Pyotr Tchaikovsky', 'Sergei Prokofiev', 'Igor Stravinsky', 'Mikhail Glinka'],
    'Pyotr Tchaikovsky',
  ),
  q('en-mus-2', 'music', 'How many strings does a standard guitar have?', ['Four', 'Six', 'Seven', 'Twelve'], 'Six'),
  q(
    'en-mus-3',
    'music',
    'Which band sang “Yesterday”?',
    ['The Beatles', 'The Rolling Stones', 'Queen', 'ABBA'],
    'The Beatles',
  ),
  q(
    'en-spo-1',
    'sport',
    'How many players does a football team have on the pitch?',
    ['Nine', 'Ten', 'Eleven', 'Twelve'],
    'Eleven',
  ),
  q('en-spo-2', 'sport', 'In which sport is a puck used?', ['Ice hockey', 'Football', 'Tennis', 'Golf'], 'Ice hockey'),
  q(
    'en-spo-3',
    'sport',
    'Where were the first modern Olympic Games held?',
    ['Paris', 'Athens', 'London', 'Rome'],
    'Athens',
  ),
  q(
    'en-spo-4',
    'sport',
    'How many squares are there on a chessboard?',
    ['Forty-nine', 'Sixty-four', 'One hundred'],
    'Sixty-four',
  ),
  q('en-food-1', 'food', 'Which country does pizza come from?', ['Spain', 'Italy', 'Greece', 'France'], 'Italy'),
  q('en-food-2', 'food', 'What is guacamole made from?', ['Avocado', 'Tomato', 'Aubergine', 'Peas'], 'Avocado'),
  q('en-food-3', 'food', 'Which nut is marzipan made from?', ['Almond', 'Walnut', 'Peanut', 'Hazelnut'], 'Almond'),
  q(
    'en-food-4',
    'food',
    'Which vegetable gives borscht its colour?',
    ['Beetroot', 'Carrot', 'Pumpkin', 'Radish'],
    'Beetroot',
  ),
  q(
    'en-lang-1',
    'language',
    'How many letters are in the English alphabet?',
    ['Twenty-four', 'Twenty-six', 'Twenty-eight'],
    'Twenty-six',
  ),
  q('en-lang-2', 'language', 'What is “cat” in French?', ['Chien', 'Chat', 'Cheval', 'Vache'], 'Chat'),
  q(
    'en-math-1',
    'maths',
    'How many degrees are in a right angle?',
    ['Forty-five', 'Ninety', 'One hundred eighty'],
    'Ninety',
  ),
  q('en-math-2', 'maths', 'What is a polygon with six sides called?', ['Pentagon', 'Hexagon', 'Octagon'], 'Hexagon'),
  q(
    'en-math-3',
    'maths',
    'What is the result of a multiplication called?',
    ['Sum', 'Difference', 'Product', 'Quotient'],
    'Product',
  ),
  q(
    'en-tech-1',
    'tech',
    'Who co-founded Microsoft with Paul Allen?',
    ['Steve Jobs', 'Bill Gates', 'Elon Musk', 'Larry Page'],
    'Bill Gates',
  ),
  q(
    'en-tech-2',
    'tech',
    'Which programming language is named after a comedy group?',
    ['Java', 'Python', 'Ruby', 'Go'],
    'Python',
  ),
  q(
    'en-film-1',
    'film',
    'What is the name of the boy wizard with a lightning-bolt scar?',
    ['Harry Potter', 'Frodo Baggins', 'Peter Pan', 'Ron Weasley'],
    'Harry Potter',
  ),
  q(
    'en-film-2',
    'film',
    'Which film has a shark terrorising a beach town?',
    ['Jaws', 'Titanic', 'Avatar', 'Alien'],
    'Jaws',
  ),
];

/** The questions `/quiz` asks, by language. */
export const QUIZ_BANK: Readonly<Record<GameLanguage, readonly QuizQuestion[]>> = { ru: RU, en: EN };

const BY_ID = new Map([...RU, ...EN].map((question) => [question.id, question]));

/** A question by its id, or undefined for one no longer in the bank (stored by an older version). */
export function quizQuestion(id: string): QuizQuestion | undefined {
  return BY_ID.get(id);
}
