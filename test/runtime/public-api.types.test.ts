import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ChatMsg,
  chatOverflowPolicy,
  type ChatState,
  type GetChatState,
  type GetSettings,
  type ReplyReady,
  type UpdateReceived,
} from '../../src/actors/index.js';
import type { ChatSettings } from '../../src/chat/index.js';
import type { LlmReply } from '../../src/llm/index.js';
import {
  Actor,
  ManualClock,
  type Message,
  type Outcome,
  type OverflowPolicy,
  type Reply,
  type SideEffect,
} from '../../src/runtime/index.js';
import {
  type ShutdownReport,
  Supervisor,
  type SupervisorOptions,
  type SupervisorStats,
} from '../../src/supervisor/index.js';

/*
 * The public actor API as its users write against it. The type assertions
 * are checked by the typecheck (`npm run typecheck` covers test/); the one
 * round trip below runs in the test suite.
 */

type TallyMsg =
  { type: 'Add'; n: number } | { type: 'Total'; reply: Reply<number> } | { type: 'Fetched'; outcome: Outcome<number> };

class Tally extends Actor<TallyMsg, { total: number }> {
  constructor(private total: number) {
    super();
  }

  receive(msg: TallyMsg): void {
    switch (msg.type) {
      case 'Add':
        this.total += msg.n;
        this.markDirty();
        this.pipe(Promise.resolve(msg.n), (outcome) => {
          expectTypeOf(outcome).toEqualTypeOf<Outcome<number>>();
          return { type: 'Fetched', outcome };
        });
        return;
      case 'Total':
        msg.reply.resolve(this.total);
        return;
      case 'Fetched':
        return;
    }
  }

  snapshot(): { total: number } {
    return { total: this.total };
  }
}

describe('public actor API', () => {
  it('an Actor is a synchronous receive of its own messages plus a snapshot of its own state', () => {
    expectTypeOf<Actor<TallyMsg, { total: number }>['receive']>().toEqualTypeOf<(msg: TallyMsg) => void>();
    expectTypeOf<Actor<TallyMsg, { total: number }>['snapshot']>().toEqualTypeOf<() => { total: number }>();
    expectTypeOf<Actor<TallyMsg>['onStart']>().toEqualTypeOf<() => void>();
    expectTypeOf<Actor<TallyMsg>['onStop']>().toEqualTypeOf<() => void>();
    expectTypeOf<Tally>().toExtend<Actor<TallyMsg, { total: number }>>();
    // A message is anything tagged by a string `type`.
    expectTypeOf<{ type: 'Add'; n: number }>().toExtend<Message>();
    expectTypeOf<{ kind: 'Add' }>().not.toExtend<Message>();
    // pipe, after, every and markDirty are for the actor itself, not for its callers.
    expectTypeOf<Tally>().not.toHaveProperty('pipe');
    expectTypeOf<Tally>().not.toHaveProperty('markDirty');
  });

  it('side effects get an abort signal and come back as an Outcome that narrows on ok', () => {
    expectTypeOf<SideEffect<string>>().toEqualTypeOf<(signal: AbortSignal) => Promise<string>>();
    const outcome = { ok: true, value: 'x' } as Outcome<string>;
    if (outcome.ok) expectTypeOf(outcome.value).toEqualTypeOf<string>();
    else expectTypeOf(outcome.error).toEqualTypeOf<unknown>();
    expectTypeOf<Reply<number>['resolve']>().parameters.toEqualTypeOf<[number]>();
    expectTypeOf<Reply<number>['reject']>().parameters.toEqualTypeOf<[unknown]>();
  });

  it('a Supervisor tells and asks by its key type and its message union only', () => {
    type Chats = Supervisor<number, ChatMsg, ChatState>;
    expectTypeOf<Chats['tell']>().toEqualTypeOf<(key: number, msg: ChatMsg) => void>();
    expectTypeOf<Chats['stats']>().returns.toEqualTypeOf<SupervisorStats<number>>();
    expectTypeOf<Chats['shutdown']>().returns.toEqualTypeOf<Promise<ShutdownReport>>();
    expectTypeOf<SupervisorOptions<number, ChatMsg, ChatState>['create']>().returns.toExtend<
      Actor<ChatMsg, ChatState>
    >();

    const chats = {} as Chats;
    const settings = () => chats.ask<ChatSettings>(-100, (reply) => ({ type: 'GetSettings', reply }));
    expectTypeOf(settings).returns.toEqualTypeOf<Promise<ChatSettings>>();
    const state = () => chats.ask<ChatState>(-100, (reply): GetChatState => ({ type: 'GetChatState', reply }));
    expectTypeOf(state).returns.toEqualTypeOf<Promise<ChatState>>();
    const refused = () => {
      // @ts-expect-error a chat is keyed by its numeric Telegram id
      chats.tell('-100', { type: 'TypingDue' });
      // @ts-expect-error not a chat message
      chats.tell(-100, { type: 'Nope' });
      // @ts-expect-error GetSettings answers with settings, not a number
      void chats.ask<number>(-100, (reply) => ({ type: 'GetSettings', reply }));
    };
    expectTypeOf(refused).returns.toBeVoid();
  });

  it('ChatMsg is a union discriminated by type, and the overflow policy covers all of it', () => {
    expectTypeOf<ChatMsg['type']>().toEqualTypeOf<
      | 'UpdateReceived'
      | 'AdminsListed'
      | 'AnomalyActionDone'
      | 'ReplyReady'
      | 'ReplySent'
      | 'ReplyRetryDue'
      | 'ToolRan'
      | 'ToolsTimedOut'
      | 'TypingDue'
      | 'AnswerSent'
      | 'PluginDone'
      | 'PluginPost'
      | 'MemoriesRecalled'
      | 'RecallTimedOut'
      | 'MemoryDone'
      | 'FlaggedDeleted'
      | 'GetLastPrompt'
      | 'GetChatState'
      | 'GetChatReport'
      | 'GetUserAnalytics'
      | 'GetMembers'
      | 'GetSettings'
      | 'SetMode'
      | 'PatchSettings'
      | 'GetPluginChoices'
      | 'ChoosePlugin'
      | 'GetChatView'
      | 'GetPluginData'
      | 'UpdatePluginData'
      | 'GetMemberData'
      | 'ForgetMember'
      | 'GetStyle'
      | 'ResetStyle'
    >();
    expectTypeOf<Extract<ChatMsg, { type: 'UpdateReceived' }>>().toEqualTypeOf<UpdateReceived>();
    expectTypeOf<Extract<ChatMsg, { type: 'ReplyReady' }>['outcome']>().toEqualTypeOf<Outcome<LlmReply>>();
    expectTypeOf<Extract<ChatMsg, { type: 'GetSettings' }>>().toEqualTypeOf<GetSettings>();
    expectTypeOf<ReplyReady>().toExtend<ChatMsg>();
    expectTypeOf(chatOverflowPolicy).toEqualTypeOf<(msg: ChatMsg) => OverflowPolicy>();
  });

  it('answers an ask with the type the reply channel was built for', async () => {
    const supervisor = new Supervisor<string, TallyMsg, { total: number }>({
      create: (_key, state) => new Tally(state?.total ?? 0),
      clock: new ManualClock(),
    });
    supervisor.tell('a', { type: 'Add', n: 2 });
    supervisor.tell('a', { type: 'Add', n: 3 });
    const total = supervisor.ask<number>('a', (reply) => ({ type: 'Total', reply }));
    expectTypeOf(total).toEqualTypeOf<Promise<number>>();
    expect(await total).toBe(5);
    await supervisor.shutdown();
  });
});
