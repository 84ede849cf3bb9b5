import { Cron } from 'croner';
import { z } from 'zod';
import type { JobSchedule, MissedRunPolicy, PluginRoute } from '../ports/index.js';
import { type Logger, parseDuration, PluginInvalidError } from '../runtime/index.js';
import type {
  CommandHandler,
  CommandOptions,
  JobHandler,
  JobOptions,
  Listener,
  ListenerEvent,
  Localized,
  Plugin,
  PluginSetup,
  RouteOptions,
  ToolOptions,
} from './plugin-api.js';
import { createPluginHttp, type PluginHttpClient } from './plugin-http.js';
import type { PluginSettings } from './plugin-settings.js';

export interface RegisteredCommand {
  plugin: string;
  name: string;
  handler: CommandHandler<Record<string, unknown>>;
  description: Localized;
  args: Localized | null;
  adminOnly: boolean;
  tool: { options: ToolOptions; jsonSchema: Record<string, unknown> } | null;
  phrase: ((text: string) => boolean) | null;
}

export interface RegisteredJob {
  plugin: string;
  name: string;
  schedule: Exclude<JobSchedule, { kind: 'once' }>;
  missedRuns: MissedRunPolicy;
  handler: JobHandler<Record<string, unknown>>;
}

/** A plugin after its `setup` ran: everything it registered, and its scope. */
export interface RegisteredPlugin {
  plugin: Plugin;
  /** `builtin`, or the `PLUGINS` entry it was loaded from. */
  source: string;
  settings: PluginSettings;
  log: Logger;
  commands: RegisteredCommand[];
  listeners: Map<ListenerEvent, Listener<Record<string, unknown>>[]>;
  jobs: RegisteredJob[];
  routes: PluginRoute[];
  clients: PluginHttpClient[];
}

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const EVENTS = new Set<ListenerEvent>(['message', 'member_joined', 'reaction']);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const ROLES = new Set(['viewer', 'operator', 'admin']);

/**
 * Runs a plugin's `setup` with a registration scope, checking each thing it
 * registers; anything wrong throws {@link PluginInvalidError}, which stops
 * the start. The scope only collects: nothing runs until the host starts.
 */
export async function registerPlugin(
  plugin: Plugin,
  source: string,
  settings: PluginSettings,
  log: Logger,
): Promise<RegisteredPlugin> {
  const name = plugin.name;
  const fail = (reason: string): never => {
    throw new PluginInvalidError(name, reason);
  };
  const registered: RegisteredPlugin = {
    plugin,
    source,
    settings,
    log,
    commands: [],
    listeners: new Map(),
    jobs: [],
    routes: [],
    clients: [],
  };
  const addJob = (
    schedule: RegisteredJob['schedule'],
    handler: JobHandler<Record<string, unknown>>,
    options: JobOptions = {},
  ) => {
    const jobName = options.name ?? 'default';
    if (!COMMAND_NAME.test(jobName)) fail(`job name ${JSON.stringify(jobName)} must be 1–32 letters, digits or _`);
    if (registered.jobs.some((j) => j.name === jobName))
      fail(`has two jobs named ${jobName}: give each a distinct \`name\``);
    if (typeof handler !== 'function') fail(`job ${jobName} needs a handler function`);
    registered.jobs.push({
      plugin: name,
      name: jobName,
      schedule,
      missedRuns: options.missedRuns ?? 'run-once',
      handler,
    });
  };

  const setup: PluginSetup<Record<string, unknown>> = {
    name,
    settings: settings.current,
    log,
    command<P extends z.ZodObject>(
      command: string,
      handler: CommandHandler<Record<string, unknown>>,
      options: CommandOptions<P>,
    ): void {
      if (!COMMAND_NAME.test(command))
        fail(`command ${JSON.stringify(command)} must be 1–32 lower case letters, digits or _`);
      if (typeof handler !== 'function') fail(`command /${command} needs a handler function`);
      if (registered.commands.some((c) => c.name === command)) fail(`registers /${command} twice`);
      if (options?.description === undefined) fail(`command /${command} needs a description`);
      let tool: RegisteredCommand['tool'] = null;
      if (options.tool !== undefined) {
        const { parameters, args, description } = options.tool;
        if (!(parameters instanceof z.ZodObject)) fail(`tool /${command}: parameters must be a zod object schema`);
        if (typeof args !== 'function') fail(`tool /${command}: args must turn the parameters into the command's text`);
        if (typeof description !== 'string' || description.trim() === '') fail(`tool /${command} needs a description`);
        tool = {
          options: options.tool as unknown as ToolOptions,
          jsonSchema: z.toJSONSchema(parameters, { unrepresentable: 'any' }) as Record<string, unknown>,
        };
      }
      registered.commands.push({
        plugin: name,
        name: command,
        handler,
        description: options.description,
        args: options.args ?? null,
        adminOnly: options.adminOnly === true,
        tool,
        phrase: typeof options.phrase === 'function' ? options.phrase : null,
      });
    },
    on<E extends ListenerEvent>(event: E, listener: Listener<Record<string, unknown>, E>): void {
      if (!EVENTS.has(event)) fail(`cannot listen to ${JSON.stringify(event)}: events are ${[...EVENTS].join(', ')}`);
      if (typeof listener !== 'function') fail(`listener of ${event} must be a function`);
      const list = registered.listeners.get(event) ?? [];
      list.push(listener as unknown as Listener<Record<string, unknown>>);
      registered.listeners.set(event, list);
    },
    every(interval: string, job: JobHandler<Record<string, unknown>>, options?: JobOptions): void {
      let everyMs = 0;
      try {
        everyMs = parseDuration(interval);
      } catch (err) {
        fail((err as Error).message);
      }
      addJob({ kind: 'every', everyMs }, job, options);
    },
    cron(pattern: string, job: JobHandler<Record<string, unknown>>, options?: JobOptions): void {
      try {
        new Cron(pattern, {
          paused: true,
          ...(options?.timeZone === undefined ? {} : { timezone: options.timeZone }),
        }).stop();
      } catch (err) {
        fail(`cron pattern ${JSON.stringify(pattern)} is invalid: ${(err as Error).message}`);
      }
      addJob(
        { kind: 'cron', pattern, ...(options?.timeZone === undefined ? {} : { timeZone: options.timeZone }) },
        job,
        options,
      );
    },
    route(route: RouteOptions): void {
      if (!METHODS.has(route.method))
        fail(`route method ${JSON.stringify(route.method)} is not one of ${[...METHODS].join(', ')}`);
      if (typeof route.url !== 'string' || !/^\/[A-Za-z0-9_\-/:.]*$/.test(route.url))
        fail(`route url ${JSON.stringify(route.url)} must start with / and hold only letters, digits, _-/:.`);
      const role = route.role ?? 'operator';
      if (!ROLES.has(role)) fail(`route role ${JSON.stringify(role)} is not viewer, operator or admin`);
      if (typeof route.handler !== 'function') fail(`route ${route.method} ${route.url} needs a handler`);
      if (registered.routes.some((r) => r.method === route.method && r.url === route.url))
        fail(`registers ${route.method} ${route.url} twice`);
      registered.routes.push({ plugin: name, method: route.method, url: route.url, role, handler: route.handler });
    },
    http(options) {
      const client = createPluginHttp(options);
      registered.clients.push(client);
      return client;
    },
  };

  try {
    await plugin.setup(setup);
  } catch (err) {
    if (err instanceof PluginInvalidError) throw err;
    await Promise.allSettled(registered.clients.map((c) => c.close()));
    fail(`setup failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return registered;
}
