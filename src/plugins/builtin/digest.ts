import { z } from 'zod';
import { phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

const HOUR_MS = 3_600_000;

/**
 * A daily digest of the chat — who talked, about what, what drew replies —
 * posted at the hour a chat chooses in its local time. Off until a chat
 * switches it on (`/plugin on digest`); a quiet day posts nothing.
 */
export const digestPlugin = definePlugin({
  name: 'digest',
  version: '1.0.0',
  kind: 'job',
  description: {
    en: 'A daily digest of the chat at a chosen hour',
    ru: 'Ежедневные итоги чата в выбранный час',
    uk: 'Щоденні підсумки чату в обрану годину',
  },
  enabledByDefault: false,
  settings: z.object({
    /** The local hour (0–23, the chat's time zone) the digest is posted at. */
    hour: z.number().int().min(0).max(23).default(21),
    /** How many hours back the digest looks. */
    hours: z.number().int().min(1).max(72).default(24),
  }),
  setup(p) {
    // Every hour, on the hour: each chat gets its digest at its own local hour.
    p.cron(
      '0 * * * *',
      async (ctx) => {
        for (const chatId of await ctx.chats()) {
          if (ctx.signal.aborted) return;
          const { view, settings } = await ctx.chat(chatId);
          const offsetMs = view.settings().utcOffsetMinutes * 60_000;
          const localHour = Math.floor((ctx.scheduledAtMs + offsetMs) / HOUR_MS) % 24;
          if (localHour !== settings.hour) continue;
          const summary = view.summary({
            askerId: 0,
            previousSeenMs: 0,
            hours: settings.hours,
            beforeMessageId: Number.MAX_SAFE_INTEGER,
          });
          if (summary.messages === 0) continue;
          const say = phrasebookFor(view.language());
          await ctx.post(chatId, `${say.digestTitle()}\n${say.summary(summary)}`);
        }
      },
      { name: 'daily', missedRuns: 'skip' },
    );
  },
});
