/**
 * `list` with `item` added last and the oldest entries dropped beyond `cap`,
 * as a new array of exactly that length. For the state's short lists that
 * grow now and then (answered triggers, the bot's recent replies, the hourly
 * mood, hostile pairs): an array pushed to keeps room for half its length
 * plus 16 more entries, which for a chat's handful was most of each list's
 * bytes. Lists that grow with every message (history, fingerprints) are
 * pushed to: copying them on every message would cost more than the room.
 */
export function withLast<T>(list: readonly T[], item: T, cap: number): T[] {
  const kept = list.length < cap ? list : list.slice(list.length - cap + 1);
  return kept.concat([item]);
}
