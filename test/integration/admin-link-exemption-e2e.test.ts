import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatState } from '../../src/actors/index.js';
import { type Harness, startHarness, waitFor } from '../support/edge-harness.js';

// Through the real runtime against the Bot API emulator: the owner of a
// group (the emulator's creator: its first member) posts an invite link and
// is not warned; a member who is not an admin posting the same is.

const GROUP = -7100;
const OWNER = { id: 71, firstName: 'Owner' };
const MEMBER = { id: 72, firstName: 'Member' };
const INVITE = 'залетайте: https://t.me/+AbCdEfGh12345';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({});
});

afterAll(async () => {
  await h?.close();
});

function chatState(): Promise<ChatState> {
  return h.runtime.supervisor.ask<ChatState>(GROUP, (reply) => ({ type: 'GetChatState', reply }));
}

describe('chat admins and the link filters, through the runtime', () => {
  it('lets the group owner post an invite link and warns the member who does', async () => {
    h.botApi.injectMessage({ chatId: GROUP, title: 'Links', from: OWNER, text: 'всем привет' });
    h.botApi.injectMessage({ chatId: GROUP, title: 'Links', from: MEMBER, text: 'привет' });
    await waitFor('both members seen', async () => (await chatState()).processedMessages === 2);

    h.botApi.injectMessage({ chatId: GROUP, title: 'Links', from: OWNER, text: INVITE });
    await waitFor('the owner link handled', async () => (await chatState()).processedMessages === 3);
    expect((await chatState()).chat.counters.violations).toEqual({});
    expect(h.botApi.sentTo(GROUP)).toEqual([]);

    h.botApi.injectMessage({ chatId: GROUP, title: 'Links', from: MEMBER, text: INVITE });
    await waitFor('the member warned', () => h.botApi.sentTo(GROUP).length === 1);
    expect((await chatState()).chat.counters.violations).toEqual({ invite: 1 });
  });
});
