import { InvalidOptionError, type Logger } from '../runtime/index.js';
import type { BotApiEmulator } from './bot-api-emulator.js';
import { SeededRandom } from './seeded-random.js';

export interface SandboxMember {
  id: number;
  firstName: string;
  username?: string;
}

/** A simulated group chat: who is in it and what they say, in order (`[member index, text]`). */
export interface SandboxChat {
  chatId: number;
  title: string;
  members: SandboxMember[];
  script: Array<[number, string]>;
}

const DACHA: SandboxChat = {
  chatId: -1001000000001,
  title: 'Дача у Серёги',
  members: [
    { id: 7001, firstName: 'Серёга', username: 'serega' },
    { id: 7002, firstName: 'Маша' },
    { id: 7003, firstName: 'Дима', username: 'dimon' },
  ],
  script: [
    [0, 'Народ, кто в субботу едет на дачу?'],
    [0, 'Лёха, ты с нами? Шашлык с тебя, как обычно 😄'],
    [1, 'Я еду! Беру салат и гитару'],
    [2, 'Я только к вечеру смогу, работа'],
    [1, 'Кстати, мариновать с вечера или утром?'],
    [2, 'Лёх, рассуди: кефир или лук с уксусом?'],
    [0, 'Дима, опять споришь с Машей из-за маринада'],
    [1, 'Прогноз обещает дождь, может, перенесём?'],
    [2, '@lekha_sandbox_bot а ты что думаешь про погоду?'],
    [0, 'Ладно, решено: едем в любом случае'],
  ],
};

const DEV: SandboxChat = {
  chatId: -1001000000002,
  title: 'Dev team',
  members: [
    { id: 7101, firstName: 'Alice', username: 'alice_dev' },
    { id: 7102, firstName: 'Bob' },
    { id: 7103, firstName: 'Carol', username: 'carol' },
  ],
  script: [
    [1, 'The build took 14 minutes again though'],
    [2, 'Lekha, any idea why our CI is so slow?'],
    [0, 'Deploy is green, nice work everyone'],
    [0, 'Probably the integration tests, they spin up Postgres every time'],
    [1, 'Should we cache node_modules?'],
    [2, 'Lekha what would you do first: caching or splitting the test suite?'],
    [0, 'Friday deploys: yes or no?'],
    [1, 'No. Never. Not after last time.'],
    [2, '/help'],
    [0, 'Retro at 4pm, bring ideas'],
  ],
};

const FOOTBALL: SandboxChat = {
  chatId: -1001000000003,
  title: 'Футбол по четвергам',
  members: [
    { id: 7201, firstName: 'Артём' },
    { id: 7202, firstName: 'Kevin', username: 'kev' },
    { id: 7203, firstName: 'Олег', username: 'oleg_gk' },
  ],
  script: [
    [0, 'В четверг играем в 20:00, поле то же'],
    [1, "I'm in! Can someone bring a spare ball?"],
    [2, 'Я на воротах, как всегда'],
    [1, 'Lekha, who wins tonight, team red or team blue?'],
    [0, 'Лёха, скажи Олегу, что пенальти был'],
    [2, 'Не было там пенальти!'],
    [1, 'Haha, VAR is needed here'],
    [0, 'Счёт запомнили? 7:5 вроде'],
    [2, 'Лёх, ты вообще за кого болеешь?'],
    [1, 'See you Thursday 🙌'],
  ],
};

export const SANDBOX_CHATS: readonly SandboxChat[] = [DACHA, DEV, FOOTBALL];

export interface SandboxConversationOptions {
  chats?: readonly SandboxChat[];
  /** Pause between two messages (over all chats), drawn uniformly. */
  minDelayMs?: number;
  maxDelayMs?: number;
  seed?: number;
  logger?: Logger;
}

/**
 * Plays scripted group conversations into the Bot API emulator at a human
 * pace (a message every few seconds across the chats), looping the scripts,
 * and logs both sides so a newcomer sees the bot at work.
 */
export class SandboxConversation {
  private timer: NodeJS.Timeout | null = null;
  private readonly position = new Map<number, number>();
  private turn = 0;
  private firstPost = true;
  private readonly random: SeededRandom;
  private readonly chats: readonly SandboxChat[];

  constructor(
    private readonly emulator: BotApiEmulator,
    private readonly options: SandboxConversationOptions = {},
  ) {
    this.chats = options.chats ?? SANDBOX_CHATS;
    this.random = new SeededRandom(options.seed ?? 42);
    if (this.chats.length === 0) throw new InvalidOptionError('chats', 'the sandbox needs at least one chat');
  }

  start(): void {
    if (this.timer !== null) return;
    this.firstPost = true;
    const titles = new Map(this.chats.map((c) => [c.chatId, c.title]));
    this.emulator.onSent = (sent) => {
      this.options.logger?.info(
        { chat: titles.get(sent.chatId) ?? sent.chatId },
        `🤖 ${this.emulator.botUser.first_name}: ${sent.text}`,
      );
    };
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.emulator.onSent = null;
  }

  private schedule(): void {
    // The first message comes quickly, so the sandbox shows life right away.
    const delayMs = this.firstPost
      ? 500
      : this.random.int(this.options.minDelayMs ?? 2000, this.options.maxDelayMs ?? 5000);
    this.firstPost = false;
    this.timer = setTimeout(() => {
      this.post();
      this.schedule();
    }, delayMs);
    this.timer.unref();
  }

  private post(): void {
    const chat = this.chats[this.turn++ % this.chats.length] as SandboxChat;
    const at = this.position.get(chat.chatId) ?? 0;
    this.position.set(chat.chatId, at + 1);
    const [memberIndex, text] = chat.script[at % chat.script.length] as [number, string];
    const member = chat.members[memberIndex % chat.members.length] as SandboxMember;
    this.emulator.injectMessage({
      chatId: chat.chatId,
      chatType: 'supergroup',
      title: chat.title,
      from: {
        id: member.id,
        firstName: member.firstName,
        ...(member.username === undefined ? {} : { username: member.username }),
      },
      text,
    });
    this.options.logger?.info({ chat: chat.title }, `💬 ${member.firstName}: ${text}`);
  }
}
