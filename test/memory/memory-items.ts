import type { MemoryItem } from '../../src/ports/index.js';

/** A memory item of id `id` (a message from member 7, at id seconds), as a shard holds it. */
export function memoryItem(id: number, extra: Partial<MemoryItem> = {}): MemoryItem {
  return {
    id,
    kind: 'message',
    text: `memory ${id}`,
    fromId: 7,
    ms: 1_000 * id,
    feedback: 0,
    messageId: id,
    recalledIds: [],
    revision: id,
    ...extra,
  };
}
