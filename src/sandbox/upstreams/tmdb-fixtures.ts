/**
 * The world of the TMDB emulator: real films, with their titles in Russian
 * and English, release dates, TMDB's genres, runtimes and votes close to
 * TMDB's (not copies), and short plots written for it. The shapes the
 * emulator builds from them follow TMDB's API reference
 * (developer.themoviedb.org/reference: "Search Movie", "Movie Details",
 * "Trending Movies", "Movie Watch Providers" and "Errors").
 */

/** A text in the two languages the emulator answers in (`language=ru-RU`, otherwise English). */
export interface TmdbText {
  en: string;
  ru: string;
}

export interface TmdbFilm {
  id: number;
  imdbId: string;
  title: TmdbText;
  originalTitle: string;
  originalLanguage: string;
  releaseDate: string;
  genreIds: number[];
  runtime: number;
  voteAverage: number;
  voteCount: number;
  popularity: number;
  tagline: TmdbText;
  overview: TmdbText;
  countries: string[];
}

/** TMDB's movie genres (`GET /genre/movie/list`), with the names it gives for en-US and ru-RU. */
export const TMDB_GENRES: Readonly<Record<number, TmdbText>> = {
  28: { en: 'Action', ru: 'боевик' },
  12: { en: 'Adventure', ru: 'приключения' },
  16: { en: 'Animation', ru: 'мультфильм' },
  35: { en: 'Comedy', ru: 'комедия' },
  80: { en: 'Crime', ru: 'криминал' },
  99: { en: 'Documentary', ru: 'документальный' },
  18: { en: 'Drama', ru: 'драма' },
  10751: { en: 'Family', ru: 'семейный' },
  14: { en: 'Fantasy', ru: 'фэнтези' },
  36: { en: 'History', ru: 'история' },
  27: { en: 'Horror', ru: 'ужасы' },
  10402: { en: 'Music', ru: 'музыка' },
  9648: { en: 'Mystery', ru: 'детектив' },
  10749: { en: 'Romance', ru: 'мелодрама' },
  878: { en: 'Science Fiction', ru: 'фантастика' },
  10770: { en: 'TV Movie', ru: 'телевизионный фильм' },
  53: { en: 'Thriller', ru: 'триллер' },
  10752: { en: 'War', ru: 'военный' },
  37: { en: 'Western', ru: 'вестерн' },
};

/** The country names `production_countries` carries. */
export const TMDB_COUNTRIES: Readonly<Record<string, string>> = {
  US: 'United States of America',
  GB: 'United Kingdom',
  FR: 'France',
  JP: 'Japan',
  KR: 'South Korea',
  SU: 'Soviet Union',
  RU: 'Russia',
  NZ: 'New Zealand',
  DE: 'Germany',
};

/** A streaming service as `watch/providers` lists it. */
export interface TmdbProvider {
  provider_id: number;
  provider_name: string;
  logo_path: string;
  display_priority: number;
}

/** The services each region's `watch/providers` answer draws from, by how a film is offered there. */
export const TMDB_PROVIDERS: Readonly<
  Record<string, { flatrate: TmdbProvider[]; rent: TmdbProvider[]; buy: TmdbProvider[] }>
> = {
  US: {
    flatrate: [
      provider(8, 'Netflix', 0),
      provider(1899, 'Max', 2),
      provider(9, 'Amazon Prime Video', 3),
      provider(15, 'Hulu', 5),
      provider(337, 'Disney Plus', 6),
      provider(531, 'Paramount Plus', 8),
    ],
    rent: [provider(2, 'Apple TV', 4), provider(10, 'Amazon Video', 9), provider(3, 'Google Play Movies', 12)],
    buy: [provider(2, 'Apple TV', 4), provider(10, 'Amazon Video', 9), provider(3, 'Google Play Movies', 12)],
  },
  GB: {
    flatrate: [provider(8, 'Netflix', 0), provider(9, 'Amazon Prime Video', 3), provider(39, 'Now TV', 7)],
    rent: [provider(2, 'Apple TV', 4), provider(130, 'Sky Store', 10)],
    buy: [provider(2, 'Apple TV', 4), provider(130, 'Sky Store', 10)],
  },
  DE: {
    flatrate: [provider(8, 'Netflix', 0), provider(9, 'Amazon Prime Video', 3), provider(30, 'WOW', 11)],
    rent: [provider(2, 'Apple TV', 4), provider(10, 'Amazon Video', 9)],
    buy: [provider(2, 'Apple TV', 4)],
  },
  RU: {
    flatrate: [provider(117, 'Kinopoisk', 1), provider(115, 'Okko', 2), provider(113, 'Ivi', 3)],
    rent: [provider(115, 'Okko', 2), provider(113, 'Ivi', 3)],
    buy: [provider(115, 'Okko', 2)],
  },
  KZ: {
    flatrate: [provider(8, 'Netflix', 0), provider(117, 'Kinopoisk', 1)],
    rent: [provider(2, 'Apple TV', 4)],
    buy: [provider(2, 'Apple TV', 4)],
  },
};

function provider(id: number, name: string, priority: number): TmdbProvider {
  return {
    provider_id: id,
    provider_name: name,
    logo_path: `/${name.toLowerCase().replace(/\W+/g, '')}.jpg`,
    display_priority: priority,
  };
}

/** `401` for a missing or refused key (TMDB's "Errors" page, status code 7). */
export const TMDB_INVALID_KEY_BODY = {
  status_code: 7,
  status_message: 'Invalid API key: You must be granted a valid key.',
  success: false,
} as const;

/** `404` for an id or a path TMDB does not have (status code 34). */
export const TMDB_NOT_FOUND_BODY = {
  status_code: 34,
  status_message: 'The resource you requested could not be found.',
  success: false,
} as const;

function film(
  id: number,
  imdbId: string,
  title: TmdbText,
  original: { title?: string; language?: string },
  releaseDate: string,
  genreIds: number[],
  runtime: number,
  votes: [average: number, count: number, popularity: number],
  overview: TmdbText,
  countries: string[],
  tagline: TmdbText = { en: '', ru: '' },
): TmdbFilm {
  return {
    id,
    imdbId,
    title,
    originalTitle: original.title ?? title.en,
    originalLanguage: original.language ?? 'en',
    releaseDate,
    genreIds,
    runtime,
    voteAverage: votes[0],
    voteCount: votes[1],
    popularity: votes[2],
    tagline,
    overview,
    countries,
  };
}

export const TMDB_FILMS: readonly TmdbFilm[] = [
  film(
    550,
    'tt0137523',
    { en: 'Fight Club', ru: 'Бойцовский клуб' },
    {},
    '1999-10-15',
    [18, 53],
    139,
    [8.4, 30112, 61.4],
    {
      en: 'A sleepless office clerk meets a reckless soap maker, and together they start an underground fight club. What begins as therapy grows into something far more dangerous.',
      ru: 'Страдающий бессонницей клерк знакомится с дерзким торговцем мылом, и вместе они основывают подпольный бойцовский клуб. То, что начиналось как терапия, перерастает в нечто куда более опасное.',
    },
    ['US', 'DE'],
    { en: 'Mischief. Mayhem. Soap.', ru: 'Интриги. Хаос. Мыло.' },
  ),
  film(
    603,
    'tt0133093',
    { en: 'The Matrix', ru: 'Матрица' },
    {},
    '1999-03-31',
    [28, 878],
    136,
    [8.2, 26540, 78.9],
    {
      en: 'A hacker learns that the world he lives in is a simulation run by machines. He joins the rebels who fight to free humanity.',
      ru: 'Хакер узнаёт, что мир вокруг него — симуляция, созданная машинами. Он присоединяется к повстанцам, которые борются за освобождение людей.',
    },
    ['US'],
    { en: 'Welcome to the Real World.', ru: 'Добро пожаловать в реальный мир.' },
  ),
  film(
    680,
    'tt0110912',
    { en: 'Pulp Fiction', ru: 'Криминальное чтиво' },
    {},
    '1994-09-10',
    [53, 80],
    154,
    [8.5, 28310, 70.2],
    {
      en: 'Two hitmen, a boxer, a gangster’s wife and a pair of diner robbers cross paths in Los Angeles. Their stories are told out of order and meet in unexpected ways.',
      ru: 'Двое бандитов, боксёр, жена гангстера и парочка грабителей закусочной пересекаются в Лос-Анджелесе. Их истории рассказаны вразнобой и сходятся самым неожиданным образом.',
    },
    ['US'],
  ),
  film(
    13,
    'tt0109830',
    { en: 'Forrest Gump', ru: 'Форрест Гамп' },
    {},
    '1994-06-23',
    [35, 18, 10749],
    142,
    [8.5, 27640, 66.1],
    {
      en: 'A kind man from Alabama drifts through decades of American history. All the while he never stops loving the girl he grew up with.',
      ru: 'Добрый парень из Алабамы невольно оказывается в центре событий американской истории. И всё это время он не перестаёт любить девушку, с которой вырос.',
    },
    ['US'],
  ),
  film(
    278,
    'tt0111161',
    { en: 'The Shawshank Redemption', ru: 'Побег из Шоушенка' },
    {},
    '1994-09-23',
    [18, 80],
    142,
    [8.7, 27120, 98.5],
    {
      en: 'A banker sentenced for a murder he did not commit spends decades in Shawshank prison. He keeps his hope alive and befriends a fellow inmate.',
      ru: 'Банкир, осуждённый за убийство, которого не совершал, проводит десятилетия в тюрьме Шоушенк. Он сохраняет надежду и находит друга среди заключённых.',
    },
    ['US'],
  ),
  film(
    238,
    'tt0068646',
    { en: 'The Godfather', ru: 'Крёстный отец' },
    {},
    '1972-03-14',
    [18, 80],
    175,
    [8.7, 20580, 93.8],
    {
      en: 'The head of a New York crime family hands his empire to his youngest son. The reluctant heir becomes the most ruthless of them all.',
      ru: 'Глава нью-йоркской мафиозной семьи передаёт дела младшему сыну. Наследник, не хотевший этой роли, становится самым безжалостным из всех.',
    },
    ['US'],
  ),
  film(
    155,
    'tt0468569',
    { en: 'The Dark Knight', ru: 'Тёмный рыцарь' },
    {},
    '2008-07-16',
    [18, 28, 80, 53],
    152,
    [8.5, 33210, 88.4],
    {
      en: 'Batman, Lieutenant Gordon and a new district attorney set out to clean up Gotham. A criminal who calls himself the Joker plunges the city into chaos.',
      ru: 'Бэтмен, лейтенант Гордон и новый окружной прокурор берутся очистить Готэм. Преступник по прозвищу Джокер погружает город в хаос.',
    },
    ['US', 'GB'],
    { en: 'Why So Serious?', ru: 'Почему такой серьёзный?' },
  ),
  film(
    597,
    'tt0120338',
    { en: 'Titanic', ru: 'Титаник' },
    {},
    '1997-11-18',
    [18, 10749],
    194,
    [7.9, 25480, 110.3],
    {
      en: 'A penniless artist and a young woman from high society fall in love aboard the Titanic. Their romance is cut short by the ship’s maiden voyage ending in disaster.',
      ru: 'Бедный художник и девушка из высшего общества влюбляются друг в друга на борту «Титаника». Их роман обрывает катастрофа в первом же рейсе лайнера.',
    },
    ['US'],
  ),
  film(
    19995,
    'tt0499549',
    { en: 'Avatar', ru: 'Аватар' },
    {},
    '2009-12-15',
    [28, 12, 14, 878],
    162,
    [7.6, 31570, 95.7],
    {
      en: 'A paralysed marine is sent to the moon Pandora inside a native body grown in a lab. He comes to side with the people he was sent to displace.',
      ru: 'Парализованного морпеха отправляют на Пандору в теле, выращенном по образцу местных жителей. Постепенно он встаёт на сторону народа, который должен был вытеснить.',
    },
    ['US', 'GB'],
    { en: 'Enter the world of Pandora.', ru: 'Это новый мир.' },
  ),
  film(
    497,
    'tt0120689',
    { en: 'The Green Mile', ru: 'Зелёная миля' },
    {},
    '1999-12-10',
    [14, 18, 80],
    189,
    [8.5, 17560, 72.6],
    {
      en: 'A death row guard in the 1930s meets a gentle giant convicted of a terrible crime. The prisoner turns out to have a miraculous gift.',
      ru: 'Надзиратель блока смертников в 1930-х знакомится с кротким великаном, осуждённым за страшное преступление. У заключённого оказывается чудесный дар.',
    },
    ['US'],
  ),
  film(
    101,
    'tt0110413',
    { en: 'Léon: The Professional', ru: 'Леон' },
    { title: 'Léon', language: 'fr' },
    '1994-09-14',
    [80, 18, 28],
    111,
    [8.3, 14590, 48.9],
    {
      en: 'A lonely hitman in New York takes in a twelve-year-old girl whose family was murdered. She asks him to teach her his trade.',
      ru: 'Одинокий наёмный убийца из Нью-Йорка приютил двенадцатилетнюю девочку, чью семью убили. Она просит научить её своему ремеслу.',
    },
    ['FR'],
  ),
  film(
    129,
    'tt0245429',
    { en: 'Spirited Away', ru: 'Унесённые призраками' },
    { title: '千と千尋の神隠し', language: 'ja' },
    '2001-07-20',
    [16, 10751, 14],
    125,
    [8.5, 16540, 85.3],
    {
      en: 'A ten-year-old girl wanders into a world of spirits, where her parents are turned into pigs. To save them she goes to work in a bathhouse for the gods.',
      ru: 'Десятилетняя девочка попадает в мир духов, где её родителей превращают в свиней. Чтобы спасти их, она нанимается в купальню для богов.',
    },
    ['JP'],
  ),
  film(
    496243,
    'tt6751668',
    { en: 'Parasite', ru: 'Паразиты' },
    { title: '기생충', language: 'ko' },
    '2019-05-30',
    [35, 53, 18],
    133,
    [8.5, 18620, 80.1],
    {
      en: 'A poor family schemes its way into working for a wealthy household. Their arrangement unravels when they find out they are not the only ones hiding in the house.',
      ru: 'Бедная семья хитростью устраивается на работу к богачам. Их план рушится, когда выясняется, что в доме прячутся не только они.',
    },
    ['KR'],
  ),
  film(
    872585,
    'tt15398776',
    { en: 'Oppenheimer', ru: 'Оппенгеймер' },
    {},
    '2023-07-19',
    [18, 36],
    181,
    [8.1, 10040, 120.6],
    {
      en: 'The story of J. Robert Oppenheimer, who led the project that built the atomic bomb. Success brings him fame, doubt and a hearing that could end his career.',
      ru: 'История Роберта Оппенгеймера, руководившего созданием атомной бомбы. Успех приносит ему славу, сомнения и разбирательство, способное разрушить его карьеру.',
    },
    ['US', 'GB'],
    { en: 'The world forever changes.', ru: 'Мир навсегда изменится.' },
  ),
  film(
    346698,
    'tt1517268',
    { en: 'Barbie', ru: 'Барби' },
    {},
    '2023-07-19',
    [35, 12],
    114,
    [7.0, 9120, 92.4],
    {
      en: 'Barbie lives a perfect life in Barbieland until she starts to think about death. She sets off to the real world with Ken to find out what is wrong.',
      ru: 'Барби живёт идеальной жизнью в Барбиленде, пока не начинает думать о смерти. Вместе с Кеном она отправляется в реальный мир, чтобы понять, что пошло не так.',
    },
    ['US', 'GB'],
  ),
  film(
    438631,
    'tt1160419',
    { en: 'Dune', ru: 'Дюна' },
    {},
    '2021-09-15',
    [878, 12],
    155,
    [7.8, 12560, 110.9],
    {
      en: 'Paul Atreides arrives with his family on the desert planet Arrakis, the only source of the most valuable substance in the universe. Betrayal turns him into a fugitive among the desert people.',
      ru: 'Пол Атрейдес прибывает с семьёй на пустынную планету Арракис — единственный источник самого ценного вещества во вселенной. После предательства он становится беглецом среди народа пустыни.',
    },
    ['US', 'GB'],
    { en: 'Beyond fear, destiny awaits.', ru: 'За страхом ждёт судьба.' },
  ),
  film(
    693134,
    'tt15239678',
    { en: 'Dune: Part Two', ru: 'Дюна: Часть вторая' },
    {},
    '2024-02-27',
    [878, 12],
    167,
    [8.2, 6540, 150.2],
    {
      en: 'Paul Atreides unites with Chani and the Fremen to take revenge on those who destroyed his family. He must choose between love and the fate of the universe.',
      ru: 'Пол Атрейдес объединяется с Чани и фрименами, чтобы отомстить тем, кто уничтожил его семью. Ему предстоит выбрать между любовью и судьбой вселенной.',
    },
    ['US', 'GB'],
    { en: 'Long live the fighters.', ru: 'Да здравствуют бойцы.' },
  ),
  film(
    841,
    'tt0087182',
    { en: 'Dune', ru: 'Дюна' },
    {},
    '1984-12-14',
    [28, 878, 12],
    137,
    [6.3, 2710, 30.5],
    {
      en: 'David Lynch’s adaptation of Frank Herbert’s novel about the heir of House Atreides on the desert planet Arrakis.',
      ru: 'Экранизация романа Фрэнка Герберта от Дэвида Линча: наследник дома Атрейдесов на пустынной планете Арракис.',
    },
    ['US'],
  ),
  film(
    27205,
    'tt1375666',
    { en: 'Inception', ru: 'Начало' },
    {},
    '2010-07-15',
    [28, 878, 12],
    148,
    [8.4, 36120, 89.7],
    {
      en: 'A thief who steals secrets from people’s dreams is offered one last job: to plant an idea instead. His team dives into dreams within dreams.',
      ru: 'Вору, крадущему секреты из снов, предлагают последнее дело — не украсть идею, а внедрить её. Его команда погружается в сон внутри сна.',
    },
    ['US', 'GB'],
    { en: 'Your mind is the scene of the crime.', ru: 'Твой разум — место преступления.' },
  ),
  film(
    157336,
    'tt0816692',
    { en: 'Interstellar', ru: 'Интерстеллар' },
    {},
    '2014-11-05',
    [12, 18, 878],
    169,
    [8.4, 35480, 140.8],
    {
      en: 'With Earth dying, a former pilot leads an expedition through a wormhole in search of a new home for humanity. Time runs differently out there, and his children are growing up without him.',
      ru: 'Земля умирает, и бывший пилот ведёт экспедицию через червоточину в поисках нового дома для человечества. Время там течёт иначе, а его дети растут без него.',
    },
    ['US', 'GB'],
    {
      en: 'Mankind was born on Earth. It was never meant to die here.',
      ru: 'Следующий шаг человечества станет величайшим.',
    },
  ),
  film(
    475557,
    'tt7286456',
    { en: 'Joker', ru: 'Джокер' },
    {},
    '2019-10-01',
    [80, 53, 18],
    122,
    [8.1, 25300, 70.3],
    {
      en: 'A failed comedian in Gotham, ignored and mocked by everyone, slides into madness. His violence makes him an unlikely symbol for the city’s outcasts.',
      ru: 'Неудачливый комик из Готэма, которого все игнорируют и высмеивают, постепенно сходит с ума. Его жестокость делает его символом для городских изгоев.',
    },
    ['US'],
    { en: 'Put on a happy face.', ru: 'Улыбнись.' },
  ),
  film(
    98,
    'tt0172495',
    { en: 'Gladiator', ru: 'Гладиатор' },
    {},
    '2000-05-01',
    [28, 18, 12],
    155,
    [8.2, 19220, 75.8],
    {
      en: 'A Roman general betrayed by the emperor’s son is sold into slavery. He fights his way up through the arenas to Rome to take his revenge.',
      ru: 'Римский полководец, преданный сыном императора, попадает в рабство. Он пробивается через арены до самого Рима, чтобы отомстить.',
    },
    ['US', 'GB'],
  ),
  film(
    105,
    'tt0088763',
    { en: 'Back to the Future', ru: 'Назад в будущее' },
    {},
    '1985-07-03',
    [12, 35, 878],
    116,
    [8.3, 19610, 55.2],
    {
      en: 'A teenager is sent thirty years into the past in a time machine built by his eccentric scientist friend. He has to make sure his parents fall in love, or he will never be born.',
      ru: 'Подросток попадает на тридцать лет в прошлое на машине времени, которую построил его друг-учёный. Теперь он должен сделать так, чтобы его родители влюбились друг в друга.',
    },
    ['US'],
  ),
  film(
    120,
    'tt0120737',
    {
      en: 'The Lord of the Rings: The Fellowship of the Ring',
      ru: 'Властелин колец: Братство Кольца',
    },
    {},
    '2001-12-18',
    [12, 14, 28],
    179,
    [8.4, 25010, 96.1],
    {
      en: 'A young hobbit inherits a ring of terrible power. With eight companions he sets out to destroy it in the fires where it was made.',
      ru: 'Юный хоббит получает в наследство кольцо невероятной силы. Вместе с восемью спутниками он отправляется уничтожить его там, где оно было выковано.',
    },
    ['NZ', 'US'],
  ),
  film(
    671,
    'tt0241527',
    { en: "Harry Potter and the Philosopher's Stone", ru: 'Гарри Поттер и философский камень' },
    {},
    '2001-11-16',
    [12, 14],
    152,
    [7.9, 27240, 101.5],
    {
      en: 'An orphan learns on his eleventh birthday that he is a wizard. At Hogwarts he makes friends and uncovers the secret of a hidden stone.',
      ru: 'В свой одиннадцатый день рождения сирота узнаёт, что он волшебник. В Хогвартсе он находит друзей и раскрывает тайну спрятанного камня.',
    },
    ['GB', 'US'],
  ),
  film(
    1398,
    'tt0079944',
    { en: 'Stalker', ru: 'Сталкер' },
    { title: 'Сталкер', language: 'ru' },
    '1979-05-25',
    [878, 18],
    162,
    [8.1, 2380, 20.4],
    {
      en: 'A guide leads a writer and a professor into the Zone, a forbidden place where a room is said to grant one’s deepest wish.',
      ru: 'Проводник ведёт писателя и профессора в Зону — запретное место, где, по слухам, есть комната, исполняющая самое сокровенное желание.',
    },
    ['SU'],
  ),
  film(
    593,
    'tt0069293',
    { en: 'Solaris', ru: 'Солярис' },
    { title: 'Солярис', language: 'ru' },
    '1972-03-20',
    [18, 878, 9648],
    167,
    [7.9, 1360, 15.9],
    {
      en: 'A psychologist is sent to a space station orbiting the ocean planet Solaris. The ocean brings back people from the crew’s memories, including his late wife.',
      ru: 'Психолога отправляют на станцию у планеты-океана Солярис. Океан воплощает людей из памяти экипажа — в том числе его покойную жену.',
    },
    ['SU'],
  ),
  film(
    20992,
    'tt0118767',
    { en: 'Brother', ru: 'Брат' },
    { title: 'Брат', language: 'ru' },
    '1997-05-17',
    [80, 18, 28],
    99,
    [8.0, 820, 12.3],
    {
      en: 'Back from the army, Danila goes to St. Petersburg to find his older brother. The brother turns out to be a hitman, and Danila is drawn into his work.',
      ru: 'Вернувшись из армии, Данила едет в Петербург к старшему брату. Брат оказывается наёмным убийцей, и Данилу затягивает в его дела.',
    },
    ['RU'],
  ),
  film(
    20993,
    'tt0238883',
    { en: 'Brother 2', ru: 'Брат 2' },
    { title: 'Брат 2', language: 'ru' },
    '2000-05-11',
    [80, 28, 35],
    127,
    [7.9, 640, 10.8],
    {
      en: 'Danila flies to America to help the brother of an army friend who is being cheated by a Chicago businessman.',
      ru: 'Данила летит в Америку, чтобы помочь брату армейского друга, которого обманывает чикагский бизнесмен.',
    },
    ['RU'],
  ),
  film(
    21028,
    'tt0079579',
    { en: 'Moscow Does Not Believe in Tears', ru: 'Москва слезам не верит' },
    { title: 'Москва слезам не верит', language: 'ru' },
    '1980-02-11',
    [18, 10749, 35],
    150,
    [7.8, 410, 9.6],
    {
      en: 'Three young women come to Moscow in the late 1950s looking for love and a better life. Twenty years later one of them runs a factory but is still looking for happiness.',
      ru: 'Три девушки приезжают в Москву в конце 1950-х в поисках любви и лучшей жизни. Двадцать лет спустя одна из них руководит комбинатом, но всё ещё ищет счастья.',
    },
    ['SU'],
  ),
  film(
    31218,
    'tt0073179',
    { en: 'The Irony of Fate, or Enjoy Your Bath!', ru: 'Ирония судьбы, или С лёгким паром!' },
    { title: 'Ирония судьбы, или С лёгким паром!', language: 'ru' },
    '1976-01-01',
    [35, 10749, 10770],
    184,
    [7.9, 380, 14.7],
    {
      en: 'After a New Year’s Eve trip to the bathhouse, a Moscow doctor wakes up in Leningrad, in an identical flat at the same address. Its owner is not pleased.',
      ru: 'После новогодней бани московский врач просыпается в Ленинграде — в такой же квартире по такому же адресу. Её хозяйка совсем не рада гостю.',
    },
    ['SU'],
  ),
  film(
    16869,
    'tt0361748',
    { en: 'Inglourious Basterds', ru: 'Бесславные ублюдки' },
    {},
    '2009-08-02',
    [18, 53, 10752],
    153,
    [8.2, 22050, 60.6],
    {
      en: 'In occupied France a squad of Jewish-American soldiers hunts Nazis, while a young cinema owner plans her own revenge. Both plots meet at one film premiere.',
      ru: 'В оккупированной Франции отряд американских солдат охотится на нацистов, а владелица кинотеатра готовит собственную месть. Оба плана сходятся на одной премьере.',
    },
    ['US', 'DE'],
  ),
  film(
    522627,
    'tt8367814',
    { en: 'The Gentlemen', ru: 'Джентльмены' },
    {},
    '2019-12-03',
    [35, 80],
    113,
    [7.7, 9180, 45.3],
    {
      en: 'An American who built a marijuana empire in London wants to sell it and retire. News of the sale sets off a chain of plots, bribes and blackmail.',
      ru: 'Американец, построивший в Лондоне марихуановую империю, решает продать её и уйти на покой. Слух о сделке запускает цепочку интриг, подкупов и шантажа.',
    },
    ['GB', 'US'],
  ),
  film(
    335984,
    'tt1856101',
    { en: 'Blade Runner 2049', ru: 'Бегущий по лезвию 2049' },
    {},
    '2017-10-04',
    [878, 18],
    164,
    [7.5, 13540, 58.1],
    {
      en: 'Thirty years after the first film, a new blade runner uncovers a secret that could plunge what is left of society into chaos. His search leads him to a man who vanished long ago.',
      ru: 'Через тридцать лет после событий первого фильма новый блейдраннер раскрывает тайну, способную погрузить остатки общества в хаос. Поиски приводят его к человеку, пропавшему много лет назад.',
    },
    ['US', 'GB'],
  ),
];
