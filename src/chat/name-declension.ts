const SIBILANT = /[жшчщц]$/;
const VELAR_OR_SIBILANT = /[гкхжшчщ]$/;

/**
 * The Russian case forms of a first name, the name itself first: what people
 * write when they call someone by it ("Лёха" → Лёхи, Лёхе, Лёху, Лёхой,
 * Лёхою, and the vocative Лёх). Covers the regular patterns of first names:
 * a hard consonant (Иван), -а and -я (Маша, Вася, Мария), -й and -ий
 * (Андрей, Василий) and -ь (Игорь). Anything else (Latin letters, -о, -и,
 * more than one word) is indeclinable and comes back alone. Lower case,
 * ё kept as written.
 */
export function declineName(name: string): string[] {
  const word = name.trim().toLowerCase();
  if (!/^[а-яё]+(?:-[а-яё]+)*$/.test(word) || word.length < 2) return [word];
  const stem = word.slice(0, -1);
  const last = word.slice(-1);
  let forms: string[];
  if (word.endsWith('ия')) {
    forms = [`${stem}и`, `${stem}ю`, `${stem}ей`, `${stem}ею`];
  } else if (last === 'а') {
    const softO = SIBILANT.test(stem) ? 'е' : 'о';
    forms = [
      `${stem}${VELAR_OR_SIBILANT.test(stem) ? 'и' : 'ы'}`,
      `${stem}е`,
      `${stem}у`,
      `${stem}${softO}й`,
      `${stem}${softO}ю`,
      stem,
    ];
  } else if (last === 'я') {
    forms = [`${stem}и`, `${stem}е`, `${stem}ю`, `${stem}ей`, `${stem}ею`, `${stem}ь`];
  } else if (word.endsWith('ий')) {
    forms = [`${stem}я`, `${stem}ю`, `${stem}ем`, `${stem}и`];
  } else if (last === 'й' || last === 'ь') {
    forms = [`${stem}я`, `${stem}ю`, `${stem}ем`, `${stem}е`];
  } else if (/[бвгджзклмнпрстфхцчшщ]/.test(last)) {
    forms = [`${word}а`, `${word}у`, `${word}${SIBILANT.test(word) ? 'ем' : 'ом'}`, `${word}е`];
  } else {
    forms = [];
  }
  return [...new Set([word, ...forms])];
}
