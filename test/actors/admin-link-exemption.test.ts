import { describe, expect, it } from 'vitest';
import { chatActorHarness } from '../support/chat-actor-harness.js';
import { waitFor } from '../support/edge-harness.js';

const CHAT = -4242;
const ADMIN = { id: 7, firstName: 'Админ' };
const NEWCOMER = { id: 8, firstName: 'Новичок' };
const INVITE = 'заходите к нам: https://t.me/+AbCdEfGh12345';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('chat admins and the link filters', () => {
  it('lets an ordinary admin post an invite link, warns a newcomer who does, and asks Telegram once for the chat', async () => {
    const h = chatActorHarness({ admins: [ADMIN.id] });
    h.say(CHAT, INVITE, { from: ADMIN });
    h.say(CHAT, 'и ещё одна: https://t.me/+ZzYyXxWw98765', { from: ADMIN });
    h.say(CHAT, INVITE, { from: NEWCOMER });
    await waitFor('every update handled', async () => (await h.clock.advance(0), h.acked.length === 3));

    const state = await h.state(CHAT);
    expect(state.chat.counters.violations).toEqual({ invite: 1 });
    expect(h.egress.sent).toHaveLength(1);
    expect(h.egress.sent[0]!.replyTo).toBe(h.archive.messages.at(-1)!.messageId);
    // One list of the chat's admins answered for both members and both links.
    expect(h.adminChecks).toEqual([CHAT]);
  });

  it('holds later updates until Telegram answers, then handles them all in order', async () => {
    const answer = deferred<readonly number[]>();
    const h = chatActorHarness({ administrators: () => answer.promise });
    h.say(CHAT, INVITE, { from: ADMIN });
    h.say(CHAT, 'обычное сообщение', { from: NEWCOMER });
    h.say(CHAT, 'и ещё одно', { from: NEWCOMER });
    await h.clock.advance(0);
    expect(h.acked).toEqual([]);
    expect(h.archive.messages).toEqual([]);

    answer.resolve([ADMIN.id]);
    await waitFor('the held updates handled', async () => (await h.clock.advance(0), h.acked.length === 3));
    expect(h.acked).toEqual([1, 2, 3]);
    expect(h.archive.messages.map((m) => m.userId)).toEqual([ADMIN.id, NEWCOMER.id, NEWCOMER.id]);
    expect((await h.state(CHAT)).chat.counters.violations).toEqual({});
  });

  it('takes the member for a non-admin when Telegram cannot say, and goes on', async () => {
    const h = chatActorHarness({ administrators: () => Promise.reject(new Error('Telegram is down')) });
    h.say(CHAT, INVITE, { from: ADMIN });
    h.say(CHAT, 'а тут без ссылок', { from: NEWCOMER });
    await waitFor('both handled', async () => (await h.clock.advance(0), h.acked.length === 2));
    expect((await h.state(CHAT)).chat.counters.violations).toEqual({ invite: 1 });
    // Not asked again at every link while Telegram is down: after a minute.
    h.say(CHAT, INVITE, { from: ADMIN });
    await waitFor('the next link handled', async () => (await h.clock.advance(0), h.acked.length === 3));
    expect(h.adminChecks).toHaveLength(1);
    await h.clock.advance(61_000);
    h.say(CHAT, INVITE, { from: ADMIN });
    await waitFor('asked again', async () => (await h.clock.advance(0), h.adminChecks.length === 2));
  });

  it('does not ask about links the allow-list covers, nor in private chats', async () => {
    const h = chatActorHarness({ admins: [ADMIN.id] });
    h.say(CHAT, 'код тут: https://github.com/lekha/lekha', { from: NEWCOMER });
    h.say(42, INVITE, { from: { id: 42, firstName: 'Личка' } });
    await waitFor('both handled', async () => (await h.clock.advance(0), h.acked.length === 2));
    expect(h.adminChecks).toEqual([]);
  });
});
