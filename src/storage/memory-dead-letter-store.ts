import type { DeadLetter, DeadLetterStore, NewDeadLetter } from '../ports/index.js';

/** Dead letters kept in the process, for a runtime without storage (they last as long as its chat state does). */
export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly letters = new Map<number, DeadLetter>();
  private nextId = 1;

  async add(letter: NewDeadLetter): Promise<void> {
    for (const [id, kept] of this.letters) {
      if (kept.chatId === letter.chatId && kept.updateId === letter.updateId) this.letters.delete(id);
    }
    const id = this.nextId++;
    this.letters.set(id, { ...letter, id });
  }

  async list(query: { chatId?: number; afterId?: number; limit: number }): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const letter of this.letters.values()) {
      if (out.length === query.limit) break;
      if (letter.id <= (query.afterId ?? 0)) continue;
      if (query.chatId !== undefined && letter.chatId !== query.chatId) continue;
      out.push(letter);
    }
    return out;
  }

  async get(id: number): Promise<DeadLetter | undefined> {
    return this.letters.get(id);
  }

  async remove(id: number): Promise<boolean> {
    return this.letters.delete(id);
  }

  async count(): Promise<number> {
    return this.letters.size;
  }
}
