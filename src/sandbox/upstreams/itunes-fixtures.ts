/**
 * The world of the iTunes Search API emulator: real artists with some of
 * their albums (release dates, track counts) and best-known songs (lengths
 * close to the real ones). The answers the emulator builds from them follow
 * Apple's "iTunes Search API" documentation (developer.apple.com,
 * "Understanding Search Results": the song, artist and collection objects of
 * its examples, `resultCount` and `results`).
 */

export interface ItunesSong {
  name: string;
  /** Its length, as `m:ss`. */
  length: string;
}

export interface ItunesAlbum {
  name: string;
  releaseDate: string;
  trackCount: number;
  songs: ItunesSong[];
}

export interface ItunesArtist {
  name: string;
  genre: keyof typeof ITUNES_GENRES;
  /** Newest last, as discographies are written. */
  albums: ItunesAlbum[];
}

/** The genres the store files them under (`primaryGenreName`, `primaryGenreId`), with the Russian store's names. */
export const ITUNES_GENRES = {
  Rock: { id: 21, ru: 'Рок' },
  Alternative: { id: 20, ru: 'Альтернативная музыка' },
  Pop: { id: 14, ru: 'Поп' },
  Electronic: { id: 7, ru: 'Электронная музыка' },
  Metal: { id: 1153, ru: 'Метал' },
  'Hip-Hop/Rap': { id: 18, ru: 'Хип-хоп/рэп' },
  'R&B/Soul': { id: 15, ru: 'R&B/соул' },
  Punk: { id: 1006, ru: 'Панк' },
} as const;

/** The storefronts the emulator sells in: `country` (ISO 3166-1 alpha-3 in answers), currency, prices. */
export const ITUNES_STOREFRONTS: Readonly<
  Record<string, { country: string; currency: string; track: number; album: number }>
> = {
  US: { country: 'USA', currency: 'USD', track: 1.29, album: 9.99 },
  GB: { country: 'GBR', currency: 'GBP', track: 0.99, album: 7.99 },
  DE: { country: 'DEU', currency: 'EUR', track: 1.29, album: 9.99 },
  RU: { country: 'RUS', currency: 'RUB', track: 22, album: 149 },
  KZ: { country: 'KAZ', currency: 'USD', track: 0.99, album: 6.99 },
  UA: { country: 'UKR', currency: 'USD', track: 0.99, album: 6.99 },
};

function album(name: string, releaseDate: string, trackCount: number, songs: Array<[string, string]>): ItunesAlbum {
  return { name, releaseDate, trackCount, songs: songs.map(([song, length]) => ({ name: song, length })) };
}

export const ITUNES_ARTISTS: readonly ItunesArtist[] = [
  {
    name: 'Кино',
    genre: 'Rock',
    albums: [
      album('Группа крови', '1988-01-01', 11, [
        ['Группа крови', '4:46'],
        ['Закрой за мной дверь, я ухожу', '4:17'],
      ]),
      album('Звезда по имени Солнце', '1989-01-01', 8, [
        ['Звезда по имени Солнце', '3:45'],
        ['Пачка сигарет', '4:28'],
      ]),
      album('Последний герой', '1989-06-01', 11, [['Хочу перемен!', '4:54']]),
      album('Чёрный альбом', '1990-12-01', 8, [['Кукушка', '6:38']]),
    ],
  },
  {
    name: 'ДДТ',
    genre: 'Rock',
    albums: [
      album('Актриса Весна', '1992-01-01', 10, [['Что такое осень', '5:46']]),
      album('Это всё...', '1994-01-01', 12, [['Это всё', '6:01']]),
    ],
  },
  {
    name: 'Земфира',
    genre: 'Alternative',
    albums: [
      album('Земфира', '1999-05-10', 14, [
        ['Ариведерчи', '3:54'],
        ['СПИД', '3:37'],
      ]),
      album('Прости меня моя любовь', '2000-03-28', 13, [
        ['Искала', '4:16'],
        ['Хочешь?', '3:55'],
        ['Прости меня моя любовь', '3:43'],
      ]),
      album('Вендетта', '2005-03-01', 12, [['Жить в твоей голове', '4:20']]),
    ],
  },
  {
    name: 'Сплин',
    genre: 'Rock',
    albums: [
      album('Гранатовый альбом', '1998-02-01', 13, [
        ['Орбит без сахара', '3:58'],
        ['Романс', '3:50'],
      ]),
      album('25-й кадр', '2001-01-01', 12, [['Выхода нет', '4:05']]),
    ],
  },
  {
    name: 'Мумий Тролль',
    genre: 'Rock',
    albums: [
      album('Морская', '1997-04-01', 13, [
        ['Владивосток 2000', '2:39'],
        ['Дельфины', '3:38'],
      ]),
      album('Икра', '1998-01-01', 14, [['Утекай', '3:55']]),
    ],
  },
  {
    name: 'Би-2',
    genre: 'Rock',
    albums: [
      album('Би-2', '2000-04-01', 13, [
        ['Полковнику никто не пишет', '4:12'],
        ['Варвара', '4:02'],
      ]),
    ],
  },
  {
    name: 'Король и Шут',
    genre: 'Punk',
    albums: [
      album('Акустический альбом', '1999-01-01', 16, [
        ['Лесник', '3:11'],
        ['Кукла колдуна', '3:24'],
        ['Прыгну со скалы', '3:33'],
      ]),
    ],
  },
  {
    name: 'Алла Пугачёва',
    genre: 'Pop',
    albums: [album('Как тревожен этот путь', '1982-01-01', 14, [['Миллион алых роз', '4:20']])],
  },
  {
    name: 'Аквариум',
    genre: 'Rock',
    albums: [
      album('Радио Африка', '1983-01-01', 13, [
        ['Рок-н-ролл мёртв', '4:07'],
        ['Капитан Африка', '6:10'],
      ]),
    ],
  },
  {
    name: 'Монеточка',
    genre: 'Pop',
    albums: [
      album('Раскраски для взрослых', '2018-05-18', 13, [
        ['Каждый раз', '3:28'],
        ['Последняя дискотека', '3:16'],
      ]),
    ],
  },
  {
    name: 'Баста',
    genre: 'Hip-Hop/Rap',
    albums: [album('Баста 1', '2006-01-01', 18, [['Моя игра', '3:56']])],
  },
  {
    name: 'The Beatles',
    genre: 'Rock',
    albums: [
      album('Help!', '1965-08-06', 14, [
        ['Help!', '2:18'],
        ['Yesterday', '2:05'],
      ]),
      album('Abbey Road', '1969-09-26', 17, [
        ['Come Together', '4:20'],
        ['Here Comes the Sun', '3:05'],
      ]),
      album('Let It Be', '1970-05-08', 12, [['Let It Be', '4:03']]),
    ],
  },
  {
    name: 'Queen',
    genre: 'Rock',
    albums: [
      album('A Night At the Opera', '1975-11-21', 12, [['Bohemian Rhapsody', '5:55']]),
      album('News of the World', '1977-10-28', 11, [
        ['We Will Rock You', '2:02'],
        ['We Are the Champions', '2:59'],
      ]),
      album('The Game', '1980-06-30', 10, [['Another One Bites the Dust', '3:35']]),
    ],
  },
  {
    name: 'Nirvana',
    genre: 'Alternative',
    albums: [
      album('Nevermind', '1991-09-24', 13, [
        ['Smells Like Teen Spirit', '5:01'],
        ['Come As You Are', '3:39'],
      ]),
      album('In Utero', '1993-09-21', 12, [['Heart-Shaped Box', '4:41']]),
    ],
  },
  {
    name: 'Radiohead',
    genre: 'Alternative',
    albums: [
      album('The Bends', '1995-03-13', 12, [['High and Dry', '4:17']]),
      album('OK Computer', '1997-05-21', 12, [
        ['Paranoid Android', '6:27'],
        ['Karma Police', '4:24'],
      ]),
      album('In Rainbows', '2007-10-10', 10, [['Nude', '4:15']]),
    ],
  },
  {
    name: 'Daft Punk',
    genre: 'Electronic',
    albums: [
      album('Discovery', '2001-03-12', 14, [
        ['One More Time', '5:20'],
        ['Harder, Better, Faster, Stronger', '3:44'],
      ]),
      album('Random Access Memories', '2013-05-17', 13, [
        ['Get Lucky (feat. Pharrell Williams & Nile Rodgers)', '6:09'],
      ]),
    ],
  },
  {
    name: 'Adele',
    genre: 'Pop',
    albums: [
      album('21', '2011-01-24', 11, [
        ['Rolling in the Deep', '3:48'],
        ['Someone Like You', '4:45'],
      ]),
      album('25', '2015-11-20', 11, [['Hello', '4:55']]),
      album('30', '2021-11-19', 12, [['Easy On Me', '3:44']]),
    ],
  },
  {
    name: 'Billie Eilish',
    genre: 'Alternative',
    albums: [
      album('WHEN WE ALL FALL ASLEEP, WHERE DO WE GO?', '2019-03-29', 14, [['bad guy', '3:14']]),
      album('Happier Than Ever', '2021-07-30', 16, [['Happier Than Ever', '4:58']]),
      album('HIT ME HARD AND SOFT', '2024-05-17', 10, [['BIRDS OF A FEATHER', '3:30']]),
    ],
  },
  {
    name: 'Taylor Swift',
    genre: 'Pop',
    albums: [
      album('1989', '2014-10-27', 13, [
        ['Shake It Off', '3:39'],
        ['Blank Space', '3:51'],
      ]),
      album('Midnights', '2022-10-21', 13, [['Anti-Hero', '3:20']]),
    ],
  },
  {
    name: 'Coldplay',
    genre: 'Alternative',
    albums: [
      album('Parachutes', '2000-07-10', 10, [['Yellow', '4:26']]),
      album('A Rush of Blood to the Head', '2002-08-26', 11, [
        ['The Scientist', '5:09'],
        ['Clocks', '5:07'],
      ]),
      album('Viva la Vida or Death and All His Friends', '2008-06-12', 10, [['Viva la Vida', '4:01']]),
    ],
  },
  {
    name: 'Metallica',
    genre: 'Metal',
    albums: [
      album('Master of Puppets', '1986-03-03', 8, [['Master of Puppets', '8:35']]),
      album('Metallica', '1991-08-12', 12, [
        ['Enter Sandman', '5:31'],
        ['Nothing Else Matters', '6:28'],
      ]),
    ],
  },
  {
    name: 'Michael Jackson',
    genre: 'Pop',
    albums: [
      album('Thriller', '1982-11-30', 9, [
        ['Billie Jean', '4:54'],
        ['Thriller', '5:57'],
        ['Beat It', '4:18'],
      ]),
      album('Bad', '1987-08-31', 11, [['Smooth Criminal', '4:17']]),
    ],
  },
  {
    name: 'ABBA',
    genre: 'Pop',
    albums: [
      album('Arrival', '1976-10-11', 10, [['Dancing Queen', '3:51']]),
      album('Super Trouper', '1980-11-03', 10, [['The Winner Takes It All', '4:54']]),
    ],
  },
  {
    name: 'Eminem',
    genre: 'Hip-Hop/Rap',
    albums: [
      album('The Marshall Mathers LP', '2000-05-23', 18, [
        ['Stan (feat. Dido)', '6:44'],
        ['The Real Slim Shady', '4:44'],
      ]),
      album('8 Mile (Music from and Inspired By the Motion Picture)', '2002-10-29', 16, [['Lose Yourself', '5:26']]),
    ],
  },
  {
    name: 'LINKIN PARK',
    genre: 'Alternative',
    albums: [
      album('Hybrid Theory', '2000-10-24', 12, [
        ['In the End', '3:36'],
        ['Crawling', '3:29'],
      ]),
      album('Meteora', '2003-03-25', 13, [['Numb', '3:07']]),
    ],
  },
  {
    name: 'Arctic Monkeys',
    genre: 'Alternative',
    albums: [
      album("Whatever People Say I Am, That's What I'm Not", '2006-01-23', 13, [
        ['I Bet You Look Good On the Dancefloor', '2:53'],
      ]),
      album('AM', '2013-09-09', 12, [
        ['Do I Wanna Know?', '4:32'],
        ['R U Mine?', '3:21'],
      ]),
    ],
  },
  {
    name: 'The Weeknd',
    genre: 'R&B/Soul',
    albums: [
      album('Starboy', '2016-11-25', 18, [['Starboy (feat. Daft Punk)', '3:50']]),
      album('After Hours', '2020-03-20', 14, [['Blinding Lights', '3:20']]),
    ],
  },
  {
    name: 'Rammstein',
    genre: 'Metal',
    albums: [
      album('Sehnsucht', '1997-08-22', 11, [['Du hast', '3:54']]),
      album('Mutter', '2001-04-02', 11, [
        ['Sonne', '4:32'],
        ['Mein Herz brennt', '4:39'],
      ]),
      album('Reise, Reise', '2004-09-27', 11, [['Ohne dich', '4:31']]),
    ],
  },
  {
    name: 'David Bowie',
    genre: 'Rock',
    albums: [
      album('Hunky Dory', '1971-12-17', 11, [['Life On Mars?', '3:53']]),
      album('The Rise and Fall of Ziggy Stardust and the Spiders from Mars', '1972-06-16', 11, [['Starman', '4:10']]),
      album('"Heroes"', '1977-10-14', 10, [['"Heroes"', '6:07']]),
    ],
  },
  {
    name: 'Pink Floyd',
    genre: 'Rock',
    albums: [
      album('The Dark Side of the Moon', '1973-03-01', 10, [
        ['Time', '6:53'],
        ['Money', '6:22'],
      ]),
      album('Wish You Were Here', '1975-09-12', 5, [['Wish You Were Here', '5:34']]),
      album('The Wall', '1979-11-30', 26, [
        ['Another Brick in the Wall, Pt. 2', '3:59'],
        ['Comfortably Numb', '6:22'],
      ]),
    ],
  },
  {
    name: 'Dua Lipa',
    genre: 'Pop',
    albums: [
      album('Future Nostalgia', '2020-03-27', 11, [
        ["Don't Start Now", '3:03'],
        ['Levitating', '3:23'],
      ]),
    ],
  },
  {
    name: 'Imagine Dragons',
    genre: 'Alternative',
    albums: [
      album('Night Visions', '2012-09-04', 11, [
        ['Radioactive', '3:06'],
        ['Demons', '2:57'],
      ]),
      album('Evolve', '2017-06-23', 11, [['Believer', '3:24']]),
    ],
  },
];
