import { stemWord } from './word-stemmer.js';

/** Bit flags describing what a word says about tone and style. */
export const WordFlag = {
  positive: 1,
  negative: 2,
  /** Profanity (мат, swear words). */
  profane: 4,
  /** Names someone an idiot, a loser, … — aimed at a person. */
  insult: 8,
  agree: 16,
  disagree: 32,
  formal: 64,
  informal: 128,
  /** "ты", "you": the message speaks to someone. */
  secondPerson: 256,
  /** A function word that says nothing about the speaker's interests. */
  stop: 512,
} as const;

// Words are listed in dictionary form; the Russian and English Snowball
// stemmers fold their inflections ("дураком", "idiots") onto the same stem.
// Ukrainian forms of address (ви/ти, будь ласка) are listed as words of their own.
const LISTS: Array<[number, string]> = [
  [
    WordFlag.positive,
    `спасибо благодарю класс классно круто крутой отлично отличный супер прекрасно замечательно люблю нравится
    молодец красава рад рада хорошо кайф огонь ахаха ахах хаха хахаха лол ржу ура умница шикарно обожаю интересно весело красиво
    thank thanks thx great awesome cool nice love amazing perfect lol haha glad happy wonderful excellent brilliant respect
    beautiful fun funny best yay wow good`,
  ],
  [
    WordFlag.negative,
    `плохо плохой ужас ужасно кошмар отстой бесит ненавижу грустно печально жаль обидно фигня хрень бред чушь
    ерунда отвратительно мерзко скучно надоело устал злой достал заткнись отвали отстань позор стыдно
    bad awful terrible hate sad sucks annoying boring worst ugly angry disgusting horrible nonsense shut pathetic`,
  ],
  [
    WordFlag.insult | WordFlag.negative,
    `идиот дебил дурак дура тупой тупица кретин урод лох чмо придурок даун олень козел мразь
    тварь ничтожество клоун балбес бездарь недоумок
    dumb idiot stupid moron loser jerk clown retard imbecile fool`,
  ],
  [
    WordFlag.agree | WordFlag.positive,
    `согласен согласна точно верно именно правда плюсую
    agree exactly indeed absolutely true`,
  ],
  [WordFlag.agree, `да ага yes yep sure right`],
  [
    WordFlag.disagree | WordFlag.negative,
    `неправ неправда враньё вранье бред чушь ерунда wrong nonsense disagree false nope`,
  ],
  [WordFlag.disagree, `нет no`],
  [
    WordFlag.formal,
    `вы вас вам ваш ваша ваши вами пожалуйста здравствуйте благодарю уважаемый уважаемые извините простите
    коллеги ви ваші ласка вибачте перепрошую шановний шановна шановні
    please kindly would could regards sir madam appreciate dear`,
  ],
  [
    WordFlag.informal,
    `привет чё че щас норм кек го бро чел кринж ваще пон збс имхо
    pls plz bro dude lmao yo gonna wanna hey guys bruh`,
  ],
  [WordFlag.informal | WordFlag.secondPerson, `ты тебя тебе тобой твой твоя твое твои ти тобі тобою твій твоє твої`],
  [WordFlag.secondPerson, `you your yours yourself ur`],
];

/**
 * Swear roots with the prefixes Russian actually puts before them
 * ("на|по|ни" + "ху…", "вы|за|у" + "еб…"). Matching a root anywhere in a word
 * would flag "себе", "страхуй" or "мандарин"; matching only these prefixes
 * does not.
 */
const PROFANE = new RegExp(
  [
    '^(?:на|за|вы|до|от|по|о|у|раз|рас|при|про|пере|ни|не|с|съ|под)?пизд',
    '^(?:на|по|ни|о|за|от|до|вы|при)?ху[йеяию]',
    '^(?:на|за|вы|до|от|по|у|раз|разъ|взъ|при|про|пере|съ|долбо|недо)?[её]б(?:а|у|л|н|ы|ок|ан|ищ|и|ен)',
    '^бля(?:$|д|т|х)',
    '^(?:муда[кч]|мудил|гандон|пид[оа]р|шлюх|говн|дерьм|залуп|жоп)',
    '^сук(?:а|и|е|у|ой)?$',
    '^суч(?:ка|ки|ара|ий|ье)',
    '^(?:mother)?fuck',
    '^(?:bull)?shit',
    '^(?:bitch|cunt|asshole|dickhead|bastard|wanker|twat)',
  ].join('|'),
);

/** Laughter in its endless spellings: "ахахах", "хаха", "hahaha", "лоол". */
const LAUGH = /^(?:а?(?:ха){2,}х?|(?:ах){2,}а?|(?:хе){2,}|(?:ah|ha){2,}h?|lo+l|ло+л|ору)$/;

/** True for a word (lower case) that is laughter: "ахахах", "хаха", "hahaha", "лоол". */
export function isLaughter(word: string): boolean {
  return LAUGH.test(word);
}

const BY_WORD = new Map<string, number>();
const BY_STEM = new Map<string, number>();
for (const [flags, list] of LISTS) {
  for (const word of list.split(/\s+/)) {
    if (word.length === 0) continue;
    BY_WORD.set(word, (BY_WORD.get(word) ?? 0) | flags);
    const stem = stemWord(word);
    // Very short stems ("да" → "д") would catch unrelated words; those stay exact-word only.
    if (stem.length >= 3) BY_STEM.set(stem, (BY_STEM.get(stem) ?? 0) | flags);
  }
}

/**
 * The {@link WordFlag}s of one word (lower case, ё folded), from the exact
 * word first, then its stem, plus profanity by root.
 */
export function lexicalFlags(word: string, stem: string): number {
  let flags = BY_WORD.get(word) ?? BY_STEM.get(stem) ?? 0;
  if (PROFANE.test(word)) flags |= WordFlag.profane | WordFlag.negative | WordFlag.informal;
  else if (flags === 0 && LAUGH.test(word)) flags = WordFlag.positive | WordFlag.informal;
  return flags;
}
