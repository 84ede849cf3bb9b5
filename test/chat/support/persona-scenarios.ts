import type { ChatState, PersonaPrompt, PromptRequest } from '../../../src/chat/index.js';
import { BOT_ID, ChatDriver } from './chat-fixture.js';

/** Builds a prompt the way `buildPersonaPrompt` is called, whatever persona it is given. */
export type PromptBuilder = (
  state: ChatState,
  request: PromptRequest,
  nowMs: number,
  allowAiDisclosure: boolean,
) => PersonaPrompt;

export interface ScenarioPrompt {
  name: string;
  version: string;
  messages: PersonaPrompt['messages'];
  instructions: string;
}

const anna = { id: 11, name: 'Аня' };
const boris = { id: 22, name: 'Борис' };
const frank = { id: 55, name: 'Frank' };

/**
 * Chats that exercise every part of the prompt: history with a bot line and
 * threads, slang, memories, both AI-disclosure rules, Russian and English.
 * The default persona must build from them exactly the prompts recorded in
 * `test/fixtures/persona/lekha-default-prompts.json`.
 */
export function personaScenarios(build: PromptBuilder): ScenarioPrompt[] {
  const out: ScenarioPrompt[] = [];
  const record = (name: string, prompt: PersonaPrompt): void => {
    out.push({ name, version: prompt.version, messages: prompt.messages, instructions: prompt.instructions });
  };

  const ru = new ChatDriver();
  const q = ru.say(anna, 'кто знает хороший ноутбук?');
  ru.say(boris, 'бери thinkpad, кринж полный эти макбуки', { replyTo: q.id });
  for (let i = 0; i < 3; i++) {
    ru.say(anna, `это кринж полный (${i})`);
    ru.say(boris, `да, кринж полный (${i})`);
  }
  const botId = ru.botMessageId();
  ru.state.history.push({ id: botId, from: BOT_ID, ms: ru.nowMs, text: 'ну такое', replyTo: q.id, bot: true });
  const t = ru.say(anna, 'Лёха, а ты что думаешь?');
  const memories = [{ text: 'Аня любит пиццу', fromId: anna.id }, { text: 'в чате спорили про\nвиндовс' }];
  record('ru-deny', build(ru.state, { triggerId: t.id, fromId: anna.id, language: 'ru', memories }, ru.nowMs, false));
  record('ru-allow', build(ru.state, { triggerId: t.id, fromId: anna.id, language: 'ru' }, ru.nowMs, true));

  const en = new ChatDriver();
  en.say(frank, 'hey guys, what is up?');
  const e = en.say(frank, 'lekha, any plans for the weekend?');
  record('en-deny', build(en.state, { triggerId: e.id, fromId: frank.id, language: 'en' }, en.nowMs, false));
  return out;
}
