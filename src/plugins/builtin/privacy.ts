import type { Language } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

/** How sending a member their data went. */
export type ExportDelivery = 'sent' | 'private-chat-closed' | 'nothing-stored';

/**
 * What the privacy commands need (the wiring implements it on the privacy
 * engine and the Telegram sender).
 */
export interface PrivacyDesk {
  /**
   * Sends everything stored about the member to their private chat with the
   * bot, as a JSON document. `private-chat-closed` when Telegram refuses
   * (403: they never started the bot).
   */
  sendExport(userId: number): Promise<ExportDelivery>;
  /** Erases the member everywhere (durable, audited under a pseudonym). */
  erase(userId: number): Promise<void>;
}

/** Words that confirm `/forgetme`. */
const CONFIRM = new Set(['confirm', 'yes', 'подтверждаю', 'підтверджую', 'да', 'так']);

const TEXTS = {
  ru: {
    sentHere: 'Вот всё, что я о тебе храню, файлом.',
    sentPrivately: 'Отправил тебе в личку файл со всем, что я о тебе храню.',
    privateClosed: 'Не могу написать тебе в личку: открой чат со мной и нажми «Старт», потом повтори /mydata.',
    nothingStored: 'Я ничего о тебе не храню.',
    confirm:
      'Это сотрёт всё, что я о тебе знаю, во всех чатах: сообщения, профиль, память, напоминания. Вернуть будет нельзя. Если уверен, отправь /forgetme confirm',
    erased: 'Готово: я всё о тебе забыл. Для меня ты теперь новый человек.',
  },
  uk: {
    sentHere: 'Ось усе, що я про тебе зберігаю, файлом.',
    sentPrivately: 'Надіслав тобі в особисті файл з усім, що я про тебе зберігаю.',
    privateClosed: 'Не можу написати тобі в особисті: відкрий чат зі мною й натисни «Старт», потім повтори /mydata.',
    nothingStored: 'Я нічого про тебе не зберігаю.',
    confirm:
      'Це зітре все, що я про тебе знаю, в усіх чатах: повідомлення, профіль, пам’ять, нагадування. Повернути не вийде. Якщо впевнений, надішли /forgetme confirm',
    erased: 'Готово: я все про тебе забув. Для мене ти тепер нова людина.',
  },
  en: {
    sentHere: 'Here is everything I keep about you, as a file.',
    sentPrivately: 'I sent you a file with everything I keep about you in a private chat.',
    privateClosed: "I can't message you privately: open a chat with me and press Start, then send /mydata again.",
    nothingStored: 'I keep nothing about you.',
    confirm:
      'This erases everything I know about you in every chat: messages, profile, memories, reminders. It cannot be undone. If you are sure, send /forgetme confirm',
    erased: "Done: I have forgotten everything about you. To me you're someone new now.",
  },
};

function textsFor(language: Language) {
  return language === 'uk' || language === 'en' ? TEXTS[language] : TEXTS.ru;
}

/**
 * `/mydata` and `/forgetme`: a member's own data, exported to their private
 * chat or erased everywhere (GDPR). Always on: no chat can take these away.
 * In a group the answers say nothing about the member's data: the file goes
 * to their private chat only.
 */
export function privacyPlugin(desk: PrivacyDesk) {
  return definePlugin({
    name: 'privacy',
    version: '1.0.0',
    kind: 'command',
    description: {
      en: 'Your data: export or erase',
      ru: 'Твои данные: выгрузить или стереть',
      uk: 'Твої дані: вивантажити або стерти',
    },
    setup(p) {
      p.command(
        'mydata',
        async (ctx) => {
          const say = textsFor(ctx.language);
          const delivery = await desk.sendExport(ctx.from.id);
          if (delivery === 'nothing-stored') return say.nothingStored;
          if (delivery === 'private-chat-closed') return say.privateClosed;
          return ctx.chatKind === 'private' ? say.sentHere : say.sentPrivately;
        },
        {
          description: {
            en: 'everything I keep about you, as a file',
            ru: 'всё, что я о тебе храню, файлом',
            uk: 'усе, що я про тебе зберігаю, файлом',
          },
        },
      );
      p.command(
        'forgetme',
        async (ctx) => {
          const say = textsFor(ctx.language);
          if (!CONFIRM.has(ctx.argv[0]?.toLowerCase() ?? '')) return say.confirm;
          await desk.erase(ctx.from.id);
          return say.erased;
        },
        {
          description: {
            en: 'erase everything I know about you',
            ru: 'стереть всё, что я о тебе знаю',
            uk: 'стерти все, що я про тебе знаю',
          },
          args: 'confirm',
        },
      );
    },
  });
}
