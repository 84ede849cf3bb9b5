/**
 * "Have the effects of this key's turns become durable?" The ingress asks
 * before it confirms an update to Telegram, and the chat actor asks before it
 * sends a reply it has recorded as being sent. Storage's write-behind
 * (`afterFlush`) satisfies it; until storage is wired, state lives only in
 * memory and {@link immediateDurability} answers at once.
 */
export interface Durability<K> {
  /**
   * Resolves once every change made to `key`'s actor before the call is
   * durable. May return nothing when that is already true (no allocation on
   * the hot path); rejects when persisting failed.
   */
  afterFlush(key: K): Promise<void> | void;
}

/** State is not persisted anywhere: what is in memory is as durable as it gets. */
export const immediateDurability: Durability<unknown> = {
  afterFlush: () => undefined,
};
