import { type Script, scriptOf, skeleton } from './obfuscation.js';

/**
 * Matches a chat's banned-word list against messages, seeing through the
 * usual disguises: look-alike letters of the other alphabet and digits,
 * repeated letters ("дууурак"), separators inside a word ("д.у.р.а.к") and
 * letters spaced apart ("д у р а к"). An entry matches whole words only;
 * `слово*` also matches any ending ("дурак*" → "дураки", "дураком"). Whole
 * words only, because matching inside words flags innocent ones
 * ("страхуй", "assistant").
 */
export class BannedWordMatcher {
  private readonly patterns: Array<{ script: Script; regex: RegExp; entries: string[] }> = [];

  constructor(readonly entries: readonly string[]) {
    for (const script of ['cyrillic', 'latin'] as const) {
      const own = entries.filter((e) => scriptOf(e) === script);
      if (own.length === 0) continue;
      const alternatives = own.map((entry) => {
        const prefix = entry.endsWith('*');
        const letters = skeleton(prefix ? entry.slice(0, -1) : entry, script);
        const body = [...letters].map((ch) => `${escapeRegex(ch)}+`).join('');
        return prefix ? `(${body})` : `(${body}$)`;
      });
      this.patterns.push({ script, regex: new RegExp(`^(?:${alternatives.join('|')})`, 'u'), entries: own });
    }
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** The first banned entry the text contains, or null. */
  match(text: string): string | null {
    if (this.patterns.length === 0) return null;
    const chunks = text.split(/\s+/).filter((c) => c.length > 0);
    for (const { script, regex, entries } of this.patterns) {
      const skeletons = chunks.map((c) => skeleton(c, script));
      for (const candidate of withSpacedLettersJoined(skeletons)) {
        const m = regex.exec(candidate);
        if (m === null) continue;
        const index = m.slice(1).findIndex((g) => g !== undefined);
        return entries[index] ?? entries[0]!;
      }
    }
    return null;
  }
}

/** The chunks themselves plus every run of three or more single letters glued together. */
function withSpacedLettersJoined(skeletons: readonly string[]): string[] {
  const out = skeletons.filter((s) => s.length > 0);
  let run = '';
  let runLength = 0;
  for (const s of [...skeletons, '']) {
    if (s.length === 1) {
      run += s;
      runLength++;
      continue;
    }
    if (runLength >= 3) out.push(run);
    run = '';
    runLength = 0;
  }
  return out;
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
