import type { AnomalyAction } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

const ACTIONS: readonly AnomalyAction[] = ['alert', 'slow', 'notify_admins', 'restrict'];
const MAX_MINUTES = 10_080;

const TEXT = {
  ru: {
    private: 'Это настройка групп: в личке рейдов не бывает.',
    is: (action: string, minutes: number) =>
      `При рейде или чужом аккаунте: ${action} (${minutes} мин). Варианты: alert, slow, notify_admins, restrict.`,
    invalid: (arg: string) => `Не знаю «${arg}». Варианты: alert, slow, notify_admins, restrict, и минуты (1–10080).`,
    adminsOnly: 'Это меняют только админы чата.',
    set: (action: string, minutes: number) =>
      action === 'restrict'
        ? `Теперь при рейде ограничиваю новичков на ${minutes} мин. Мне нужны права админа «блокировать участников», иначе только подниму тревогу.`
        : `Теперь при рейде или чужом аккаунте: ${action} (${minutes} мин).`,
  },
  uk: {
    private: 'Це налаштування груп: в особистих рейдів не буває.',
    is: (action: string, minutes: number) =>
      `Під час рейду чи з чужим акаунтом: ${action} (${minutes} хв). Варіанти: alert, slow, notify_admins, restrict.`,
    invalid: (arg: string) => `Не знаю «${arg}». Варіанти: alert, slow, notify_admins, restrict і хвилини (1–10080).`,
    adminsOnly: 'Це змінюють лише адміни чату.',
    set: (action: string, minutes: number) =>
      action === 'restrict'
        ? `Тепер під час рейду обмежую новачків на ${minutes} хв. Мені потрібні права адміна «блокувати учасників», інакше лише здійму тривогу.`
        : `Тепер під час рейду чи з чужим акаунтом: ${action} (${minutes} хв).`,
  },
  en: {
    private: 'That is a group setting: private chats have no raids.',
    is: (action: string, minutes: number) =>
      `On a raid or a taken-over account: ${action} (${minutes} min). Options: alert, slow, notify_admins, restrict.`,
    invalid: (arg: string) =>
      `I don't know "${arg}". Options: alert, slow, notify_admins, restrict, and minutes (1–10080).`,
    adminsOnly: 'Only the chat’s admins change that.',
    set: (action: string, minutes: number) =>
      action === 'restrict'
        ? `On a raid I now restrict new members for ${minutes} min. I need the admin right to restrict members; without it I only raise the alert.`
        : `On a raid or a taken-over account: ${action} (${minutes} min).`,
  },
};

/** `/anomaly`: what the bot does on a raid or an account takeover; anyone may ask, only the chat's admins change it. */
export const anomalyPlugin = definePlugin({
  name: 'anomaly',
  version: '1.0.0',
  kind: 'command',
  description: {
    en: 'What I do about raids and taken-over accounts',
    ru: 'Что я делаю при рейдах и чужих аккаунтах',
    uk: 'Що я роблю під час рейдів і з чужими акаунтами',
  },
  setup(p) {
    p.command(
      'anomaly',
      async (ctx) => {
        const say = ctx.language === 'en' || ctx.language === 'uk' ? TEXT[ctx.language] : TEXT.ru;
        if (ctx.chatKind === 'private') return say.private;
        const current = ctx.chat.settings().anomaly;
        const [first, second] = ctx.argv.map((a) => a.toLowerCase());
        if (first === undefined) return say.is(current.action, current.minutes);
        const action = ACTIONS.find((a) => a === first);
        const minutes = second === undefined ? current.minutes : Number(second);
        if (action === undefined || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)
          return say.invalid(
            [first, second]
              .filter((a) => a !== undefined)
              .join(' ')
              .slice(0, 32),
          );
        if (!(await ctx.isAdmin())) return say.adminsOnly;
        ctx.changeSettings({ anomaly: { action, minutes } });
        return say.set(action, minutes);
      },
      {
        description: {
          en: 'what I do about raids and taken-over accounts (admins only)',
          ru: 'что я делаю при рейдах и чужих аккаунтах (только админы)',
          uk: 'що я роблю під час рейдів і з чужими акаунтами (лише адміни)',
        },
        args: 'alert | slow | notify_admins | restrict [minutes]',
      },
    );
  },
});
