import { InvalidOptionError } from '../runtime/index.js';

/**
 * Optional per-chat and per-user token allowances per UTC day, so one chatty
 * chat or user cannot spend the account's budget. `0` turns a limit off.
 * Only tokens the model really used count.
 */
export class DailyTokenBudget {
  private day = '';
  private readonly byChat = new Map<number, number>();
  private readonly byUser = new Map<number, number>();

  constructor(
    readonly perChat: number,
    readonly perUser: number,
  ) {
    if (!(perChat >= 0) || !(perUser >= 0))
      throw new InvalidOptionError(
        perChat >= 0 ? 'perUser' : 'perChat',
        'daily token budgets must be 0 (off) or positive',
      );
  }

  get enabled(): boolean {
    return this.perChat > 0 || this.perUser > 0;
  }

  /** Which allowance is spent today, if any. */
  exhausted(chatId: number, userId: number, nowMs: number): 'chat' | 'user' | null {
    if (!this.enabled) return null;
    this.roll(nowMs);
    if (this.perChat > 0 && (this.byChat.get(chatId) ?? 0) >= this.perChat) return 'chat';
    if (this.perUser > 0 && (this.byUser.get(userId) ?? 0) >= this.perUser) return 'user';
    return null;
  }

  spend(chatId: number, userId: number, tokens: number, nowMs: number): void {
    if (!this.enabled) return;
    this.roll(nowMs);
    if (this.perChat > 0) this.byChat.set(chatId, (this.byChat.get(chatId) ?? 0) + tokens);
    if (this.perUser > 0) this.byUser.set(userId, (this.byUser.get(userId) ?? 0) + tokens);
  }

  /** Tokens spent today by a chat and by a user. */
  spent(chatId: number, userId: number, nowMs: number): { chat: number; user: number } {
    this.roll(nowMs);
    return { chat: this.byChat.get(chatId) ?? 0, user: this.byUser.get(userId) ?? 0 };
  }

  private roll(nowMs: number): void {
    const day = new Date(nowMs).toISOString().slice(0, 10);
    if (day === this.day) return;
    this.day = day;
    this.byChat.clear();
    this.byUser.clear();
  }
}
