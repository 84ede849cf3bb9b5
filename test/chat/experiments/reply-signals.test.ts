import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChatState,
  ChatStateInvalidError,
  createChatState,
  forgetMember,
  messageSignals,
  RECENT_REPLIES,
  recentReply,
  rememberReply,
  restoreChatState,
} from '../../../src/chat/index.js';
import { Codec } from '../../../src/runtime/index.js';

const T0 = 1_700_000_000_000;

function withReplies(...authors: number[]): ChatState {
  const state = createChatState(-1, 'group', T0);
  authors.forEach((authorId, i) =>
    rememberReply(state, { id: 100 + i, triggerId: 50 + i, authorId, sentMs: T0 + i, windowMs: 600_000 }),
  );
  return state;
}

const message = (
  fromId: number,
  { feedback = 0, ...o }: Partial<Omit<Parameters<typeof messageSignals>[1], 'feedback'>> & { feedback?: number } = {},
) => ({
  fromId,
  replyToId: null,
  quoted: false,
  feedback: () => feedback,
  nowMs: T0 + 60_000,
  ...o,
});

describe('signals on the bot’s recent replies', () => {
  it('gives a reply and a quote on the reply answered, whoever answers, but no follow-up for a reply', () => {
    const state = withReplies(1);
    expect(messageSignals(state, message(2, { replyToId: 100, quoted: true, feedback: -1 }))).toEqual([
      { messageId: 100, kind: 'reply', value: -1 },
      { messageId: 100, kind: 'quote', value: 1 },
    ]);
    expect(messageSignals(state, message(1, { replyToId: 100, feedback: 1 }))).toEqual([
      { messageId: 100, kind: 'reply', value: 1 },
      { messageId: 100, kind: 'continued', value: 1 },
    ]);
    expect(recentReply(state, 100)).toMatchObject({ followedUp: false, continued: true });
  });

  it('gives a follow-up on the author’s latest reply only, and going on talking on each of theirs in its window', () => {
    const state = withReplies(1, 2, 1);
    expect(messageSignals(state, message(1, { feedback: 1 }))).toEqual([
      { messageId: 102, kind: 'followup', value: 1 },
      { messageId: 100, kind: 'continued', value: 1 },
      { messageId: 102, kind: 'continued', value: 1 },
    ]);
    expect(messageSignals(state, message(1, { feedback: -1 }))).toEqual([]);
  });

  it('gives nothing for replies it does not know or a window that has passed', () => {
    const state = withReplies(1);
    expect(messageSignals(state, message(2, { replyToId: 7, feedback: 1 }))).toEqual([]);
    expect(messageSignals(state, message(1, { feedback: 1, nowMs: T0 + 600_000 }))).toEqual([]);
    expect(messageSignals(createChatState(-1, 'group', T0), message(1, { feedback: 1 }))).toEqual([]);
  });

  it('keeps the latest replies only, however many are sent', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 120 }), (authors) => {
        const state = withReplies(...authors);
        const kept = state.replies ?? [];
        expect(kept.length).toBe(Math.min(authors.length, RECENT_REPLIES));
        expect(kept.map((r) => r.id)).toEqual(
          authors.map((_, i) => 100 + i).slice(Math.max(0, authors.length - RECENT_REPLIES)),
        );
      }),
    );
  });

  it('forgets the replies to a member who is erased', () => {
    const state = withReplies(1, 2);
    expect(forgetMember(state, 1, T0)).toBe(true);
    expect(state.replies?.map((r) => r.authorId)).toEqual([2]);
  });

  it('survives a snapshot round trip; a state written before replies were kept reads without them; too many is corrupt', () => {
    const codec = new Codec();
    const state = withReplies(1, 2);
    messageSignals(state, message(1, { feedback: 1 }));
    expect(restoreChatState(codec.decode(codec.encode(state)))).toEqual(state);
    const { replies: _replies, ...older } = state;
    expect(restoreChatState(codec.decode(codec.encode(older))).replies).toBeUndefined();
    const crowded = withReplies(1);
    crowded.replies = Array.from({ length: RECENT_REPLIES + 1 }, () => ({ ...crowded.replies![0]! }));
    expect(() => restoreChatState(crowded)).toThrow(ChatStateInvalidError);
  });
});
