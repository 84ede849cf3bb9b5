import {
  type ChatAccess,
  type ChatState,
  type ChatView,
  changePluginData,
  type CommandCall,
  type PluginDataAccess,
} from '../../src/chat/index.js';
import { type Plugin, PluginHost, type PluginHostOptions } from '../../src/plugins/index.js';
import { ManualClock, MetricsRegistry } from '../../src/runtime/index.js';
import { CapturingLogger } from './capturing-logger.js';

/** A host over `plugins` with a manual clock, fresh metrics and a capturing logger; `options` override any of them. */
export async function hostOf(plugins: readonly unknown[], options: Partial<PluginHostOptions> = {}) {
  const clock = options.clock ?? new ManualClock();
  const metrics = options.metrics ?? new MetricsRegistry();
  const logger = (options.logger as CapturingLogger | undefined) ?? new CapturingLogger();
  const host = await PluginHost.create({
    plugins: plugins.map((plugin) => ({ plugin, source: 'test' })),
    ...options,
    clock,
    metrics,
    logger,
  });
  return { host, clock, metrics, logger };
}

/** A group chat as a plugin call borrows it: one member, Маша (5), who is an admin when `admins` says so. */
export function chatAccess(chatId = -100, admins: readonly number[] = []): ChatAccess {
  const view = {
    chatId,
    kind: 'supergroup',
    language: () => 'ru',
    persona: () => 'Лёха',
    members: () => [{ id: 5, name: 'Маша', username: 'masha', messages: 3, lastSeenMs: 0 }],
  } as unknown as ChatView;
  return { view, isAdmin: async (id) => admins.includes(id), recall: async () => [], pluginData: pluginDataIn() };
}

/** Plugins' data kept in `state` (a fresh one by default), read and changed as the chat actor does. */
export function pluginDataIn(state = { revision: 0 } as Pick<ChatState, 'revision' | 'pluginData'>) {
  return (plugin: string): PluginDataAccess => ({
    read: async () => structuredClone(state.pluginData?.[plugin]),
    update: async (change) => changePluginData(state as ChatState, plugin, change),
  });
}

/** A command call from Маша in a group chat. */
export function callOf(
  plugin: string,
  command: string,
  args = '',
  language: CommandCall['language'] = 'ru',
): CommandCall {
  return {
    plugin,
    command,
    args,
    messageId: 1,
    from: { id: 5, name: 'Маша' },
    chatKind: 'supergroup',
    language,
    previousSeenMs: 0,
  };
}

/** A signal that never aborts. */
export const live = new AbortController().signal;

export type { Plugin };
