import type { AnomalyKind } from './anomaly/anomaly-state.js';
import type { ChatMode } from './chat-settings.js';
import type { Language } from './chat-state.js';
import type { ChatReport } from './chat-report.js';
import type { ChatSummary } from './chat-summary.js';
import type { ViolationKind } from './message-filters.js';
import { enPersona, type PersonaPhrases, ruPersona, ukPersona } from './persona-phrases.js';
import { enRate, type RatePhrases, ruRate, ukRate } from './rate-phrases.js';
import { enReminders, type ReminderPhrases, ruReminders, ukReminders } from './remind-phrases.js';
import { enStyle, ruStyle, type StylePhrases, ukStyle } from './style-phrases.js';
import type { UserAnalytics } from './user-analytics.js';

/**
 * Everything Lekha says without the LLM — command answers, warnings,
 * reports — in each language he speaks, in one place (reminder phrases
 * live in remind-phrases.ts, persona phrases in persona-phrases.ts, style
 * phrases in style-phrases.ts, `/rate`'s in rate-phrases.ts, and all are part
 * of every book).
 */
/** A command as `/help` lists it. */
export interface HelpLine {
  name: string;
  args: string | null;
  description: string;
}

/** A plugin as `/plugins` lists it. */
export interface PluginLine {
  name: string;
  description: string;
  enabled: boolean;
}

export interface Phrasebook extends ReminderPhrases, PersonaPhrases, StylePhrases, RatePhrases {
  /** `name`: the persona the bot is in the chat. */
  start(name: string): string;
  /** The commands of the plugins on in the chat. */
  help(commands: readonly HelpLine[], name: string): string;
  unknownCommand(typed: string): string;
  /** A command whose plugin is switched off in the chat. */
  commandOff(typed: string): string;
  /** A command whose plugin needs its operator to configure it (a missing key). */
  commandUnavailable(typed: string): string;
  /** A plugin failed, timed out or its breaker is open. */
  pluginDown(): string;
  pluginList(plugins: readonly PluginLine[]): string;
  pluginSwitched(name: string, enabled: boolean): string;
  pluginUnknown(name: string): string;
  pluginUsage(): string;
  /** A plugin every chat needs (`help`, `plugins`) cannot be switched off. */
  pluginAlwaysOn(name: string): string;
  /** The settings of a plugin a chat may change, with their values here. */
  pluginSettings(name: string, settings: Readonly<Record<string, unknown>>): string;
  pluginSettingSet(name: string, key: string, value: unknown): string;
  /** Back to the bot's value: one setting, or all the chat changed (`key` null). */
  pluginSettingReset(name: string, key: string | null): string;
  /** A setting the chat may not change (or that does not exist), with those it may. */
  pluginSettingFixed(name: string, key: string, changeable: readonly string[]): string;
  /** A value the setting does not take; `issues` as the schema words them. */
  pluginSettingInvalid(name: string, key: string, issues: string): string;
  /** A command only the chat's admins may run. */
  adminsOnly(): string;
  /** The first line of the daily digest. */
  digestTitle(): string;
  rateLimited(seconds: number): string;
  violation(kind: ViolationKind): string;
  modeIs(mode: ChatMode): string;
  modeSet(mode: ChatMode): string;
  modeInvalid(typed: string): string;
  modeAdminsOnly(): string;
  modePrivate(): string;
  /** `who` is an @username, or null for "this member". */
  unknownMember(who: string | null): string;
  guardFallback(): string;
  chatStats(report: ChatReport): string;
  userStats(user: UserAnalytics): string;
  top(report: ChatReport): string;
  summary(summary: ChatSummary): string;
  /** A raid or a taken-over account, told to the chat's admins in the chat; `detail` is the detector's (English). */
  anomalyNotice(kind: AnomalyKind, detail: string): string;
}

const MODES = 'silent | normal | active';

/**
 * A persona's name as said in another language: Лёха, the default persona,
 * is Lekha in English and Льоха (calling him: Льохо) in Ukrainian; any other
 * name is said as written.
 */
function spokenName(name: string, language: 'en' | 'uk'): { name: string; calling: string } {
  if (name !== 'Лёха') return { name, calling: name };
  return language === 'en' ? { name: 'Lekha', calling: 'Lekha' } : { name: 'Льоха', calling: 'Льохо' };
}

const ru: Phrasebook = {
  ...ruPersona,
  ...ruStyle,
  ...ruRate,
  ...ruReminders,
  start: (name) => `Здарова! Я ${name}. Пишите мне по имени или ответом на моё сообщение — отвечу. Что умею: /help`,
  help: (commands, name) =>
    [
      `Я ${name}, обычный парень из чата. Зовите по имени («${name}, …»), через @ или ответом на моё сообщение.`,
      ...helpLines(commands),
    ].join('\n'),
  unknownCommand: (typed) => `Команды /${typed} я не знаю. Что умею: /help`,
  commandOff: (typed) => `/${typed} в этом чате выключена. Админы включают плагины командой /plugin on <имя>.`,
  commandUnavailable: (typed) => `/${typed} у этого бота пока не настроена: её подключает владелец бота.`,
  pluginDown: () => 'Это у меня сейчас не работает, попробуй чуть позже.',
  pluginList: (plugins) =>
    [
      'Плагины:',
      ...plugins.map((p) => `${p.enabled ? '✅' : '⛔'} ${p.name} — ${p.description}`),
      'Включить или выключить (админы): /plugin on|off <имя>',
    ].join('\n'),
  pluginSwitched: (name, enabled) => (enabled ? `Плагин ${name} включён.` : `Плагин ${name} выключен.`),
  pluginUnknown: (name) => `Плагина «${name}» нет. Список: /plugins`,
  pluginUsage: () =>
    'Так: /plugin on|off <имя>, /plugin settings <имя>, /plugin set <имя> <настройка> <значение>, /plugin reset <имя> [настройка]. Список: /plugins',
  pluginAlwaysOn: (name) => `${name} нужен всегда, его не выключить.`,
  pluginSettings: (name, settings) =>
    Object.keys(settings).length === 0
      ? `У плагина ${name} нет настроек, которые меняют в чате.`
      : [
          `Настройки ${name} в этом чате:`,
          ...settingLines(settings),
          `Поменять (админы): /plugin set ${name} <настройка> <значение>`,
        ].join('\n'),
  pluginSettingSet: (name, key, value) => `${name}: ${key} = ${showSetting(value)} в этом чате.`,
  pluginSettingReset: (name, key) =>
    key === null ? `${name}: в этом чате снова настройки по умолчанию.` : `${name}: ${key} снова по умолчанию.`,
  pluginSettingFixed: (name, key, changeable) =>
    changeable.length === 0
      ? `У ${name} в чате ничего не настраивается.`
      : `«${key}» у ${name} в чате не меняется. Можно: ${changeable.join(', ')}.`,
  pluginSettingInvalid: (name, key, issues) => `${name}: «${key}» так не получится (${issues}).`,
  adminsOnly: () => 'Это могут только админы чата.',
  digestTitle: () => '🗞 Итоги дня',
  rateLimited: (seconds) =>
    `Притормози немного 🙂 Слишком много вопросов подряд — отвечу снова примерно через ${seconds} с.`,
  violation: (kind) =>
    ({
      flood: 'Давай помедленнее, не флуди.',
      repeat: 'Одно и то же много раз — это уже спам.',
      'copy-paste': 'Одинаковые сообщения от разных людей похожи на спам-рассылку.',
      link: 'Ссылки от новых участников тут под фильтром.',
      invite: 'Приглашения в другие чаты здесь не разрешены.',
      'banned-word': 'Давай без таких слов, в этом чате они запрещены.',
    })[kind],
  modeIs: (mode) => `Сейчас режим: ${mode}. Сменить: /mode ${MODES}.`,
  modeSet: (mode) => `Режим теперь ${mode}. ${modeMeaningRu(mode)}`,
  modeInvalid: (typed) => `Не знаю режима «${typed}». Бывают: ${MODES}.`,
  modeAdminsOnly: () => 'Режим меняют только админы чата.',
  modePrivate: () => 'В личке режимов нет: здесь я всегда отвечаю.',
  unknownMember: (who) => `Про ${who ?? 'этого участника'} я пока ничего не знаю.`,
  guardFallback: () => 'Хм, давай лучше о другом.',
  chatStats: (r) =>
    [
      `Сообщений: ${r.messages}, участников: ${r.members} (активных за неделю: ${r.activeMembers}).`,
      r.activity.mostActiveHours.length > 0
        ? `Самые живые часы: ${r.activity.mostActiveHours.map((h) => `${h}:00`).join(', ')}.`
        : '',
      `Настроение: ${{ positive: 'хорошее', neutral: 'ровное', negative: 'так себе' }[r.mood.label]} (${r.mood.current}).`,
      r.allies.length > 0 ? `Дружат: ${r.allies.map((a) => `${a.a.name} и ${a.b.name}`).join('; ')}.` : '',
      r.conflicts.length > 0 ? `Спорят: ${r.conflicts.map((c) => `${c.a.name} и ${c.b.name}`).join('; ')}.` : '',
      r.newMembers.length > 0 ? `Новенькие: ${r.newMembers.map((m) => m.name).join(', ')}.` : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  userStats: (u) =>
    [
      `${u.name}: ${u.messages} сообщ., в среднем ${u.averageLength} символов${u.isNew ? ', новенький' : ''}.`,
      u.activity.mostActiveHour !== null ? `Чаще всего пишет около ${u.activity.mostActiveHour}:00.` : '',
      u.favouriteWords.length > 0
        ? `Любимые слова: ${u.favouriteWords
            .slice(0, 5)
            .map((w) => w.word)
            .join(', ')}.`
        : '',
      `Токсичность: ${Math.round(u.toxicity.level * 100)}%.`,
      u.relations.allies.length > 0 ? `Дружит с: ${u.relations.allies.map((a) => a.name).join(', ')}.` : '',
      u.relations.conflicts.length > 0 ? `Спорит с: ${u.relations.conflicts.map((a) => a.name).join(', ')}.` : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  top: (r) =>
    [
      'Самые активные:',
      ...r.topMembers.slice(0, 5).map((m, i) => `${i + 1}. ${m.name} — ${m.messages} (${Math.round(m.share * 100)}%)`),
      r.topWords.length > 0
        ? `Слова чата: ${r.topWords
            .slice(0, 8)
            .map((w) => w.word)
            .join(', ')}.`
        : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  summary: (s) => {
    if (s.messages === 0) return `За ${hoursRu(s.hours)} тут было тихо.`;
    const head =
      s.basis === 'since-last-message'
        ? `Пока тебя не было: ${s.messages} сообщ.`
        : `За ${hoursRu(s.hours)}: ${s.messages} сообщ.`;
    return [
      `${head} Больше всех писали: ${s.participants
        .slice(0, 4)
        .map((p) => `${p.name} (${p.messages})`)
        .join(', ')}.`,
      s.topics.length > 0 || s.keywords.length > 0
        ? `Обсуждали: ${[...s.topics.map(topicRu), ...s.keywords].slice(0, 6).join(', ')}.`
        : '',
      ...s.highlights.map((h) => `Зацепило всех: ${h.name}: «${h.text}»`),
      ...s.forYou.map((m) => `Тебе писал(а) ${m.name}: «${m.text}»`),
      s.conflicts.length > 0 ? `Осторожно, спорят: ${s.conflicts.map((c) => `${c.a} и ${c.b}`).join('; ')}.` : '',
      s.partial ? '(Помню не всё: чат был очень активный.)' : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n');
  },
  anomalyNotice: (kind, detail) =>
    `⚠️ Админам: ${kind === 'takeover' ? 'возможно, чужой аккаунт: участник ведёт себя не как обычно' : 'похоже на рейд'}. ${detail}.`,
};

const en: Phrasebook = {
  ...enReminders,
  ...enPersona,
  ...enStyle,
  ...enRate,
  start: (name) =>
    `Hey! I'm ${spokenName(name, 'en').name}. Call me by name or reply to my message and I'll answer. What I can do: /help`,
  help: (commands, name) =>
    [
      `I'm ${spokenName(name, 'en').name}, just a guy in this chat. Call me by name ("${spokenName(name, 'en').calling}, …"), @mention me or reply to my message.`,
      ...helpLines(commands),
    ].join('\n'),
  unknownCommand: (typed) => `I don't know /${typed}. What I can do: /help`,
  commandOff: (typed) => `/${typed} is switched off in this chat. Admins switch plugins on with /plugin on <name>.`,
  commandUnavailable: (typed) => `/${typed} isn't set up on this bot yet: the bot's owner has to configure it.`,
  pluginDown: () => "That doesn't work for me right now, try again a bit later.",
  pluginList: (plugins) =>
    [
      'Plugins:',
      ...plugins.map((p) => `${p.enabled ? '✅' : '⛔'} ${p.name} — ${p.description}`),
      'Switch one on or off (admins): /plugin on|off <name>',
    ].join('\n'),
  pluginSwitched: (name, enabled) => `Plugin ${name} is ${enabled ? 'on' : 'off'} now.`,
  pluginUnknown: (name) => `There is no plugin "${name}". The list: /plugins`,
  pluginUsage: () =>
    'Like this: /plugin on|off <name>, /plugin settings <name>, /plugin set <name> <setting> <value>, /plugin reset <name> [setting]. The list: /plugins',
  pluginAlwaysOn: (name) => `${name} is always needed; it cannot be switched off.`,
  pluginSettings: (name, settings) =>
    Object.keys(settings).length === 0
      ? `${name} has no settings a chat changes.`
      : [
          `${name} settings in this chat:`,
          ...settingLines(settings),
          `Change one (admins): /plugin set ${name} <setting> <value>`,
        ].join('\n'),
  pluginSettingSet: (name, key, value) => `${name}: ${key} = ${showSetting(value)} in this chat.`,
  pluginSettingReset: (name, key) =>
    key === null ? `${name}: this chat is back to the default settings.` : `${name}: ${key} is back to its default.`,
  pluginSettingFixed: (name, key, changeable) =>
    changeable.length === 0
      ? `${name} has nothing a chat can set.`
      : `A chat cannot change "${key}" of ${name}. It can change: ${changeable.join(', ')}.`,
  pluginSettingInvalid: (name, key, issues) => `${name}: "${key}" cannot be that (${issues}).`,
  adminsOnly: () => "Only the chat's admins can do that.",
  digestTitle: () => '🗞 The day in this chat',
  rateLimited: (seconds) =>
    `Slow down a little 🙂 Too many questions in a row — I'll answer again in about ${seconds} s.`,
  violation: (kind) =>
    ({
      flood: 'Easy there, no flooding please.',
      repeat: 'Posting the same thing again and again is spam.',
      'copy-paste': 'The same message from several people looks like a spam run.',
      link: 'Links from new members are filtered here.',
      invite: 'Invites to other chats are not allowed here.',
      'banned-word': "Let's keep it clean: that word is banned in this chat.",
    })[kind],
  modeIs: (mode) => `Current mode: ${mode}. Change it with /mode ${MODES}.`,
  modeSet: (mode) => `Mode is now ${mode}. ${modeMeaningEn(mode)}`,
  modeInvalid: (typed) => `There is no mode "${typed}". Modes: ${MODES}.`,
  modeAdminsOnly: () => 'Only chat admins can change the mode.',
  modePrivate: () => 'There are no modes in a private chat: here I always answer.',
  unknownMember: (who) => `I don't know anything about ${who ?? 'that member'} yet.`,
  guardFallback: () => "Hm, let's talk about something else.",
  chatStats: (r) =>
    [
      `Messages: ${r.messages}, members: ${r.members} (active this week: ${r.activeMembers}).`,
      r.activity.mostActiveHours.length > 0
        ? `Busiest hours: ${r.activity.mostActiveHours.map((h) => `${h}:00`).join(', ')}.`
        : '',
      `Mood: ${r.mood.label} (${r.mood.current}).`,
      r.allies.length > 0 ? `Friends: ${r.allies.map((a) => `${a.a.name} & ${a.b.name}`).join('; ')}.` : '',
      r.conflicts.length > 0 ? `Arguing: ${r.conflicts.map((c) => `${c.a.name} & ${c.b.name}`).join('; ')}.` : '',
      r.newMembers.length > 0 ? `New here: ${r.newMembers.map((m) => m.name).join(', ')}.` : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  userStats: (u) =>
    [
      `${u.name}: ${u.messages} messages, ${u.averageLength} characters on average${u.isNew ? ', new here' : ''}.`,
      u.activity.mostActiveHour !== null ? `Most active around ${u.activity.mostActiveHour}:00.` : '',
      u.favouriteWords.length > 0
        ? `Favourite words: ${u.favouriteWords
            .slice(0, 5)
            .map((w) => w.word)
            .join(', ')}.`
        : '',
      `Toxicity: ${Math.round(u.toxicity.level * 100)}%.`,
      u.relations.allies.length > 0 ? `Friends with: ${u.relations.allies.map((a) => a.name).join(', ')}.` : '',
      u.relations.conflicts.length > 0 ? `Arguing with: ${u.relations.conflicts.map((a) => a.name).join(', ')}.` : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  top: (r) =>
    [
      'Most active:',
      ...r.topMembers.slice(0, 5).map((m, i) => `${i + 1}. ${m.name} — ${m.messages} (${Math.round(m.share * 100)}%)`),
      r.topWords.length > 0
        ? `Chat words: ${r.topWords
            .slice(0, 8)
            .map((w) => w.word)
            .join(', ')}.`
        : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  summary: (s) => {
    if (s.messages === 0) return `Nothing happened in the last ${s.hours} h.`;
    const head =
      s.basis === 'since-last-message'
        ? `While you were away: ${s.messages} messages.`
        : `Last ${s.hours} h: ${s.messages} messages.`;
    return [
      `${head} Most talkative: ${s.participants
        .slice(0, 4)
        .map((p) => `${p.name} (${p.messages})`)
        .join(', ')}.`,
      s.topics.length > 0 || s.keywords.length > 0
        ? `Talked about: ${[...s.topics, ...s.keywords].slice(0, 6).join(', ')}.`
        : '',
      ...s.highlights.map((h) => `Got everyone talking: ${h.name}: "${h.text}"`),
      ...s.forYou.map((m) => `${m.name} wrote to you: "${m.text}"`),
      s.conflicts.length > 0 ? `Heads up, arguing: ${s.conflicts.map((c) => `${c.a} & ${c.b}`).join('; ')}.` : '',
      s.partial ? '(I only remember part of it: the chat was very busy.)' : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n');
  },
  anomalyNotice: (kind, detail) =>
    `⚠️ For the admins: ${kind === 'takeover' ? "an account may have been taken over: a member isn't acting like themselves" : 'this looks like a raid'}. ${detail}.`,
};

function helpLines(commands: readonly HelpLine[]): string[] {
  return commands.map((c) => `/${c.name}${c.args === null ? '' : ` ${c.args}`} — ${c.description}`);
}

const uk: Phrasebook = {
  ...ukReminders,
  ...ukPersona,
  ...ukStyle,
  ...ukRate,
  start: (name) =>
    `Здоровенькі були! Я ${spokenName(name, 'uk').name}. Пишіть мені на ім’я або відповіддю на моє повідомлення — відповім. Що вмію: /help`,
  help: (commands, name) =>
    [
      `Я ${spokenName(name, 'uk').name}, звичайний хлопець із чату. Кличте на ім’я («${spokenName(name, 'uk').calling}, …»), через @ або відповіддю на моє повідомлення.`,
      ...helpLines(commands),
    ].join('\n'),
  unknownCommand: (typed) => `Команди /${typed} я не знаю. Що вмію: /help`,
  commandOff: (typed) => `/${typed} у цьому чаті вимкнена. Адміни вмикають плагіни командою /plugin on <назва>.`,
  commandUnavailable: (typed) => `/${typed} у цього бота ще не налаштована: її підключає власник бота.`,
  pluginDown: () => 'Це в мене зараз не працює, спробуй трохи згодом.',
  pluginList: (plugins) =>
    [
      'Плагіни:',
      ...plugins.map((p) => `${p.enabled ? '✅' : '⛔'} ${p.name} — ${p.description}`),
      'Увімкнути чи вимкнути (адміни): /plugin on|off <назва>',
    ].join('\n'),
  pluginSwitched: (name, enabled) => (enabled ? `Плагін ${name} увімкнено.` : `Плагін ${name} вимкнено.`),
  pluginUnknown: (name) => `Плагіна «${name}» немає. Список: /plugins`,
  pluginUsage: () =>
    'Ось так: /plugin on|off <назва>, /plugin settings <назва>, /plugin set <назва> <налаштування> <значення>, /plugin reset <назва> [налаштування]. Список: /plugins',
  pluginAlwaysOn: (name) => `${name} потрібен завжди, його не вимкнути.`,
  pluginSettings: (name, settings) =>
    Object.keys(settings).length === 0
      ? `У плагіна ${name} немає налаштувань, які змінюють у чаті.`
      : [
          `Налаштування ${name} у цьому чаті:`,
          ...settingLines(settings),
          `Змінити (адміни): /plugin set ${name} <налаштування> <значення>`,
        ].join('\n'),
  pluginSettingSet: (name, key, value) => `${name}: ${key} = ${showSetting(value)} у цьому чаті.`,
  pluginSettingReset: (name, key) =>
    key === null ? `${name}: у цьому чаті знову типові налаштування.` : `${name}: ${key} знову має типове значення.`,
  pluginSettingFixed: (name, key, changeable) =>
    changeable.length === 0
      ? `У ${name} у чаті нічого не налаштовується.`
      : `«${key}» у ${name} у чаті не змінюється. Можна: ${changeable.join(', ')}.`,
  pluginSettingInvalid: (name, key, issues) => `${name}: «${key}» так не вийде (${issues}).`,
  adminsOnly: () => 'Це можуть лише адміни чату.',
  digestTitle: () => '🗞 Підсумки дня',
  rateLimited: (seconds) => `Пригальмуй трохи 🙂 Забагато питань поспіль — відповім знову приблизно за ${seconds} с.`,
  violation: (kind) =>
    ({
      flood: 'Давай повільніше, не флуди.',
      repeat: 'Одне й те саме багато разів — це вже спам.',
      'copy-paste': 'Однакові повідомлення від різних людей схожі на спам-розсилку.',
      link: 'Посилання від нових учасників тут під фільтром.',
      invite: 'Запрошення до інших чатів тут заборонені.',
      'banned-word': 'Давай без таких слів, у цьому чаті вони заборонені.',
    })[kind],
  modeIs: (mode) => `Зараз режим: ${mode}. Змінити: /mode ${MODES}.`,
  modeSet: (mode) => `Тепер режим ${mode}. ${modeMeaningUk(mode)}`,
  modeInvalid: (typed) => `Не знаю режиму «${typed}». Бувають: ${MODES}.`,
  modeAdminsOnly: () => 'Режим змінюють лише адміни чату.',
  modePrivate: () => 'В особистих режимів немає: тут я завжди відповідаю.',
  unknownMember: (who) => `Про ${who ?? 'цього учасника'} я поки нічого не знаю.`,
  guardFallback: () => 'Гм, краще поговорімо про щось інше.',
  chatStats: (r) =>
    [
      `Повідомлень: ${r.messages}, учасників: ${r.members} (активних за тиждень: ${r.activeMembers}).`,
      r.activity.mostActiveHours.length > 0
        ? `Найжвавіші години: ${r.activity.mostActiveHours.map((h) => `${h}:00`).join(', ')}.`
        : '',
      `Настрій: ${{ positive: 'гарний', neutral: 'рівний', negative: 'так собі' }[r.mood.label]} (${r.mood.current}).`,
      r.allies.length > 0 ? `Дружать: ${r.allies.map((a) => `${a.a.name} і ${a.b.name}`).join('; ')}.` : '',
      r.conflicts.length > 0 ? `Сперечаються: ${r.conflicts.map((c) => `${c.a.name} і ${c.b.name}`).join('; ')}.` : '',
      r.newMembers.length > 0 ? `Новенькі: ${r.newMembers.map((m) => m.name).join(', ')}.` : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  userStats: (u) =>
    [
      `${u.name}: ${u.messages} повідомл., у середньому ${u.averageLength} символів${u.isNew ? ', новенький' : ''}.`,
      u.activity.mostActiveHour !== null ? `Найчастіше пише близько ${u.activity.mostActiveHour}:00.` : '',
      u.favouriteWords.length > 0
        ? `Улюблені слова: ${u.favouriteWords
            .slice(0, 5)
            .map((w) => w.word)
            .join(', ')}.`
        : '',
      `Токсичність: ${Math.round(u.toxicity.level * 100)}%.`,
      u.relations.allies.length > 0 ? `Дружить із: ${u.relations.allies.map((a) => a.name).join(', ')}.` : '',
      u.relations.conflicts.length > 0 ? `Сперечається з: ${u.relations.conflicts.map((a) => a.name).join(', ')}.` : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  top: (r) =>
    [
      'Найактивніші:',
      ...r.topMembers.slice(0, 5).map((m, i) => `${i + 1}. ${m.name} — ${m.messages} (${Math.round(m.share * 100)}%)`),
      r.topWords.length > 0
        ? `Слова чату: ${r.topWords
            .slice(0, 8)
            .map((w) => w.word)
            .join(', ')}.`
        : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n'),
  summary: (s) => {
    if (s.messages === 0) return `За ${hoursUk(s.hours)} тут було тихо.`;
    const head =
      s.basis === 'since-last-message'
        ? `Поки тебе не було: ${s.messages} повідомл.`
        : `За ${hoursUk(s.hours)}: ${s.messages} повідомл.`;
    return [
      `${head} Найбільше писали: ${s.participants
        .slice(0, 4)
        .map((p) => `${p.name} (${p.messages})`)
        .join(', ')}.`,
      s.topics.length > 0 || s.keywords.length > 0
        ? `Обговорювали: ${[...s.topics.map(topicUk), ...s.keywords].slice(0, 6).join(', ')}.`
        : '',
      ...s.highlights.map((h) => `Зачепило всіх: ${h.name}: «${h.text}»`),
      ...s.forYou.map((m) => `Тобі писав(ла) ${m.name}: «${m.text}»`),
      s.conflicts.length > 0 ? `Обережно, сперечаються: ${s.conflicts.map((c) => `${c.a} і ${c.b}`).join('; ')}.` : '',
      s.partial ? '(Пам’ятаю не все: чат був дуже активний.)' : '',
    ]
      .filter((l) => l.length > 0)
      .join('\n');
  },
  anomalyNotice: (kind, detail) =>
    `⚠️ Адмінам: ${kind === 'takeover' ? 'можливо, чужий акаунт: учасник поводиться не як зазвичай' : 'схоже на рейд'}. ${detail}.`,
};

function showSetting(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function settingLines(settings: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(settings).map(([key, value]) => `• ${key} = ${showSetting(value)}`);
}

/** The phrasebook for a message's language; Russian for anything but English and Ukrainian. */
export function phrasebookFor(language: Language): Phrasebook {
  if (language === 'en') return en;
  return language === 'uk' ? uk : ru;
}

function modeMeaningRu(mode: ChatMode): string {
  return {
    silent: 'Сам не встреваю, отвечаю, только когда зовут.',
    normal: 'Иногда встреваю в разговор сам.',
    active: 'Буду встревать почаще.',
  }[mode];
}

function modeMeaningUk(mode: ChatMode): string {
  return {
    silent: 'Сам не втручаюся, відповідаю, лише коли кличуть.',
    normal: 'Іноді сам долучаюся до розмови.',
    active: 'Долучатимуся частіше.',
  }[mode];
}

function modeMeaningEn(mode: ChatMode): string {
  return {
    silent: 'I only answer when called.',
    normal: 'I join in now and then.',
    active: "I'll join in more often.",
  }[mode];
}

function hoursRu(hours: number): string {
  const n10 = hours % 10;
  const n100 = hours % 100;
  if (n10 === 1 && n100 !== 11) return `${hours} час`;
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return `${hours} часа`;
  return `${hours} часов`;
}

function topicRu(topic: string): string {
  return (
    {
      work: 'работу',
      games: 'игры',
      food: 'еду',
      tech: 'технику',
      money: 'деньги',
      sport: 'спорт',
      movies: 'кино',
      music: 'музыку',
      travel: 'поездки',
      weather: 'погоду',
    }[topic] ?? topic
  );
}

function hoursUk(hours: number): string {
  const n10 = hours % 10;
  const n100 = hours % 100;
  if (n10 === 1 && n100 !== 11) return `${hours} годину`;
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return `${hours} години`;
  return `${hours} годин`;
}

function topicUk(topic: string): string {
  return (
    {
      work: 'роботу',
      games: 'ігри',
      food: 'їжу',
      tech: 'техніку',
      money: 'гроші',
      sport: 'спорт',
      movies: 'кіно',
      music: 'музику',
      travel: 'подорожі',
      weather: 'погоду',
    }[topic] ?? topic
  );
}
