import { stemWord } from './word-stemmer.js';

/** Broad topics a member's words are counted under, for profiles and /summary. */
const TOPICS: Record<string, string> = {
  work: `работа работать офис начальник зарплата проект дедлайн созвон митинг увольнение собеседование
    job work office boss salary project deadline meeting interview`,
  games: `игра играть катка стим дота геймпад приставка шутер
    game gaming play steam playstation xbox shooter`,
  food: `еда пицца пиво кофе ужин обед завтрак шашлык суши бургер ресторан готовить
    food pizza beer coffee dinner lunch breakfast burger restaurant cook`,
  tech: `код программа сервер баг деплой питон линукс компьютер ноутбук телефон айфон нейросеть бот
    code program server bug deploy python javascript typescript linux computer laptop phone iphone`,
  money: `деньги крипта биткоин доллар рубль курс ипотека кредит инвестиции акции
    money crypto bitcoin dollar price stock invest mortgage`,
  sport: `футбол хоккей матч спортзал бег тренировка качалка
    football soccer hockey match gym running workout`,
  movies: `фильм сериал кино мультик актер режиссер
    movie series film cinema actor director netflix`,
  music: `музыка песня концерт трек альбом гитара
    music song concert track album guitar`,
  travel: `поездка отпуск самолет море путешествие билеты виза отель
    travel trip flight vacation beach ticket visa hotel`,
  weather: `погода дождь снег жара холод мороз
    weather rain snow heat cold`,
};

const BY_STEM = new Map<string, string>();
for (const [topic, list] of Object.entries(TOPICS)) {
  for (const word of list.split(/\s+/)) {
    if (word.length > 0) BY_STEM.set(stemWord(word), topic);
  }
}

/** The topic a stem belongs to, or '' when none. */
export function topicOf(stem: string): string {
  return BY_STEM.get(stem) ?? '';
}
