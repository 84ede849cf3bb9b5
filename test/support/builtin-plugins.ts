import { BUILTIN_PLUGINS, PluginHost, type ReminderBook, remindersPlugin } from '../../src/plugins/index.js';
import { MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { MemoryJobStore } from '../../src/storage/index.js';

const clock = new SystemClock();

/** Reminders kept in the in-memory job store (nothing delivers them here: that is the scheduler's part). */
export const reminderJobs = new MemoryJobStore(clock);

const book: ReminderBook = {
  add: async (r) => ({ id: (await reminderJobs.add({ kind: 'reminder', ...r })).id }),
  pending: async (chatId, userId) =>
    (await reminderJobs.list({ kind: 'reminder', chatId, userId, status: 'pending', limit: 100 })).map((j) => ({
      id: j.id,
      dueAtMs: j.dueAtMs,
      text: j.text,
    })),
  cancel: (id, userId) => reminderJobs.cancel(id, userId),
  countPending: (query) => reminderJobs.countPending(query),
};

/** The built-in plugins, hosted as the wiring hosts them (their time limits on the system clock). */
export const builtinPlugins: PluginHost = await PluginHost.create({
  plugins: [...BUILTIN_PLUGINS, remindersPlugin(book, () => clock.now())].map((plugin) => ({
    plugin,
    source: 'builtin',
  })),
  clock,
  metrics: new MetricsRegistry(),
  logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
});
