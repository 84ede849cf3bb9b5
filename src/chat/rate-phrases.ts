/** What the bot says to `/rate`; part of the {@link Phrasebook}. */
export interface RatePhrases {
  /** The rating was taken. */
  rated(value: 1 | -1): string;
  /** `/rate` without a rating it understands, or not as a reply. */
  rateUsage(): string;
  /** `/rate` as a reply to a message that is not one of the bot's recent replies. */
  rateNotMine(): string;
}

export const ruRate: RatePhrases = {
  rated: (value) => (value > 0 ? 'Спасибо, учёл 👍' : 'Понял, учёл 👎 Постараюсь лучше.'),
  rateUsage: () => 'Ответь на моё сообщение командой /rate 👍 или /rate 👎 (можно + или -).',
  rateNotMine: () => 'Оценить можно только мои недавние ответы: ответь /rate на моё сообщение.',
};

export const ukRate: RatePhrases = {
  rated: (value) => (value > 0 ? 'Дякую, оцінку врахував 👍' : 'Зрозумів, оцінку врахував 👎 Постараюся краще.'),
  rateUsage: () => 'Дай відповідь на моє повідомлення командою /rate 👍 або /rate 👎 (можна + або -).',
  rateNotMine: () => 'Оцінити можна лише мої недавні відповіді: дай відповідь /rate на моє повідомлення.',
};

export const enRate: RatePhrases = {
  rated: (value) => (value > 0 ? 'Thanks, noted 👍' : "Got it, noted 👎 I'll do better."),
  rateUsage: () => 'Reply to my message with /rate 👍 or /rate 👎 (or + and -).',
  rateNotMine: () => 'Only my recent replies can be rated: reply /rate to one of my messages.',
};
