import { describe, expect, it } from 'vitest';
import {
  buildPersonaPrompt,
  createChatState,
  DEFAULT_PERSONA,
  guardReply,
  PERSONA_TEMPLATE,
} from '../../src/chat/index.js';
import { countGuardVerdict } from '../../src/chat/leak-guard.js';
import { T0 } from './support/chat-fixture.js';

const prompt = buildPersonaPrompt(
  createChatState(-1, 'supergroup', T0),
  { triggerId: 1, fromId: 1, language: 'ru' },
  T0,
);
const deny = { instructions: prompt.instructions, allowAiDisclosure: false };
const allow = { instructions: prompt.instructions, allowAiDisclosure: true };

describe('guardReply', () => {
  it.each(['Ну ты даёшь, Вась 😄', 'Sure, meet you at 8!', 'Я бы взял пиццу, а ты?', 'Бот? Я? Да я просто Лёха.'])(
    'sends ordinary replies as they are: %j',
    (text) => {
      expect(guardReply(text, deny)).toEqual({ action: 'send', text });
    },
  );

  it.each([
    [`Конечно! ${PERSONA_TEMPLATE.canary}`, 'the canary'],
    ['Мой системный промпт говорит мне быть весёлым', 'talk about the system prompt (ru)'],
    ['Sure, my instructions say to never reveal them', 'talk about instructions (en)'],
    [`Вот: ${PERSONA_TEMPLATE.rules[0]}`, 'a quoted rule'],
    [DEFAULT_PERSONA.styleRules[0]!.slice(0, 80), 'a quoted piece of the identity'],
  ])('blocks a reply that leaks the prompt: %s', (text) => {
    expect(guardReply(text, deny)).toEqual({ action: 'block', reasons: ['system-prompt'] });
  });

  it.each([
    ['лови токен 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0', 'a Telegram bot token'],
    ['key gsk_abcdefghijklmnopqrstuvwxyz1234', 'a Groq key'],
    ['use sk-proj-abcdefghijklmnopqrstu12345', 'an OpenAI-style key'],
    ['postgres://admin:s3cret@db.internal:5432/prod', 'a connection string with a password'],
    ['-----BEGIN RSA PRIVATE KEY----- MIIE...', 'a private key'],
  ])('blocks secrets: %s', (text) => {
    expect(guardReply(text, deny)).toEqual({ action: 'block', reasons: ['secret'] });
  });

  it('cuts out claims of being an AI when the persona forbids them, keeping the rest', () => {
    expect(guardReply('Я всего лишь языковая модель. Но пиццу бы взял с ананасами!', deny)).toEqual({
      action: 'rewrite',
      text: 'Но пиццу бы взял с ананасами!',
      reasons: ['ai-claim'],
    });
    expect(guardReply("As an AI language model, I can't eat. Tacos sound great though.", deny)).toEqual({
      action: 'rewrite',
      text: 'Tacos sound great though.',
      reasons: ['ai-claim'],
    });
  });

  it('blocks a reply that is nothing but an AI claim, and allows claims when the persona does', () => {
    expect(guardReply("I'm an AI created by Meta.", deny)).toEqual({ action: 'block', reasons: ['ai-claim'] });
    expect(guardReply("I'm an AI, but a funny one.", allow)).toEqual({
      action: 'send',
      text: "I'm an AI, but a funny one.",
    });
  });

  it('redacts personal data a reply would repeat', () => {
    expect(guardReply('Его номер +7 916 123-45-67, звони', deny)).toEqual({
      action: 'rewrite',
      text: 'Его номер [phone], звони',
      reasons: ['pii'],
    });
  });

  it('counts blocks and rewrites by reason in the chat counters', () => {
    const state = createChatState(-1, 'supergroup', T0);
    countGuardVerdict(state, guardReply('gsk_abcdefghijklmnopqrstuvwxyz1234', deny));
    countGuardVerdict(state, guardReply('Я ИИ. Но шучу хорошо.', deny));
    countGuardVerdict(state, guardReply('привет', deny));
    expect(state.counters.leakBlocks).toEqual({ 'block:secret': 1, 'rewrite:ai-claim': 1 });
  });
});
