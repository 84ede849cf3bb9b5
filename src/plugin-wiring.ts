import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChatMsg, ChatState } from './actors/index.js';
import type { ChatView, PersonaCatalog, PluginChoices } from './chat/index.js';
import type { Config } from './config/index.js';
import {
  ALWAYS_ON_PLUGINS,
  BUILTIN_PLUGINS,
  INTEGRATION_PLUGINS,
  loadPluginModules,
  maskSecrets,
  PluginHost,
  type PluginOutbox,
  type PluginSource,
  type PrivacyDesk,
  personaPlugin,
  privacyPlugin,
  type ReminderBook,
  remindersPlugin,
} from './plugins/index.js';
import type {
  AuditLog,
  ChatDirectory,
  ChatPluginInfo,
  JobClaimScope,
  JobStore,
  PluginAdmin,
  PluginConfigEntry,
  PluginConfigStore,
} from './ports/index.js';
import {
  type Clock,
  type MetricsRegistry,
  PluginLoadError,
  PluginRefusedError,
  PluginSettingsInvalidError,
} from './runtime/index.js';
import { nextRunAfter, Scheduler } from './scheduler/index.js';
import { MemoryJobStore, type Storage } from './storage/index.js';
import type { Supervisor } from './supervisor/index.js';

type Chats = Supervisor<number, ChatMsg, ChatState>;

/** The scheduler of reminders and plugin jobs, on storage's `jobs` table (or in memory without storage). */
export function openScheduler(
  storage: Storage | null,
  clock: Clock,
  metrics: MetricsRegistry,
  logger: Logger,
  /** Cluster mode: the chats whose jobs this member claims. */
  scope?: () => JobClaimScope,
) {
  const store: JobStore = storage?.jobs(clock) ?? new MemoryJobStore(clock);
  const scheduler = new Scheduler({
    ...(scope === undefined ? {} : { scope }),
    store,
    clock,
    // Unique per process and never reused: a restarted process must not pass for the one that held a lease.
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    logger,
    metrics,
  });
  return { scheduler, store };
}

/**
 * The plugin host, created once: the built-in plugins, reminders on the
 * scheduler, and the modules named in `PLUGINS`, with the settings of
 * `PLUGINS_CONFIG` and the environment and what operators stored.
 */
export async function openPlugins(w: {
  config: Config;
  env: Readonly<Record<string, string | undefined>>;
  scheduler: Scheduler;
  store: JobStore;
  configStore: PluginConfigStore | undefined;
  audit: AuditLog | undefined;
  /** `/mydata` and `/forgetme`. */
  privacy: PrivacyDesk;
  /** `/persona` lists and switches between these. */
  personas: PersonaCatalog;
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
}): Promise<PluginHost> {
  const { config, scheduler, store, clock } = w;
  const book: ReminderBook = {
    add: async (r) => ({
      id: (
        await scheduler.add({ kind: 'reminder', chatId: r.chatId, userId: r.userId, text: r.text, dueAtMs: r.dueAtMs })
      ).id,
    }),
    pending: async (chatId, userId) =>
      (await store.list({ kind: 'reminder', chatId, userId, status: ['pending', 'claimed'], limit: 100 })).map(
        (job) => ({ id: job.id, dueAtMs: job.dueAtMs, text: job.text }),
      ),
    cancel: (id, userId) => store.cancel(id, userId),
    countPending: (query) => store.countPending(query),
  };
  const sources: PluginSource[] = [
    ...BUILTIN_PLUGINS.map((plugin) => ({ plugin, source: 'builtin' })),
    { plugin: remindersPlugin(book, () => clock.now()), source: 'builtin' },
    { plugin: privacyPlugin(w.privacy), source: 'builtin' },
    { plugin: personaPlugin(w.personas), source: 'builtin' },
    ...INTEGRATION_PLUGINS.map((plugin) => ({ plugin, source: 'builtin' })),
    ...(await loadPluginModules(config.PLUGINS, process.cwd())),
  ];
  return PluginHost.create({
    plugins: sources,
    clock,
    metrics: w.metrics,
    logger: w.logger,
    env: w.env,
    config: await readPluginsConfig(config.PLUGINS_CONFIG),
    ...(w.configStore === undefined ? {} : { store: w.configStore }),
    ...(w.audit === undefined ? {} : { audit: w.audit }),
    timeoutMs: config.PLUGIN_TIMEOUT_MS,
  });
}

/**
 * Hands the scheduler what it runs: reminders, sent once through the chat's
 * actor (marked delivering first, so a crash leaves them in doubt rather
 * than sent twice), and every plugin's recurring jobs.
 */
export async function scheduleJobs(scheduler: Scheduler, host: PluginHost, outbox: PluginOutbox, clock: Clock) {
  scheduler.handle(
    'reminder',
    async (job) => {
      if (job.chatId === null) return;
      await outbox.post(job.chatId, 'reminders', job.text);
    },
    { idempotent: false },
  );
  for (const job of host.jobs()) {
    const kind = `plugin:${job.plugin}:${job.name}`;
    scheduler.handle(kind, (claimed, signal) => host.runJob(job.plugin, job.name, claimed.dueAtMs, outbox, signal), {
      idempotent: true,
    });
    await scheduler.ensureRecurring({
      kind,
      key: kind,
      dueAtMs: nextRunAfter(job.schedule, clock.now()) ?? clock.now(),
      schedule: job.schedule,
      missedRuns: job.missedRuns,
    });
  }
}

/** Where plugin jobs and reminders post: the chat's actor, which checks the plugin is on there. */
export function pluginOutbox(supervisor: Chats, directory: ChatDirectory | undefined, host: PluginHost): PluginOutbox {
  return {
    post: (chatId, plugin, text) =>
      supervisor.ask<boolean>(chatId, (reply) => ({ type: 'PluginPost', plugin, text, done: reply })),
    view: (chatId) =>
      supervisor.ask<{ view: ChatView; choices: PluginChoices }>(chatId, (reply) => ({ type: 'GetChatView', reply })),
    data: (chatId, plugin) => ({
      read: () => supervisor.ask<unknown>(chatId, (reply) => ({ type: 'GetPluginData', plugin, reply })),
      update: (change) =>
        supervisor.ask<unknown>(chatId, (reply) => ({ type: 'UpdatePluginData', plugin, change, reply })),
    }),
    async chatsWith(plugin) {
      // Every chat the bot knows, asked for its choices: a job that posts to all chats visits each once per run.
      const chats: number[] = [];
      if (directory === undefined) return chats;
      let cursor: string | undefined;
      do {
        const page = await directory.listChats({ limit: 500, cursor, query: undefined });
        for (const chat of page.items) {
          const choices = await supervisor.ask<PluginChoices>(chat.id, (reply) => ({
            type: 'GetPluginChoices',
            reply,
          }));
          if (host.isOn(plugin, choices)) chats.push(chat.id);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return chats;
    },
  };
}

/** The plugin host as the admin API drives it; per-chat changes go through the chat's actor. */
export function pluginAdmin(host: PluginHost, supervisor: Chats): PluginAdmin {
  const forChat = async (chatId: number): Promise<ChatPluginInfo[]> => {
    const choices = await supervisor.ask<PluginChoices>(chatId, (reply) => ({ type: 'GetPluginChoices', reply }));
    return [...host.plugins.values()].map((hosted) => chatInfo(host, hosted.plugin.name, choices));
  };
  const choose = async (
    chatId: number,
    name: string,
    change: (current: PluginChoices) => PluginChoices[string] | null,
  ) => {
    host.get(name);
    const current = await supervisor.ask<PluginChoices>(chatId, (reply) => ({ type: 'GetPluginChoices', reply }));
    const choices = await supervisor.ask<PluginChoices>(chatId, (reply) => ({
      type: 'ChoosePlugin',
      plugin: name,
      choice: change(current),
      reply,
    }));
    return chatInfo(host, name, choices);
  };
  return {
    list: () => [...host.plugins.keys()].map((name) => host.info(name)),
    get: (name) => (host.plugins.has(name) ? host.info(name) : undefined),
    async setEnabled(name, enabled) {
      await host.setEnabled(name, enabled);
      return host.info(name);
    },
    async setSettings(name, settings) {
      await host.setSettings(name, settings);
      return host.info(name);
    },
    forChat,
    setChatEnabled: (chatId, name, enabled) =>
      choose(chatId, name, (current) => {
        if (enabled === false && ALWAYS_ON_PLUGINS.has(name))
          throw new PluginRefusedError(name, 'every chat needs it; it cannot be switched off');
        const { enabled: _old, ...rest } = current[name] ?? {};
        return enabled === null ? (Object.keys(rest).length === 0 ? null : rest) : { ...rest, enabled };
      }),
    setChatSettings: (chatId, name, overrides) =>
      choose(chatId, name, (current) => {
        host.get(name).settings.checkChat(overrides, chatId);
        return { ...current[name], settings: overrides };
      }),
    routes: () => [...host.plugins.values()].flatMap((hosted) => hosted.routes),
  };
}

function chatInfo(host: PluginHost, name: string, choices: PluginChoices): ChatPluginInfo {
  const hosted = host.get(name);
  const choice = choices[name];
  return {
    name,
    enabled: host.enabledIn(hosted, choices),
    chosen: choice?.enabled !== undefined,
    settings: maskSecrets(hosted.settings.inChat(choice?.settings)),
    overrides: maskSecrets(choice?.settings ?? {}),
  };
}

/** Reads `PLUGINS_CONFIG`; a file that is missing or not JSON of the right shape stops the start. */
async function readPluginsConfig(path: string | undefined): Promise<Record<string, PluginConfigEntry>> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PluginLoadError(`PLUGINS_CONFIG ${path}`, (err as NodeJS.ErrnoException).code ?? 'cannot be read', {
      cause: err,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PluginLoadError(`PLUGINS_CONFIG ${path}`, 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PluginLoadError(`PLUGINS_CONFIG ${path}`, 'must be an object keyed by plugin name');
  for (const [name, entry] of Object.entries(parsed)) {
    const e = entry as PluginConfigEntry;
    if (typeof e !== 'object' || e === null) throw new PluginSettingsInvalidError(name, ['must be an object'], path);
    if (e.enabled !== undefined && typeof e.enabled !== 'boolean')
      throw new PluginSettingsInvalidError(name, ['enabled: expected true or false'], path);
    if (e.settings !== undefined && (typeof e.settings !== 'object' || e.settings === null))
      throw new PluginSettingsInvalidError(name, ['settings: expected an object'], path);
  }
  return parsed as Record<string, PluginConfigEntry>;
}
