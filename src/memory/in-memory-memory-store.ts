import type { FeedbackUpdate, IndexStamp, MemoryItem, MemoryStore, NewMemory } from '../ports/index.js';

interface Row {
  item: MemoryItem;
  embedder: string;
}

/**
 * A {@link MemoryStore} in the process's memory, for runs without a
 * database (tests, benches, `persistence: null`): memories last as long as
 * the process. Vectors are not kept: the chat's index in its shard holds
 * them already (a second copy here cost about 1.5 KB per memory), and an
 * index lost with a crashed shard is rebuilt by embedding the texts again
 * (`load` answers `vectors: null`).
 */
export class InMemoryMemoryStore implements MemoryStore {
  private readonly chats = new Map<number, Map<number, Row>>();
  private sequence = 0;

  insert(rows: readonly NewMemory[]): Promise<MemoryItem[]> {
    return Promise.resolve(
      rows.flatMap((row) => {
        if (
          row.messageId !== 0 &&
          [...this.chat(row.chatId).values()].some(
            (r) => r.item.messageId === row.messageId && r.item.kind === row.kind,
          )
        )
          return [];
        const id = ++this.sequence;
        const item: MemoryItem = {
          id,
          kind: row.kind,
          text: row.text,
          fromId: row.fromId,
          ms: row.ms,
          feedback: 0,
          messageId: row.messageId,
          recalledIds: [...row.recalledIds],
          revision: id,
        };
        this.chat(row.chatId).set(id, { item, embedder: row.embedder });
        return [{ ...item }];
      }),
    );
  }

  stamp(chatId: number, embedder: string): Promise<IndexStamp> {
    let maxRevision = 0;
    let live = 0;
    for (const row of this.chat(chatId).values()) {
      if (row.embedder !== embedder) continue;
      live++;
      maxRevision = Math.max(maxRevision, row.item.revision);
    }
    return Promise.resolve({ maxRevision, live });
  }

  load(chatId: number, embedder: string): Promise<{ items: MemoryItem[]; vectors: null }> {
    const rows = [...this.chat(chatId).values()].filter((r) => r.embedder === embedder);
    return Promise.resolve({
      items: rows.map((r) => ({ ...r.item, recalledIds: [...r.item.recalledIds] })),
      vectors: null,
    });
  }

  prune(chatId: number, maxCount: number, beforeMs: number): Promise<number[]> {
    const rows = [...this.chat(chatId).values()].sort((a, b) => b.item.ms - a.item.ms || b.item.id - a.item.id);
    const doomed = rows.filter((r, rank) => rank >= maxCount || r.item.ms < beforeMs).map((r) => r.item.id);
    for (const id of doomed) this.chat(chatId).delete(id);
    return Promise.resolve(doomed);
  }

  forgetUser(userId: number, chatId?: number): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    for (const [chat, rows] of this.chats) {
      if (chatId !== undefined && chat !== chatId) continue;
      const ids = [...rows.values()]
        .filter((r) => r.item.fromId === userId && r.item.kind !== 'bot')
        .map((r) => r.item.id);
      for (const id of ids) rows.delete(id);
      if (ids.length > 0) out.set(chat, ids);
    }
    return Promise.resolve(out);
  }

  addFeedback(chatId: number, messageId: number, delta: number): Promise<FeedbackUpdate[]> {
    const rows = this.chat(chatId);
    const reply = [...rows.values()].find((r) => r.item.kind === 'bot' && r.item.messageId === messageId);
    if (reply === undefined || delta === 0) return Promise.resolve([]);
    const targets = [
      reply,
      ...reply.item.recalledIds.map((id) => rows.get(id)).filter((r): r is Row => r !== undefined),
    ];
    return Promise.resolve(
      targets.map((r) => {
        r.item.feedback += delta;
        r.item.revision = ++this.sequence;
        return { id: r.item.id, feedback: r.item.feedback, revision: r.item.revision };
      }),
    );
  }

  private chat(chatId: number): Map<number, Row> {
    let rows = this.chats.get(chatId);
    if (rows === undefined) this.chats.set(chatId, (rows = new Map()));
    return rows;
  }
}
