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
  const ranked = Object.keys(record)
    .map((key) => [key, score(record[key]!)] as const)
    .sort((p, q) => q[1] - p[1]);
  const kept: Record<string, V> = {};
  for (let i = 0; i < ranked.length && i < cap; i++) kept[ranked[i]![0]] = record[ranked[i]![0]]!;
  return kept;
}
