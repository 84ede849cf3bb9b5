/**
 * The emulated world the geocoding, forecast and routing emulators share:
 * real cities with their GeoNames ids, names in English and Russian,
 * coordinates, elevations, populations and time zones, plus a few
 * namesakes abroad (Moscow, Idaho; Paris, Texas) so that a name can be
 * ambiguous as it is for the real geocoder.
 *
 * Records follow the Open-Meteo geocoding API's result object
 * (open-meteo.com/en/docs/geocoding-api, "JSON Return Object", whose
 * example is Berlin; its fields are copied into Berlin's record here).
 */

/** A country as the geocoder names it. */
export interface WorldCountry {
  /** GeoNames id (`country_id`). */
  id: number;
  en: string;
  ru: string;
}

/** The land a city is on: no road leads from one to another. */
export type Landmass = 'eurasia-africa' | 'north-america' | 'south-america' | 'australia' | 'iceland' | 'japan';

/** A city of the emulated world. */
export interface WorldCity {
  /** GeoNames id. */
  id: number;
  en: string;
  ru: string;
  /** Other names the geocoder finds it by (native and old spellings). */
  alternates: readonly string[];
  latitude: number;
  longitude: number;
  /** Metres. */
  elevation: number;
  /** GeoNames feature code: PPLC a capital, PPLA a region's seat, PPLA2 a county's, PPL a town. */
  featureCode: 'PPLC' | 'PPLA' | 'PPLA2' | 'PPL';
  countryCode: string;
  admin1: { en: string; ru: string };
  timezone: string;
  population: number;
  landmass: Landmass;
  /** Fields only some records have, as the documented example shows them. */
  extra?: Readonly<Record<string, unknown>>;
}

export const WORLD_COUNTRIES: Readonly<Record<string, WorldCountry>> = {
  RU: { id: 2017370, en: 'Russia', ru: 'Россия' },
  UA: { id: 690791, en: 'Ukraine', ru: 'Украина' },
  BY: { id: 630336, en: 'Belarus', ru: 'Беларусь' },
  KZ: { id: 1522867, en: 'Kazakhstan', ru: 'Казахстан' },
  UZ: { id: 1512440, en: 'Uzbekistan', ru: 'Узбекистан' },
  GE: { id: 614540, en: 'Georgia', ru: 'Грузия' },
  AM: { id: 174982, en: 'Armenia', ru: 'Армения' },
  AZ: { id: 587116, en: 'Azerbaijan', ru: 'Азербайджан' },
  LV: { id: 458258, en: 'Latvia', ru: 'Латвия' },
  EE: { id: 453733, en: 'Estonia', ru: 'Эстония' },
  FI: { id: 660013, en: 'Finland', ru: 'Финляндия' },
  PL: { id: 798544, en: 'Poland', ru: 'Польша' },
  CZ: { id: 3077311, en: 'Czechia', ru: 'Чехия' },
  AT: { id: 2782113, en: 'Austria', ru: 'Австрия' },
  DE: { id: 2921044, en: 'Germany', ru: 'Германия' },
  GB: { id: 2635167, en: 'United Kingdom', ru: 'Великобритания' },
  FR: { id: 3017382, en: 'France', ru: 'Франция' },
  IT: { id: 3175395, en: 'Italy', ru: 'Италия' },
  ES: { id: 2510769, en: 'Spain', ru: 'Испания' },
  TR: { id: 298795, en: 'Türkiye', ru: 'Турция' },
  AE: { id: 290557, en: 'United Arab Emirates', ru: 'ОАЭ' },
  EG: { id: 357994, en: 'Egypt', ru: 'Египет' },
  CN: { id: 1814991, en: 'China', ru: 'Китай' },
  TH: { id: 1605651, en: 'Thailand', ru: 'Таиланд' },
  JP: { id: 1861060, en: 'Japan', ru: 'Япония' },
  AU: { id: 2077456, en: 'Australia', ru: 'Австралия' },
  US: { id: 6252001, en: 'United States', ru: 'США' },
  CA: { id: 6251999, en: 'Canada', ru: 'Канада' },
  BR: { id: 3469034, en: 'Brazil', ru: 'Бразилия' },
  IS: { id: 2629691, en: 'Iceland', ru: 'Исландия' },
};

type CityRow = [
  id: number,
  en: string,
  ru: string,
  latitude: number,
  longitude: number,
  elevation: number,
  featureCode: WorldCity['featureCode'],
  countryCode: string,
  admin1En: string,
  admin1Ru: string,
  timezone: string,
  population: number,
  landmass: Landmass,
  alternates?: readonly string[],
];

// prettier-ignore
const ROWS: readonly CityRow[] = [
  [524901, 'Moscow', 'Москва', 55.75222, 37.61556, 144, 'PPLC', 'RU', 'Moscow', 'Москва', 'Europe/Moscow', 10381222, 'eurasia-africa', ['Moskva', 'Moskau']],
  [498817, 'Saint Petersburg', 'Санкт-Петербург', 59.93863, 30.31413, 11, 'PPLA', 'RU', 'Saint Petersburg', 'Санкт-Петербург', 'Europe/Moscow', 5351935, 'eurasia-africa', ['Sankt-Peterburg', 'St Petersburg', 'Leningrad', 'Ленинград']],
  [1496747, 'Novosibirsk', 'Новосибирск', 55.0415, 82.9346, 150, 'PPLA', 'RU', 'Novosibirsk Oblast', 'Новосибирская область', 'Asia/Novosibirsk', 1612833, 'eurasia-africa'],
  [1486209, 'Yekaterinburg', 'Екатеринбург', 56.8519, 60.6122, 237, 'PPLA', 'RU', 'Sverdlovsk Oblast', 'Свердловская область', 'Asia/Yekaterinburg', 1349772, 'eurasia-africa', ['Ekaterinburg', 'Sverdlovsk', 'Свердловск']],
  [551487, 'Kazan', 'Казань', 55.78874, 49.12214, 116, 'PPLA', 'RU', 'Tatarstan', 'Татарстан', 'Europe/Moscow', 1104738, 'eurasia-africa', ['Kazan’']],
  [520555, 'Nizhniy Novgorod', 'Нижний Новгород', 56.32867, 44.00205, 141, 'PPLA', 'RU', 'Nizhny Novgorod Oblast', 'Нижегородская область', 'Europe/Moscow', 1284164, 'eurasia-africa', ['Nizhny Novgorod', 'Gorky', 'Горький']],
  [499099, 'Samara', 'Самара', 53.20007, 50.15, 100, 'PPLA', 'RU', 'Samara Oblast', 'Самарская область', 'Europe/Samara', 1134730, 'eurasia-africa', ['Kuybyshev', 'Куйбышев']],
  [1496153, 'Omsk', 'Омск', 54.99244, 73.36859, 94, 'PPLA', 'RU', 'Omsk Oblast', 'Омская область', 'Asia/Omsk', 1129281, 'eurasia-africa'],
  [501175, 'Rostov-on-Don', 'Ростов-на-Дону', 47.23135, 39.72328, 73, 'PPLA', 'RU', 'Rostov Oblast', 'Ростовская область', 'Europe/Moscow', 1074482, 'eurasia-africa', ['Rostov-na-Donu', 'Rostov']],
  [1502026, 'Krasnoyarsk', 'Красноярск', 56.01839, 92.86717, 164, 'PPLA', 'RU', 'Krasnoyarsk Krai', 'Красноярский край', 'Asia/Krasnoyarsk', 927200, 'eurasia-africa'],
  [472045, 'Voronezh', 'Воронеж', 51.67204, 39.1843, 154, 'PPLA', 'RU', 'Voronezh Oblast', 'Воронежская область', 'Europe/Moscow', 848752, 'eurasia-africa'],
  [511196, 'Perm', 'Пермь', 58.01046, 56.25017, 171, 'PPLA', 'RU', 'Perm Krai', 'Пермский край', 'Asia/Yekaterinburg', 982419, 'eurasia-africa', ['Perm’', 'Molotov']],
  [472757, 'Volgograd', 'Волгоград', 48.71939, 44.50183, 42, 'PPLA', 'RU', 'Volgograd Oblast', 'Волгоградская область', 'Europe/Volgograd', 1011417, 'eurasia-africa', ['Stalingrad', 'Сталинград', 'Tsaritsyn']],
  [479561, 'Ufa', 'Уфа', 54.74306, 55.96779, 150, 'PPLA', 'RU', 'Bashkortostan', 'Башкортостан', 'Asia/Yekaterinburg', 1033338, 'eurasia-africa'],
  [1508291, 'Chelyabinsk', 'Челябинск', 55.15402, 61.42915, 220, 'PPLA', 'RU', 'Chelyabinsk Oblast', 'Челябинская область', 'Asia/Yekaterinburg', 1062919, 'eurasia-africa'],
  [2013348, 'Vladivostok', 'Владивосток', 43.10562, 131.87353, 41, 'PPLA', 'RU', 'Primorye', 'Приморский край', 'Asia/Vladivostok', 587022, 'eurasia-africa'],
  [2022890, 'Khabarovsk', 'Хабаровск', 48.48271, 135.08379, 80, 'PPLA', 'RU', 'Khabarovsk Krai', 'Хабаровский край', 'Asia/Vladivostok', 579000, 'eurasia-africa'],
  [2023469, 'Irkutsk', 'Иркутск', 52.29778, 104.29639, 440, 'PPLA', 'RU', 'Irkutsk Oblast', 'Иркутская область', 'Asia/Irkutsk', 586695, 'eurasia-africa'],
  [2013159, 'Yakutsk', 'Якутск', 62.03389, 129.73306, 101, 'PPLA', 'RU', 'Sakha', 'Якутия', 'Asia/Yakutsk', 235600, 'eurasia-africa'],
  [491422, 'Sochi', 'Сочи', 43.59917, 39.72569, 38, 'PPL', 'RU', 'Krasnodar Krai', 'Краснодарский край', 'Europe/Moscow', 343334, 'eurasia-africa'],
  [554234, 'Kaliningrad', 'Калининград', 54.70649, 20.51095, 5, 'PPLA', 'RU', 'Kaliningrad Oblast', 'Калининградская область', 'Europe/Kaliningrad', 434954, 'eurasia-africa', ['Königsberg', 'Кёнигсберг']],
  [524305, 'Murmansk', 'Мурманск', 68.97917, 33.09251, 51, 'PPLA', 'RU', 'Murmansk Oblast', 'Мурманская область', 'Europe/Moscow', 307257, 'eurasia-africa'],
  [581049, 'Arkhangelsk', 'Архангельск', 64.5401, 40.5433, 7, 'PPLA', 'RU', 'Arkhangelsk Oblast', 'Архангельская область', 'Europe/Moscow', 350985, 'eurasia-africa', ['Archangel']],
  [480060, 'Tver', 'Тверь', 56.85836, 35.90057, 137, 'PPLA', 'RU', 'Tver Oblast', 'Тверская область', 'Europe/Moscow', 403726, 'eurasia-africa', ['Tver’', 'Kalinin']],
  [703448, 'Kyiv', 'Киев', 50.45466, 30.5238, 187, 'PPLC', 'UA', 'Kyiv City', 'Киев', 'Europe/Kyiv', 2797553, 'eurasia-africa', ['Kiev', 'Київ']],
  [698740, 'Odesa', 'Одесса', 46.47747, 30.73262, 40, 'PPLA', 'UA', 'Odesa Oblast', 'Одесская область', 'Europe/Kyiv', 1015826, 'eurasia-africa', ['Odessa', 'Одеса']],
  [625144, 'Minsk', 'Минск', 53.9, 27.56667, 222, 'PPLC', 'BY', 'Minsk City', 'Минск', 'Europe/Minsk', 1742124, 'eurasia-africa', ['Mensk', 'Мінск']],
  [1526384, 'Almaty', 'Алматы', 43.25, 76.91667, 847, 'PPLA', 'KZ', 'Almaty', 'Алматы', 'Asia/Almaty', 2000900, 'eurasia-africa', ['Alma-Ata', 'Алма-Ата']],
  [1512569, 'Tashkent', 'Ташкент', 41.26465, 69.21627, 455, 'PPLC', 'UZ', 'Tashkent', 'Ташкент', 'Asia/Tashkent', 1978028, 'eurasia-africa', ['Toshkent']],
  [611717, 'Tbilisi', 'Тбилиси', 41.69411, 44.83368, 490, 'PPLC', 'GE', 'Tbilisi', 'Тбилиси', 'Asia/Tbilisi', 1049498, 'eurasia-africa', ['Tiflis']],
  [616052, 'Yerevan', 'Ереван', 40.18111, 44.51361, 990, 'PPLC', 'AM', 'Yerevan', 'Ереван', 'Asia/Yerevan', 1093485, 'eurasia-africa', ['Erevan']],
  [587084, 'Baku', 'Баку', 40.37767, 49.89201, -28, 'PPLC', 'AZ', 'Baku', 'Баку', 'Asia/Baku', 1116513, 'eurasia-africa', ['Bakı']],
  [456172, 'Riga', 'Рига', 56.946, 24.10589, 9, 'PPLC', 'LV', 'Riga', 'Рига', 'Europe/Riga', 742572, 'eurasia-africa', ['Rīga']],
  [588409, 'Tallinn', 'Таллин', 59.43696, 24.75353, 22, 'PPLC', 'EE', 'Harju', 'Харьюмаа', 'Europe/Tallinn', 394024, 'eurasia-africa', ['Таллинн', 'Reval']],
  [658225, 'Helsinki', 'Хельсинки', 60.16952, 24.93545, 26, 'PPLC', 'FI', 'Uusimaa', 'Уусимаа', 'Europe/Helsinki', 558457, 'eurasia-africa', ['Helsingfors', 'Гельсингфорс']],
  [756135, 'Warsaw', 'Варшава', 52.22977, 21.01178, 113, 'PPLC', 'PL', 'Masovia', 'Мазовецкое воеводство', 'Europe/Warsaw', 1702139, 'eurasia-africa', ['Warszawa']],
  [3067696, 'Prague', 'Прага', 50.08804, 14.42076, 202, 'PPLC', 'CZ', 'Prague', 'Прага', 'Europe/Prague', 1165581, 'eurasia-africa', ['Praha']],
  [2761369, 'Vienna', 'Вена', 48.20849, 16.37208, 171, 'PPLC', 'AT', 'Vienna', 'Вена', 'Europe/Vienna', 1691468, 'eurasia-africa', ['Wien']],
  [2950159, 'Berlin', 'Берлин', 52.52437, 13.41053, 74, 'PPLC', 'DE', 'Berlin', 'Берлин', 'Europe/Berlin', 3426354, 'eurasia-africa'],
  [2643743, 'London', 'Лондон', 51.50853, -0.12574, 25, 'PPLC', 'GB', 'England', 'Англия', 'Europe/London', 8961989, 'eurasia-africa', ['Londres']],
  [2988507, 'Paris', 'Париж', 48.85341, 2.3488, 42, 'PPLC', 'FR', 'Île-de-France', 'Иль-де-Франс', 'Europe/Paris', 2138551, 'eurasia-africa'],
  [3169070, 'Rome', 'Рим', 41.89193, 12.51133, 20, 'PPLC', 'IT', 'Lazio', 'Лацио', 'Europe/Rome', 2318895, 'eurasia-africa', ['Roma']],
  [3117735, 'Madrid', 'Мадрид', 40.4165, -3.70256, 667, 'PPLC', 'ES', 'Madrid', 'Мадрид', 'Europe/Madrid', 3255944, 'eurasia-africa'],
  [745044, 'Istanbul', 'Стамбул', 41.01384, 28.94966, 39, 'PPLA', 'TR', 'Istanbul', 'Стамбул', 'Europe/Istanbul', 14804116, 'eurasia-africa', ['İstanbul', 'Constantinople', 'Константинополь']],
  [292223, 'Dubai', 'Дубай', 25.07725, 55.30927, 5, 'PPLA', 'AE', 'Dubai', 'Дубай', 'Asia/Dubai', 3790000, 'eurasia-africa'],
  [360630, 'Cairo', 'Каир', 30.06263, 31.24967, 23, 'PPLC', 'EG', 'Cairo', 'Каир', 'Africa/Cairo', 9606916, 'eurasia-africa', ['Al Qahirah']],
  [1816670, 'Beijing', 'Пекин', 39.9075, 116.39723, 49, 'PPLC', 'CN', 'Beijing', 'Пекин', 'Asia/Shanghai', 18960744, 'eurasia-africa', ['Peking']],
  [1609350, 'Bangkok', 'Бангкок', 13.75398, 100.50144, 12, 'PPLC', 'TH', 'Bangkok', 'Бангкок', 'Asia/Bangkok', 5104476, 'eurasia-africa', ['Krung Thep']],
  [1850147, 'Tokyo', 'Токио', 35.6895, 139.69171, 40, 'PPLC', 'JP', 'Tokyo', 'Токио', 'Asia/Tokyo', 9733276, 'japan', ['Tōkyō']],
  [2147714, 'Sydney', 'Сидней', -33.86785, 151.20732, 58, 'PPLA', 'AU', 'New South Wales', 'Новый Южный Уэльс', 'Australia/Sydney', 4627345, 'australia'],
  [5128581, 'New York', 'Нью-Йорк', 40.71427, -74.00597, 10, 'PPL', 'US', 'New York', 'Нью-Йорк', 'America/New_York', 8804190, 'north-america', ['New York City', 'NYC']],
  [5368361, 'Los Angeles', 'Лос-Анджелес', 34.05223, -118.24368, 89, 'PPLA2', 'US', 'California', 'Калифорния', 'America/Los_Angeles', 3898747, 'north-america'],
  [3451190, 'Rio de Janeiro', 'Рио-де-Жанейро', -22.90642, -43.18223, 5, 'PPLA', 'BR', 'Rio de Janeiro', 'Рио-де-Жанейро', 'America/Sao_Paulo', 6747815, 'south-america'],
  [3413829, 'Reykjavík', 'Рейкьявик', 64.13548, -21.89541, 15, 'PPLC', 'IS', 'Capital Region', 'Столичный регион', 'Atlantic/Reykjavik', 118918, 'iceland', ['Reykjavik']],
  // Namesakes abroad, so that a name can be ambiguous.
  [5601538, 'Moscow', 'Москоу', 46.73239, -117.00017, 786, 'PPLA2', 'US', 'Idaho', 'Айдахо', 'America/Los_Angeles', 25435, 'north-america'],
  [4717560, 'Paris', 'Париж', 33.66094, -95.55551, 180, 'PPLA2', 'US', 'Texas', 'Техас', 'America/Chicago', 24782, 'north-america'],
  [4171563, 'St. Petersburg', 'Сент-Питерсберг', 27.77086, -82.67927, 13, 'PPL', 'US', 'Florida', 'Флорида', 'America/New_York', 258308, 'north-america', ['Saint Petersburg']],
  [6058560, 'London', 'Лондон', 42.98339, -81.23304, 251, 'PPL', 'CA', 'Ontario', 'Онтарио', 'America/Toronto', 422324, 'north-america'],
  [5527554, 'Odessa', 'Одесса', 31.84568, -102.36764, 890, 'PPLA2', 'US', 'Texas', 'Техас', 'America/Chicago', 123334, 'north-america'],
];

/**
 * Berlin as the documentation's example answers it (its `admin*_id`,
 * `admin3`, `admin4` and `postcodes`; `admin2` is empty there, so the JSON
 * leaves it out).
 */
const BERLIN_EXTRA = {
  admin1_id: 2950157,
  admin3_id: 6547383,
  admin4_id: 6547539,
  postcodes: ['10967', '13347'],
  admin3: 'Berlin, Stadt',
  admin4: 'Berlin',
} as const;

/** Every city of the emulated world. */
export const WORLD_CITIES: readonly WorldCity[] = ROWS.map((row) => {
  const [id, en, ru, latitude, longitude, elevation, featureCode, countryCode, admin1En, admin1Ru] = row;
  const [, , , , , , , , , , timezone, population, landmass, alternates = []] = row;
  return {
    id,
    en,
    ru,
    alternates,
    latitude,
    longitude,
    elevation,
    featureCode,
    countryCode,
    admin1: { en: admin1En, ru: admin1Ru },
    timezone,
    population,
    landmass,
    ...(id === 2950159 ? { extra: BERLIN_EXTRA } : {}),
  };
});
