import { describe, expect, it } from 'vitest';
import { createChatState, DEFAULT_CHAT_SETTINGS, patchChatSettings } from '../../src/chat/index.js';
import { findLinks, linkAllowed } from '../../src/chat/link-guard.js';
import { runFilters } from '../../src/chat/message-filters.js';
import { newMember } from '../../src/chat/member-profiles.js';
import { rules, T0 } from './support/chat-fixture.js';

function setup(messagesSoFar = 50, settings = DEFAULT_CHAT_SETTINGS) {
  const state = createChatState(-5, 'supergroup', T0, settings);
  const member = newMember({ id: 7, name: 'Вася', isBot: false }, T0, state.settings);
  member.messages = messagesSoFar;
  return { state, member };
}

function kinds(text: string, messagesSoFar = 50, settings = DEFAULT_CHAT_SETTINGS, admin = false): string[] {
  const { state, member } = setup(messagesSoFar, settings);
  return runFilters(text, member, state.chat, state.settings, admin, T0, rules).violations.map((v) => v.kind);
}

describe('link and invite filter', () => {
  it.each([
    ['Заходите к нам: t.me/+AbCdEf123', 'invite'],
    ['вступай https://t.me/joinchat/XyZ', 'invite'],
    ['наш канал t.me/cryptosignals_pro', 'invite'],
    ['join discord.gg/abc123 now', 'invite'],
    ['chat.whatsapp.com/Kx1 тут все', 'invite'],
  ])('flags the invite in %j from a trusted member', (text, kind) => {
    expect(kinds(text)).toEqual([kind]);
  });

  it('flags any outside link from a member not yet trusted', () => {
    expect(kinds('лучшие цены тут: best-deals.xyz/promo', 2)).toEqual(['link']);
    expect(kinds('смотри www.example.org', 2)).toEqual(['link']);
  });

  it('leaves links alone in a private chat, where only the bot reads them', () => {
    const state = createChatState(42, 'private', T0, DEFAULT_CHAT_SETTINGS);
    const member = newMember({ id: 42, name: 'Вася', isBot: false }, T0, state.settings);
    const found = runFilters(
      '/feed add https://best-deals.xyz/rss a.com b.net',
      member,
      state.chat,
      state.settings,
      false,
      T0,
      rules,
    );
    expect(found.violations).toEqual([]);
  });

  it('lets trusted members share ordinary links', () => {
    expect(kinds('смотри example.org/page', 50)).toEqual([]);
  });

  it('flags three or more outside links in one message even from trusted members', () => {
    expect(kinds('a.com b.net c.org', 50)).toEqual(['link']);
  });

  it('never treats allow-listed links or an e-mail domain as spam', () => {
    expect(kinds('видос youtube.com/watch?v=1', 0)).toEqual([]);
    expect(kinds('код на github.com/lekha/bot', 0)).toEqual([]);
    expect(kinds('пиши на vasya@gmail.com', 0)).toEqual([]);
  });

  it('allows an invite to a chat on the allow-list', () => {
    const settings = patchChatSettings(DEFAULT_CHAT_SETTINGS, { links: { allow: ['t.me/our_channel'] } });
    expect(kinds('наш канал: t.me/our_channel', 50, settings)).toEqual([]);
    expect(kinds('не наш: t.me/other_channel', 50, settings)).toEqual(['invite']);
  });

  it('lets admins post invites', () => {
    expect(kinds('t.me/+AbCdEf123', 0, DEFAULT_CHAT_SETTINGS, true)).toEqual([]);
  });

  it('finds links in any case, with a scheme and no dot, or under a Cyrillic domain', () => {
    const found = (text: string) => findLinks(text).map((l) => `${l.host}${l.path}${l.invite ? ' invite' : ''}`);
    expect(found('ЗАХОДИ НА SPAM.XYZ/WIN')).toEqual(['spam.xyz/WIN']);
    expect(found('HTTPS://T.ME/+abc')).toEqual(['t.me/+abc invite']);
    expect(found('смотри http://localhost:8080/x')).toEqual(['localhost:8080/x']);
    expect(found('сайт кремль.рф')).toEqual(['кремль.рф']);
    expect(found('я живу в Казани. Приходи в 7.30')).toEqual([]);
  });

  it('does not see links in ordinary punctuation', () => {
    expect(findLinks('и т.д. и т.п., ну... ок.')).toEqual([]);
    expect(findLinks('версия 3.14 вышла')).toEqual([]);
  });

  it('matches allow-list entries by domain, subdomain and path prefix', () => {
    expect(linkAllowed({ host: 'm.youtube.com', path: '/x', invite: false }, ['youtube.com'])).toBe(true);
    expect(linkAllowed({ host: 'notyoutube.com', path: '', invite: false }, ['youtube.com'])).toBe(false);
    expect(linkAllowed({ host: 't.me', path: '/our_channel/15', invite: true }, ['t.me/our_channel'])).toBe(true);
    expect(linkAllowed({ host: 't.me', path: '/our_channel_fake', invite: true }, ['t.me/our_channel'])).toBe(false);
  });
});

describe('flood and repeat filters', () => {
  it('flags a member posting more than the flood limit within the window', () => {
    const { state, member } = setup();
    const flagged: string[][] = [];
    for (let i = 0; i < 9; i++) {
      flagged.push(
        runFilters(
          `сообщение номер ${i}`,
          member,
          state.chat,
          state.settings,
          false,
          T0 + i * 500,
          rules,
        ).violations.map((v) => v.kind),
      );
    }
    expect(flagged.slice(0, 7).every((k) => k.length === 0)).toBe(true);
    expect(flagged[7]).toEqual(['flood']);
    expect(flagged[8]).toEqual(['flood']);
  });

  it('forgets the flood count once the window has passed', () => {
    const { state, member } = setup();
    for (let i = 0; i < 8; i++) runFilters(`msg ${i}`, member, state.chat, state.settings, false, T0 + i * 100, rules);
    const later = runFilters('спокойное сообщение', member, state.chat, state.settings, false, T0 + 20_000, rules);
    expect(later.violations).toEqual([]);
  });

  it('reports a chat-wide flood when all members together exceed the chat limit', () => {
    const state = createChatState(-5, 'supergroup', T0);
    let flood = false;
    for (let i = 0; i < 61; i++) {
      const member = newMember({ id: 100 + i, name: `u${i}`, isBot: false }, T0, state.settings);
      flood = runFilters(`привет ${i}`, member, state.chat, state.settings, false, T0 + i * 50, rules).chatFlood;
    }
    expect(flood).toBe(true);
  });

  it('flags the same text repeated by one member, ignoring case and punctuation', () => {
    const { state, member } = setup();
    const texts = ['Купите слона, дешево!', 'купите слона дешево', 'КУПИТЕ СЛОНА... дешево'];
    const results = texts.map((t, i) =>
      runFilters(t, member, state.chat, state.settings, false, T0 + i * 20_000, rules).violations.map((v) => v.kind),
    );
    expect(results).toEqual([[], [], ['repeat']]);
  });

  it('does not call short repeated replies spam', () => {
    const { state, member } = setup();
    const results = ['да', 'да', 'да', 'ахах', 'ахах', 'ахах'].map((t, i) =>
      runFilters(t, member, state.chat, state.settings, false, T0 + i * 20_000, rules),
    );
    expect(results.every((r) => r.violations.length === 0)).toBe(true);
  });

  it('flags the same link-carrying text from three members as copy-paste spam, but not a chorus of greetings', () => {
    const state = createChatState(-5, 'supergroup', T0);
    const spam = 'Заработок от 100к в неделю, пиши @rich_bot';
    const chorus = 'С днём рождения, Маша!';
    const spamKinds: string[][] = [];
    const chorusKinds: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const m = newMember({ id: 200 + i, name: `s${i}`, isBot: false }, T0, state.settings);
      m.messages = 50;
      spamKinds.push(
        runFilters(spam, m, state.chat, state.settings, false, T0 + i * 1000, rules).violations.map((v) => v.kind),
      );
      chorusKinds.push(
        runFilters(chorus, m, state.chat, state.settings, false, T0 + 5000 + i * 1000, rules).violations.map(
          (v) => v.kind,
        ),
      );
    }
    expect(spamKinds).toEqual([[], [], ['copy-paste']]);
    expect(chorusKinds).toEqual([[], [], []]);
  });
});

describe('banned words in the filter chain', () => {
  it('flags banned words configured for the chat, seeing through disguises', () => {
    const settings = patchChatSettings(DEFAULT_CHAT_SETTINGS, { bannedWords: ['казино*'] });
    expect(kinds('лучшее к.а.з.и.н.о онлайн', 50, settings)).toEqual(['banned-word']);
    expect(kinds('играем в kaзино', 50, settings)).toEqual(['banned-word']);
    expect(kinds('просто разговор', 50, settings)).toEqual([]);
  });
});
