import { describe, expect, it } from 'vitest';
import { redactName, redactUsername, restoreChatState } from '../../src/chat/index.js';
import { ChatDriver } from './support/chat-fixture.js';

describe('redactName', () => {
  it.each([
    ['Ivan +79161234567 ivan@example.com', 'Ivan [phone] [email]'],
    ['Маша 8 (916) 123-45-67', 'Маша [phone]'],
    ['Продам авто | 89161234567', 'Продам авто | [phone]'],
    ['карта 4276 3800 1234 5679 Петя', 'карта [card] Петя'],
    ['Чат паспорт 4510 № 123456', 'Чат паспорт [passport]'],
    ['Ivan\n+79161234567', 'Ivan\n[phone]'],
  ])('redacts %j to %j', (name, redacted) => {
    expect(redactName(name)).toBe(redacted);
  });

  it.each(['Лёха', 'Лёха (you)', 'Анна-Мария 2000', 'Team 2024', 'Dev Chat №5', 'Ivan'])(
    'leaves %j as it is',
    (name) => {
      expect(redactName(name)).toBe(name);
    },
  );
});

describe('redactUsername', () => {
  it.each([
    ['ivan_89161234567', 'ivan_[phone]'],
    ['call_79161234567_now', 'call_[phone]_now'],
  ])('redacts %j to %j', (username, redacted) => {
    expect(redactUsername(username)).toBe(redacted);
  });

  it.each(['ivan_petrov', 'lekha_bot', 'user2024'])('leaves %j as it is', (username) => {
    expect(redactUsername(username)).toBe(username);
  });
});

describe('restored chat state', () => {
  it('comes back with member names redacted when it was saved before names were', () => {
    const driver = new ChatDriver();
    driver.say({ id: 1, name: 'Ivan +79161234567 ivan@example.com', username: 'ivan_89161234567' }, 'привет');
    driver.say({ id: 2, name: 'Аня', username: 'anna' }, 'привет');
    const restored = restoreChatState(structuredClone(driver.state));
    expect(restored.members['1']).toMatchObject({ name: 'Ivan [phone] [email]', username: 'ivan_[phone]' });
    expect(restored.members['2']).toMatchObject({ name: 'Аня', username: 'anna' });
  });
});
