import { describe, expect, it } from 'vitest';
import { chatLanguage, patchChatSettings } from '../../src/chat/index.js';
import { ChatDriver } from './support/chat-fixture.js';

const olena = { id: 11, name: 'Олена' };
const ivan = { id: 22, name: 'Иван' };

describe('chatLanguage', () => {
  it('is Russian for a chat nothing is known about', () => {
    expect(chatLanguage(new ChatDriver().state)).toBe('ru');
  });

  it('follows what most messages are written in under auto', () => {
    const driver = new ChatDriver();
    driver.say(olena, 'привіт усім');
    driver.say(olena, 'що нового?');
    driver.say(ivan, 'привет');
    expect(chatLanguage(driver.state)).toBe('uk');
    driver.say(ivan, 'как дела');
    expect(chatLanguage(driver.state)).toBe('ru');
  });

  it('is the chat’s setting whatever its members write', () => {
    const driver = new ChatDriver();
    driver.say(ivan, 'привет, как дела');
    driver.state.settings = patchChatSettings(driver.state.settings, { language: 'uk' });
    expect(chatLanguage(driver.state)).toBe('uk');
    driver.state.settings = patchChatSettings(driver.state.settings, { language: 'en' });
    expect(chatLanguage(driver.state)).toBe('en');
  });
});
