import type { Clock } from '../runtime/index.js';
import { type SendLimits, SlidingWindow } from '../telegram/index.js';
import { tooManyRequests } from './bot-api-error.js';

/**
 * Telegram's flood limits as the Bot API emulator enforces them: per chat
 * (private chats per second, groups per minute) and for the whole bot, with
 * time from `clock`. A chat that was told to wait keeps getting 429 until its
 * retry_after has passed, as on Telegram.
 */
export class FloodGate {
  /** Sends refused with 429. */
  rejections = 0;
  private readonly chatWindows = new Map<number, SlidingWindow>();
  /** Chats told to wait, and until when (ms). */
  private readonly penalty = new Map<number, number>();
  private readonly globalWindow: SlidingWindow | null;

  /** `limits` false: no flood limits, only penalties set with {@link holdOff}. */
  constructor(
    private readonly limits: SendLimits | false,
    private readonly clock: Clock,
  ) {
    this.globalWindow = limits === false ? null : new SlidingWindow(Math.max(1, Math.floor(limits.globalPerS)), 1000);
  }

  /** Counts one send into `chatId`, or throws a 429 BotApiError when it would go over a limit. */
  admit(chatId: number): void {
    const now = this.clock.now();
    const until = this.penalty.get(chatId);
    if (until !== undefined) {
      if (until > now) throw this.reject(until - now);
      this.penalty.delete(chatId);
    }
    if (this.limits === false || this.globalWindow === null) return;
    const window = this.windowOf(chatId, this.limits);
    const chatAt = window.nextAllowedAt(now);
    if (chatAt > now) {
      this.penalty.set(chatId, chatAt);
      throw this.reject(chatAt - now);
    }
    const globalAt = this.globalWindow.nextAllowedAt(now);
    if (globalAt > now) throw this.reject(globalAt - now);
    window.record(now);
    this.globalWindow.record(now);
  }

  /** Refuses sends into `chatId` for `retryAfterS` seconds from now (a 429 answered by a fault). */
  holdOff(chatId: number, retryAfterS: number): void {
    this.penalty.set(chatId, this.clock.now() + retryAfterS * 1000);
  }

  private windowOf(chatId: number, limits: SendLimits): SlidingWindow {
    let window = this.chatWindows.get(chatId);
    if (window === undefined) {
      window =
        chatId > 0
          ? new SlidingWindow(Math.max(1, Math.floor(limits.privatePerS)), 1000)
          : new SlidingWindow(Math.max(1, Math.floor(limits.groupPerMin)), 60_000);
      this.chatWindows.set(chatId, window);
    }
    return window;
  }

  private reject(waitMs: number): Error {
    this.rejections++;
    return tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
  }
}
