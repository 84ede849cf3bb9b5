import { describe, expect, it } from 'vitest';
import type {
  ErasedRows,
  ErasureRecord,
  MemberChats,
  MemberDataStore,
  MemberMemoryEraser,
  StoredMemberData,
} from '../../src/ports/index.js';
import { MemberDataNotFoundError, PrivacyEngine } from '../../src/privacy/index.js';
import { ManualClock } from '../../src/runtime/index.js';

const ADMIN = { tokenId: 't1', label: 'admin', role: 'admin' as const };

/** The tables of one member as plain data, with a switch that makes one step's call fail (a crash at that point). */
class FakeStore implements MemberDataStore {
  rows = new Map<number, number>();
  erasures: ErasureRecord[] = [];
  calls: string[] = [];
  failNext: string | null = null;
  oldMessages = 0;
  oldReplies = 0;

  private maybeFail(call: string): void {
    this.calls.push(call);
    if (this.failNext !== call) return;
    this.failNext = null;
    throw new Error(`${call} failed`);
  }
  async chatsOf(userId: number) {
    return this.rows.has(userId) ? [-1, -2, userId] : [userId];
  }
  async export(userId: number): Promise<StoredMemberData> {
    const n = this.rows.get(userId) ?? 0;
    return {
      user: null,
      memberships: [],
      messages: Array.from({ length: n }, (_, i) => ({
        chatId: -1,
        messageId: i,
        replyToMessageId: null,
        sentAt: '',
        text: 'x',
      })),
      memories: [],
      reminders: [],
      deadLetters: [],
    };
  }
  async flushAppends() {
    this.maybeFail('flushAppends');
  }
  async eraseRows(userId: number): Promise<ErasedRows> {
    this.maybeFail('eraseRows');
    const messages = this.rows.get(userId) ?? 0;
    this.rows.delete(userId);
    return { messages };
  }
  async openErasure(userId: number, pseudonym: string) {
    const record = { id: this.erasures.length + 1, userId, pseudonym, step: 0, requestedAtMs: 0, finishedAtMs: null };
    this.erasures.push(record);
    return { ...record };
  }
  async erasure(id: number) {
    const r = this.erasures.find((e) => e.id === id);
    return r === undefined ? undefined : { ...r };
  }
  async unfinishedErasures() {
    return this.erasures.filter((e) => e.finishedAtMs === null).map((e) => ({ ...e }));
  }
  async markStep(id: number, step: number) {
    const r = this.erasures.find((e) => e.id === id)!;
    r.step = Math.max(r.step, step);
  }
  async finishErasure(id: number) {
    const r = this.erasures.find((e) => e.id === id)!;
    r.userId = null;
    r.finishedAtMs = 1;
  }
  async pruneMessages(_beforeMs: number, limit: number) {
    const n = Math.min(limit, this.oldMessages);
    this.oldMessages -= n;
    return n;
  }
  async pruneReplies(_beforeMs: number, limit: number) {
    const n = Math.min(limit, this.oldReplies);
    this.oldReplies -= n;
    return n;
  }
  async pruneAudit() {
    return 0;
  }
}

function engine(store: FakeStore, options: { messagesDays?: number } = {}) {
  const forgotten: Array<[number, number]> = [];
  const memoryCalls: string[] = [];
  const chats: MemberChats = {
    exportFrom: async (chatId) => (chatId === -1 ? { chatId } : null),
    forget: async (chatId, userId) => {
      forgotten.push([chatId, userId]);
    },
  };
  const memories: MemberMemoryEraser = {
    forgetUser: async () => {
      memoryCalls.push('user');
      return 2;
    },
    forgetChat: async () => {
      memoryCalls.push('chat');
      return 1;
    },
  };
  const privacy = new PrivacyEngine({
    store,
    chats,
    memories,
    pseudonym: (v) => `p${v.length}`,
    clock: new ManualClock(0),
    retentionMessagesDays: options.messagesDays ?? 0,
    retentionAuditDays: 0,
    retentionBatch: 10,
  });
  return { privacy, forgotten, memoryCalls };
}

describe('PrivacyEngine', () => {
  it('erases in order: queued rows, chat states, memories, rows; then finishes the record without the id', async () => {
    const store = new FakeStore();
    store.rows.set(7, 3);
    const { privacy, forgotten, memoryCalls } = engine(store);
    const report = await privacy.erase(7, ADMIN);
    expect(store.calls).toEqual(['flushAppends', 'eraseRows']);
    expect(forgotten).toEqual([
      [-1, 7],
      [-2, 7],
      [7, 7],
    ]);
    expect(memoryCalls).toEqual(['user', 'chat']);
    expect(report).toMatchObject({ chats: 3, memories: 3, rows: { messages: 3 } });
    expect(store.erasures[0]).toMatchObject({ userId: null, step: 4, pseudonym: 'p1' });
  });

  it('resumes an erasure that failed midway at the first step not done, without redoing the others', async () => {
    const store = new FakeStore();
    store.rows.set(7, 3);
    const { privacy, forgotten, memoryCalls } = engine(store);
    store.failNext = 'eraseRows';
    await expect(privacy.erase(7, ADMIN)).rejects.toThrow('eraseRows failed');
    expect(store.erasures[0]).toMatchObject({ userId: 7, step: 3, finishedAtMs: null });
    expect(store.rows.get(7)).toBe(3);

    // A new engine (a restarted process) over the same store.
    const restarted = engine(store);
    expect(await restarted.privacy.resumeUnfinished()).toBe(1);
    expect(restarted.forgotten).toEqual([]);
    expect(restarted.memoryCalls).toEqual([]);
    expect(store.rows.has(7)).toBe(false);
    expect(store.erasures[0]).toMatchObject({ userId: null, step: 4 });
    expect(forgotten).toHaveLength(3);
    expect(memoryCalls).toEqual(['user', 'chat']);
  });

  it('erases a second time without error, finding nothing', async () => {
    const store = new FakeStore();
    store.rows.set(7, 3);
    const { privacy } = engine(store);
    await privacy.erase(7, ADMIN);
    const again = await privacy.erase(7, ADMIN);
    expect(again.rows).toEqual({ messages: 0 });
  });

  it('refuses to export a user id with nothing stored (MEMBER_DATA_NOT_FOUND)', async () => {
    const { privacy } = engine(new FakeStore());
    await expect(privacy.exportMember(99)).rejects.toBeInstanceOf(MemberDataNotFoundError);
  });

  it('applies retention in batches until a batch comes back short; 0 days keeps everything', async () => {
    const store = new FakeStore();
    store.oldMessages = 25;
    store.oldReplies = 7;
    expect((await engine(store).privacy.applyRetention()).messages).toBe(0);
    expect(store.oldMessages).toBe(25);
    expect(store.oldReplies).toBe(7);
    expect(await engine(store, { messagesDays: 30 }).privacy.applyRetention()).toMatchObject({
      messages: 25,
      replies: 7,
    });
    expect(store.oldMessages).toBe(0);
  });

  it('refuses a negative or fractional retention at construction', () => {
    expect(() => engine(new FakeStore(), { messagesDays: -1 })).toThrow(/retentionMessagesDays/);
    expect(() => engine(new FakeStore(), { messagesDays: 1.5 })).toThrow(/retentionMessagesDays/);
  });
});
