import { stemWord } from '../../chat/index.js';

/**
 * The words of a member's text, lower case with `ё` as `е`: split at white
 * space and at punctuation other than what belongs to a word, an amount or a
 * currency sign (`-`, `.`, `,`, `$`, `€`, `₽`…).
 */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replaceAll('ё', 'е')
    .split(/[\s!?;:"«»()[\]{}/\\|*+=<>~`^]+/u)
    .map((word) => word.replace(/^[.,]+|[.,]+$/g, ''))
    .filter((word) => word !== '');
}

/** A phrase as the table compares it: its words' stems, so `биткоина` finds `биткоин` and `рублях` finds `рубль`. */
function keyOf(phrase: string): string {
  return wordsOf(phrase).map(stemWord).join(' ');
}

/**
 * Names in any grammatical form, each mapped to a value: a Russian word in
 * any case finds the entry one of its forms was written in (`эфира` →
 * `эфир`), and a phrase of several words finds an entry of as many
 * (`шиба ину`). Pure and built once.
 */
export class WordTable<T> {
  private readonly byKey = new Map<string, T>();
  private readonly shown: string[] = [];

  /** `entries`: the forms of each name (the first is the one {@link WordTable.names} lists) and its value. */
  constructor(entries: ReadonlyArray<readonly [readonly string[], T]>) {
    for (const [forms, value] of entries) {
      if (forms[0] !== undefined) this.shown.push(forms[0]);
      for (const form of forms) {
        const key = keyOf(form);
        if (key !== '' && !this.byKey.has(key)) this.byKey.set(key, value);
      }
    }
  }

  /** The value of the name `phrase` is a form of, if any. */
  get(phrase: string): T | undefined {
    return this.byKey.get(keyOf(phrase));
  }

  /** The first form of every entry, in table order: what to offer someone who asked for something unknown. */
  names(): readonly string[] {
    return this.shown;
  }
}
