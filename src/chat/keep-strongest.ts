import { emptyTable, setKeyCount } from './key-count.js';

/**
 * The `cap` entries of a record with the highest score, as a new record.
 * Bounded tables (favourite words, slang, the dynamics graph) grow past their
 * cap by some slack and are cut back with this in one batch, so the cost per
 * message stays constant and entries that keep coming back survive.
 */
export function keepStrongest<V>(
  record: Record<string, V>,
  cap: number,
  score: (value: V) => number,
): Record<string, V> {
  // Indexes sorted against a score array rather than [key, score] pairs: no allocation per entry. Ties keep
  // the record's order, as the stable sort of pairs did.
  const keys = Object.keys(record);
  const scores = new Float64Array(keys.length);
  const order = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    scores[i] = score(record[keys[i]!]!);
    order[i] = i;
  }
  order.sort((p, q) => scores[q]! - scores[p]! || p - q);
  const kept = emptyTable<V>();
  let count = 0;
  for (; count < order.length && count < cap; count++) {
    const key = keys[order[count]!]!;
    kept[key] = record[key]!;
  }
  setKeyCount(kept, count);
  return kept;
}
