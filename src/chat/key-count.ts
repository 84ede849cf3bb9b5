/**
 * Key counts of the bounded tables (favourite words, chat words and phrases,
 * the dynamics graph), known without enumerating them: these tables are
 * dictionary-mode objects, where `Object.keys(table).length` sorts every key
 * by insertion order and costs more than the rest of a message's analytics,
 * and the pipeline asks on every 16th to 64th message.
 *
 * The count lives on the table itself under a non-enumerable symbol, so
 * encoding, copies, `Object.keys` and equality checks never see it, and a
 * table decoded from a snapshot or copied simply has none and is counted
 * once. Code that adds a key to a counted table calls {@link countNewKey};
 * keys deleted elsewhere only make the count too high, which the next check
 * corrects by counting.
 */
const KEY_COUNT = Symbol('keyCount');

interface Counted {
  [KEY_COUNT]?: number;
}

/** Notes that a key was just added to `table`. */
export function countNewKey(table: object): void {
  const counted = table as Counted;
  const count = counted[KEY_COUNT];
  if (count !== undefined) counted[KEY_COUNT] = count + 1;
}

/** Whether `table` has more than `limit` own enumerable keys. */
export function hasMoreKeysThan(table: object, limit: number): boolean {
  const count = (table as Counted)[KEY_COUNT];
  if (count !== undefined && count <= limit) return false;
  const exact = Object.keys(table).length;
  setKeyCount(table, exact);
  return exact > limit;
}

/** Records the key count of a table just built (or counted). */
export function setKeyCount(table: object, count: number): void {
  const counted = table as Counted;
  if (counted[KEY_COUNT] !== undefined) counted[KEY_COUNT] = count;
  // A frozen or sealed table is left uncounted: it is counted on every check, as before.
  else if (Object.isExtensible(table))
    Object.defineProperty(table, KEY_COUNT, { value: count, writable: true, enumerable: false, configurable: true });
}

/**
 * An empty table for string keys (favourite words, slang, phrases, edges,
 * members, anomaly tracks) that V8 keeps in dictionary mode from the start. A fast-mode object that
 * gets its keys one by one builds a hidden class per key, and each table's
 * keys are its own: a chat of the footprint bench held 5.4 such classes
 * (2.2 KiB) for its members' words alone, until a table passed a dozen keys
 * and became a dictionary anyway.
 */
export function emptyTable<V>(): Record<string, V> {
  const table: Record<string, V> = {};
  // Deleting a property other than the last one added makes V8 switch the object to dictionary mode.
  (table as Record<string, unknown>).a = 0;
  (table as Record<string, unknown>).b = 0;
  delete table.a;
  delete table.b;
  return table;
}

/** `record`'s entries in a table made by {@link emptyTable}, counted: how a table read from a snapshot goes on. */
export function tableOf<V>(record: Record<string, V>): Record<string, V> {
  const table = emptyTable<V>();
  const keys = Object.keys(record);
  for (const key of keys) table[key] = record[key]!;
  setKeyCount(table, keys.length);
  return table;
}
