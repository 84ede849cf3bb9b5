import { describe, expect, it } from 'vitest';
import { completeReply, patchChatSettings, processMessage } from '../../src/chat/index.js';
import { BOT_ID, ChatDriver, pipelineContext } from './support/chat-fixture.js';

const anna = { id: 11, name: 'Аня', username: 'anna', isBot: false };
const boris = { id: 22, name: 'Борис', username: 'boris', isBot: false };
const frank = { id: 55, name: 'Frank' };

describe('reply decisions', () => {
  it.each([
    ['Лёха, привет!', 'name'],
    ['а что Лёхе подарим?', 'name'],
    ['@lekha_bot скажи', 'mention'],
    ['Lekha, you there?', 'name'],
  ])('answers %j (%s)', (text, trigger) => {
    const driver = new ChatDriver();
    const { result } = driver.say(anna, text);
    expect(result.decision).toMatchObject({ kind: 'reply', plan: { trigger } });
  });

  it('answers a reply to its own message and a text_mention of it', () => {
    const driver = new ChatDriver();
    const t = driver.say(anna, 'Лёха, привет');
    const botMsg = driver.botMessageId();
    completeReply(
      driver.state,
      { triggerId: t.id, sent: true, text: 'Здорово!', botMessageId: botMsg },
      driver.nowMs,
      BOT_ID,
    );
    expect(driver.say(boris, 'ахаха, точно', { replyTo: botMsg }).result.decision).toMatchObject({
      kind: 'reply',
      plan: { trigger: 'reply-to-bot' },
    });
    const d2 = new ChatDriver();
    expect(d2.say(anna, 'спроси его', { mentioned: [BOT_ID] }).result.decision).toMatchObject({
      kind: 'reply',
      plan: { trigger: 'mention' },
    });
  });

  it('answers every message in a private chat, in its language', () => {
    const driver = new ChatDriver(pipelineContext(), 'private');
    expect(driver.say(frank, 'hi, how are you?').result.decision).toMatchObject({
      kind: 'reply',
      plan: { trigger: 'private', language: 'en' },
    });
  });

  it("answers in the chat's fixed language whatever it is spoken to in, and follows the speaker again on auto", () => {
    const driver = new ChatDriver(pipelineContext(), 'private');
    driver.state.settings = patchChatSettings(driver.state.settings, { language: 'uk' });
    expect(driver.say(frank, 'hi, how are you?').result.decision).toMatchObject({
      plan: { trigger: 'private', language: 'uk' },
    });
    // A change that leaves the language out keeps it.
    driver.state.settings = patchChatSettings(driver.state.settings, { mode: 'active' });
    expect(driver.state.settings.language).toBe('uk');
    expect(() => patchChatSettings(driver.state.settings, { language: 'de' })).toThrow(/language/);
    const following = new ChatDriver(pipelineContext(), 'private');
    following.state.settings = patchChatSettings(driver.state.settings, { language: 'auto' });
    expect(following.say(frank, 'and what about tomorrow?').result.decision).toMatchObject({
      plan: { language: 'en' },
    });
  });

  it('stays quiet when nobody addresses it in silent mode, and joins in by the injected chance in active mode', () => {
    const quiet = new ChatDriver(pipelineContext(() => 0));
    quiet.state.settings = patchChatSettings(quiet.state.settings, { mode: 'silent' });
    expect(quiet.say(anna, 'кто-нибудь смотрел вчерашний матч?').result.decision).toEqual({
      kind: 'ignore',
      reason: 'not-addressed',
    });

    const rolls = [0.5, 0.05, 0.05];
    const active = new ChatDriver(pipelineContext(() => rolls.shift() ?? 0.99));
    active.state.settings = patchChatSettings(active.state.settings, { mode: 'active' });
    expect(active.say(anna, 'кто-нибудь смотрел вчерашний матч?').result.decision.kind).toBe('ignore');
    expect(active.say(boris, 'я смотрел, было огненно вообще').result.decision).toMatchObject({
      kind: 'reply',
      plan: { trigger: 'random' },
    });
    completeReply(active.state, { triggerId: 2, sent: false }, active.nowMs, BOT_ID);
    // Within the cooldown a lucky roll is not enough.
    expect(active.say(anna, 'а счёт какой был в итоге?').result.decision.kind).toBe('ignore');
  });

  it('never answers other bots, and ignores its own messages', () => {
    const driver = new ChatDriver();
    const other = processMessage(
      driver.state,
      {
        messageId: 50,
        chatKind: 'supergroup',
        from: { id: 9, name: 'OtherBot', isBot: true },
        text: 'Лёха, привет от бота',
      },
      driver.nowMs,
      driver.ctx,
    );
    expect(other.decision).toEqual({ kind: 'ignore', reason: 'not-addressed' });
    const own = processMessage(
      driver.state,
      { messageId: 51, chatKind: 'supergroup', from: { id: BOT_ID, name: 'Лёха', isBot: true }, text: 'Лёха тут' },
      driver.nowMs,
      driver.ctx,
    );
    expect(own.decision).toEqual({ kind: 'ignore', reason: 'own-message' });
  });

  it('never processes a redelivered message twice', () => {
    const driver = new ChatDriver();
    const msg = {
      messageId: 7,
      chatKind: 'supergroup' as const,
      from: { id: 1, name: 'Аня', isBot: false },
      text: 'Лёха, привет',
    };
    expect(processMessage(driver.state, msg, driver.nowMs, driver.ctx).decision.kind).toBe('reply');
    const again = processMessage(driver.state, msg, driver.nowMs + 1000, driver.ctx);
    expect(again.decision).toEqual({ kind: 'ignore', reason: 'duplicate' });
    expect(driver.state.members['1']!.messages).toBe(1);
    expect(driver.state.counters.duplicates).toBe(1);
  });

  it('warns a member over the rate limit once, then stays silent until the bucket refills', () => {
    const driver = new ChatDriver();
    driver.state.settings = patchChatSettings(driver.state.settings, {
      rateLimit: { capacity: 2, refillPerMinute: 1 },
    });
    const decisions = [];
    for (let i = 0; i < 5; i++) {
      const { id, result } = driver.say(anna, `Лёха, вопрос номер ${i}`, { afterMs: 1000 });
      decisions.push(
        result.decision.kind === 'answer'
          ? result.decision.cause
          : result.decision.kind === 'ignore'
            ? result.decision.reason
            : result.decision.kind,
      );
      if (result.decision.kind === 'reply')
        completeReply(driver.state, { triggerId: id, sent: false }, driver.nowMs, BOT_ID);
    }
    expect(decisions).toEqual(['reply', 'reply', 'rate-limit', 'rate-limited', 'rate-limited']);
    expect(driver.say(anna, 'Лёха, ну теперь-то?', { afterMs: 60_000 }).result.decision.kind).toBe('reply');
  });

  it('redacts personal data before anything is stored and reports only its kind', () => {
    const driver = new ChatDriver();
    const { result } = driver.say(anna, 'мой номер +7 916 123-45-67, пишите на anna@example.com');
    expect(result.redactedText).toBe('мой номер [phone], пишите на [email]');
    expect(result.events).toContainEqual({ type: 'PiiRedacted', kinds: ['phone', 'email'] });
    const stored = JSON.stringify(driver.state);
    expect(stored).not.toContain('916');
    expect(stored).not.toContain('anna@example.com');
    expect(stored).not.toContain('"example"');
  });

  it('warns about a filtered message once per interval, deletes it when the chat asks, and never answers it', () => {
    const driver = new ChatDriver();
    driver.state.settings = patchChatSettings(driver.state.settings, { onViolation: 'delete' });
    const spam = { id: 99, name: 'Новичок' };
    const first = driver.say(spam, 'Лёха, заходи к нам t.me/+FreeMoney');
    expect(first.result).toMatchObject({ deleteMessage: true, decision: { kind: 'answer', cause: 'violation' } });
    expect(first.result.violations).toEqual([{ kind: 'invite', detail: 't.me' }]);
    const second = driver.say(spam, 'Лёха, ну зайди t.me/+FreeMoney2');
    expect(second.result).toMatchObject({ deleteMessage: true, decision: { kind: 'ignore', reason: 'filtered' } });
    expect(driver.state.history).toEqual([]);
  });

  it('records new members joining', () => {
    const driver = new ChatDriver();
    const result = processMessage(
      driver.state,
      {
        messageId: 1,
        chatKind: 'supergroup',
        from: anna,
        text: '',
        newMembers: [{ id: 77, name: 'Гость', isBot: false }],
      },
      driver.nowMs,
      driver.ctx,
    );
    expect(result.decision).toEqual({ kind: 'ignore', reason: 'service' });
    expect(result.events).toContainEqual({ type: 'MemberJoined', userId: 77 });
    expect(driver.state.members['77']!.joinedMs).toBe(driver.nowMs);
  });
});

describe('commands', () => {
  it('hands a command to the plugin that has it, with what followed it and who asked', () => {
    const driver = new ChatDriver();
    const asked = driver.say(anna, '/stats@lekha_bot   @boris ', {
      replyTo: driver.say(boris, 'привет').id,
      admin: true,
    });
    expect(asked.result.decision).toEqual({
      kind: 'plugin',
      call: expect.objectContaining({
        plugin: 'stats',
        command: 'stats',
        args: '@boris',
        messageId: asked.id,
        from: expect.objectContaining({ id: anna.id }),
        replyTo: { messageId: asked.id - 1, fromId: boris.id },
        chatKind: 'supergroup',
        language: 'ru',
        senderIsAdmin: true,
      }),
    });
    // Commands are bot business: they stay out of the history.
    expect(driver.state.history.map((h) => h.id)).toEqual([asked.id - 1]);
  });

  it('hands "what did I miss?" and "remind me" in words to the plugins whose phrases they are, only when said to the bot', () => {
    const driver = new ChatDriver();
    driver.say(anna, 'всем привет');
    expect(driver.say(boris, 'Лёха, что тут было?').result.decision).toMatchObject({
      kind: 'plugin',
      call: { plugin: 'summary', command: 'summary', args: 'Лёха, что тут было?', via: 'phrase' },
    });
    expect(driver.say(anna, 'Лёха, напомни через 10 минут выключить плиту').result.decision).toMatchObject({
      kind: 'plugin',
      call: { plugin: 'reminders', command: 'remind', via: 'phrase' },
    });
    // Between members it is conversation, not a request to the bot.
    expect(driver.say(anna, 'Боря, напомни через 10 минут выключить плиту').result.decision).toMatchObject({
      kind: 'ignore',
    });
    expect(driver.say(boris, 'что тут было без меня?').result.decision).toMatchObject({ kind: 'ignore' });
  });

  it("answers an unknown command and one whose plugin is off in the chat, in the member's language", () => {
    const driver = new ChatDriver();
    driver.say(anna, 'всем привет');
    expect(driver.say(anna, '/weather').result.decision).toMatchObject({
      kind: 'answer',
      cause: 'command',
      text: expect.stringContaining('Команды /weather я не знаю'),
    });
    driver.say(frank, 'hello everyone');
    expect(driver.say(frank, '/weather').result.decision).toMatchObject({
      kind: 'answer',
      text: expect.stringContaining("I don't know /weather"),
    });
    driver.state.plugins = { top: { enabled: false } };
    expect(driver.say(anna, '/top').result.decision).toMatchObject({
      kind: 'answer',
      cause: 'command',
      text: expect.stringContaining('/top в этом чате выключена'),
    });
  });

  it('treats every command as unknown without a command table', () => {
    const driver = new ChatDriver({ ...pipelineContext(), commands: undefined });
    expect(driver.say(anna, '/help').result.decision).toMatchObject({
      kind: 'answer',
      text: expect.stringContaining('Команды /help я не знаю'),
    });
  });
});
