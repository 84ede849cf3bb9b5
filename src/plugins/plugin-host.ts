import type {
  ChatAccess,
  ChatPlugins,
  ChatView,
  CommandCall,
  CommandRoute,
  Language,
  PluginChoices,
  PluginDataAccess,
  PluginEffects,
  PluginEvent,
} from '../chat/index.js';
import { phrasebookFor } from '../chat/index.js';
import type {
  AuditLog,
  PluginConfigEntry,
  PluginConfigStore,
  PluginInfo,
  ToolCall,
  ToolCaller,
  ToolSpec,
} from '../ports/index.js';
import {
  type CircuitBreakerOptions,
  type Clock,
  type Logger,
  type MetricsRegistry,
  PluginInvalidError,
  PluginNotFoundError,
  PluginRefusedError,
} from '../runtime/index.js';
import type { z } from 'zod';
import {
  type ChatData,
  type ChatContext,
  type CommandContext,
  type HandlerResult,
  type ListenerContext,
  type Localized,
  type Plugin,
  PluginFailure,
} from './plugin-api.js';
import { PluginInvoker } from './plugin-invoker.js';
import { checkManifest, orderByRequirements } from './plugin-manifest.js';
import {
  type RegisteredCommand,
  type RegisteredJob,
  type RegisteredPlugin,
  registerPlugin,
} from './plugin-registration.js';
import { PluginSettings, readSettingText, settingsFromEnv, settingsJsonSchema } from './plugin-settings.js';

/** A plugin to load, and where it came from (`builtin`, or the `PLUGINS` entry). */
export interface PluginSource {
  plugin: unknown;
  source: string;
}

/** Where a plugin job's posts go: the chat's actor, which checks the plugin is on there and sends through its egress. */
export interface PluginOutbox {
  post(chatId: number, plugin: string, text: string): Promise<boolean>;
  /** The chats where the plugin is on. */
  chatsWith(plugin: string): Promise<number[]>;
  /** A chat as it is now (a copy), with its plugin choices. */
  view(chatId: number): Promise<{ view: ChatView; choices: PluginChoices }>;
  /** A plugin's data in a chat, read and changed through the chat's actor. */
  data(chatId: number, plugin: string): PluginDataAccess;
}

export interface PluginHostOptions {
  plugins: readonly PluginSource[];
  clock: Clock;
  metrics: MetricsRegistry;
  logger: Logger;
  /** The environment, for `PLUGIN_<NAME>_<SETTING>` and each plugin's own variables. */
  env?: Readonly<Record<string, string | undefined>>;
  /** `PLUGINS_CONFIG`'s content: per plugin, `enabled` and `settings`. */
  config?: Readonly<Record<string, PluginConfigEntry>>;
  /** Where operators' choices are kept; without it they last until the process stops. */
  store?: PluginConfigStore;
  /** Where changes chat admins make in Telegram are audited. */
  audit?: AuditLog;
  /** The longest a handler may run (default 10 s). */
  timeoutMs?: number;
  breaker?: CircuitBreakerOptions;
}

/** Plugins every chat needs, never switched off: without them nobody could see or switch anything back. */
// A member's rights over their own data (/mydata, /forgetme) are not a chat's to switch off.
export const ALWAYS_ON_PLUGINS: ReadonlySet<string> = new Set(['help', 'plugins', 'privacy']);
const ALWAYS_ON = ALWAYS_ON_PLUGINS;

const DEFAULT_TIMEOUT_MS = 10_000;

/** A plugin as the host keeps it. */
export interface HostedPlugin extends RegisteredPlugin {
  invoker: PluginInvoker;
  enabled: boolean;
  unavailable: string | null;
}

/**
 * The plugin host: registers the plugins at start-up (manifests,
 * requirements, settings, `setup`), answers which plugin has a command in a
 * chat, and runs handlers for chat actors as side effects, each in its
 * plugin's scope (settings in effect in the chat, logger, metrics, breaker).
 * What a handler answers comes back as {@link PluginEffects} for the actor to
 * apply in its next turn; nothing here touches chat state.
 */
export class PluginHost implements ChatPlugins {
  private readonly byCommand = new Map<string, RegisteredCommand>();
  private readonly listening = new Set<PluginEvent['type']>();
  /** Commands with a phrase matcher, in registration order. */
  private readonly phrased: RegisteredCommand[] = [];

  private constructor(
    readonly plugins: ReadonlyMap<string, HostedPlugin>,
    private readonly options: PluginHostOptions,
  ) {
    for (const hosted of plugins.values()) {
      for (const command of hosted.commands) {
        const clash = this.byCommand.get(command.name);
        if (clash !== undefined)
          throw new PluginInvalidError(hosted.plugin.name, `/${command.name} is already a command of ${clash.plugin}`);
        this.byCommand.set(command.name, command);
        if (command.phrase !== null) this.phrased.push(command);
      }
      for (const event of hosted.listeners.keys()) this.listening.add(event);
    }
  }

  /** Checks, orders and sets up every plugin; a bad one throws {@link PluginInvalidError} (the start stops). */
  static async create(options: PluginHostOptions): Promise<PluginHost> {
    const sources = new Map<string, string>();
    const plugins = options.plugins.map(({ plugin, source }) => {
      const checked = checkManifest(plugin, source);
      sources.set(checked.name, source);
      return checked;
    });
    const stored = (await options.store?.load()) ?? {};
    const hosted = new Map<string, HostedPlugin>();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      for (const plugin of orderByRequirements(plugins)) {
        const config = options.config?.[plugin.name];
        const settings = new PluginSettings(plugin, {
          ...config?.settings,
          ...settingsFromEnv(plugin, options.env ?? {}),
        });
        const operator = stored[plugin.name];
        if (operator?.settings !== undefined) {
          try {
            settings.setOperator(operator.settings, 'stored operator settings');
          } catch (err) {
            // A plugin upgraded since may not take what operators stored for its older version.
            options.logger.warn({ plugin: plugin.name, err }, 'stored plugin settings no longer fit; using the others');
          }
        }
        const log = childLogger(options.logger, plugin.name);
        const registered = await registerPlugin(plugin, sources.get(plugin.name)!, settings, log);
        hosted.set(plugin.name, {
          ...registered,
          invoker: new PluginInvoker(plugin.name, options.clock, options.metrics, timeoutMs, options.breaker ?? {}),
          enabled: ALWAYS_ON.has(plugin.name) || (operator?.enabled ?? config?.enabled ?? true),
          unavailable: plugin.unavailable?.(settings.current as never) ?? null,
        });
      }
      return new PluginHost(hosted, options);
    } catch (err) {
      await Promise.allSettled([...hosted.values()].flatMap((h) => h.clients.map((c) => c.close())));
      throw err;
    }
  }

  get(name: string): HostedPlugin {
    const hosted = this.plugins.get(name);
    if (hosted === undefined) throw new PluginNotFoundError(name);
    return hosted;
  }

  /** Whether a plugin runs in a chat with these choices. */
  enabledIn(hosted: HostedPlugin, choices: PluginChoices | undefined): boolean {
    const name = hosted.plugin.name;
    if (ALWAYS_ON.has(name)) return true;
    if (!hosted.enabled || hosted.unavailable !== null) return false;
    return choices?.[name]?.enabled ?? hosted.plugin.enabledByDefault ?? true;
  }

  isOn(plugin: string, choices: PluginChoices | undefined): boolean {
    const hosted = this.plugins.get(plugin);
    return hosted !== undefined && this.enabledIn(hosted, choices);
  }

  route(command: string, choices: PluginChoices | undefined): CommandRoute | null {
    const found = this.byCommand.get(command);
    if (found === undefined) return null;
    const hosted = this.get(found.plugin);
    return {
      plugin: found.plugin,
      command: found.name,
      enabled: this.enabledIn(hosted, choices),
      ...(hosted.unavailable === null ? {} : { unavailable: true }),
    };
  }

  matchPhrase(text: string, choices: PluginChoices | undefined): CommandRoute | null {
    for (const command of this.phrased) {
      const hosted = this.get(command.plugin);
      if (!this.enabledIn(hosted, choices)) continue;
      try {
        if (command.phrase!(text)) return { plugin: command.plugin, command: command.name, enabled: true };
      } catch (err) {
        // A matcher runs in the chat's turn: one that throws counts against its plugin and matches nothing.
        hosted.invoker.metrics.failures.inc();
        this.logFailure(hosted, 'failed', err, { command: command.name, in: 'phrase matcher' });
      }
    }
    return null;
  }

  command(name: string): RegisteredCommand | undefined {
    return this.byCommand.get(name);
  }

  /** Every command of the plugins on in a chat, as `/help` lists them. */
  commandsIn(choices: PluginChoices | undefined): RegisteredCommand[] {
    return [...this.byCommand.values()].filter((c) => this.enabledIn(this.get(c.plugin), choices));
  }

  async runCommand(
    chatId: number,
    call: CommandCall,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    signal: AbortSignal,
  ): Promise<PluginEffects> {
    const command = this.byCommand.get(call.command);
    const say = phrasebookFor(call.language);
    if (command === undefined || command.plugin !== call.plugin) return { texts: [say.unknownCommand(call.command)] };
    const hosted = this.get(command.plugin);
    if (!this.enabledIn(hosted, choices))
      return {
        texts: [hosted.unavailable === null ? say.commandOff(call.command) : say.commandUnavailable(call.command)],
      };
    const effects: PluginEffects = { texts: [] };
    const outcome = await hosted.invoker.invoke(async (callSignal) => {
      const ctx = this.commandContext(
        hosted,
        chatId,
        call,
        choices,
        access,
        effects,
        call.via ?? 'command',
        callSignal,
      );
      if (command.adminOnly && !(await ctx.isAdmin())) return say.adminsOnly();
      return command.handler(ctx);
    }, signal);
    if (!outcome.ok) {
      this.logFailure(hosted, outcome.reason, outcome.error, { chatId, command: call.command });
      return outcome.reason === 'stopped'
        ? { texts: [] }
        : { texts: [failureAnswer(outcome.error) ?? say.pluginDown()] };
    }
    addText(effects, outcome.value);
    if (effects.choices !== undefined) await this.auditChoices(chatId, call.from.id, effects.choices);
    return effects;
  }

  /** The commands the model may call in a chat: tools of the plugins on there whose breaker lets calls through. */
  toolsIn(choices: PluginChoices | undefined): ToolSpec[] {
    return this.commandsIn(choices).flatMap((command) =>
      command.tool === null || command.adminOnly || !this.get(command.plugin).invoker.allows()
        ? []
        : [{ name: command.name, description: command.tool.options.description, parameters: command.tool.jsonSchema }],
    );
  }

  /**
   * Runs a command the model called as a tool and resolves to the text for
   * the model. Never rejects: an unknown or switched-off tool, arguments the
   * tool's schema refuses, a failure or a timeout come back as a short
   * `error: …` text. A tool call answers the model only; it cannot change the
   * chat (its settings or plugin switches).
   */
  async runTool(
    caller: ToolCaller,
    call: ToolCall,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    signal: AbortSignal,
  ): Promise<string> {
    const command = this.byCommand.get(call.name);
    if (
      command === undefined ||
      command.tool === null ||
      command.adminOnly ||
      !this.enabledIn(this.get(command.plugin), choices)
    )
      return `error: there is no tool named ${JSON.stringify(call.name.slice(0, 64))}`;
    let parameters: unknown;
    try {
      parameters = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return 'error: the arguments are not valid JSON';
    }
    const parsed = command.tool.options.parameters.safeParse(parameters);
    if (!parsed.success)
      return `error: bad arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
    const hosted = this.get(command.plugin);
    const language = caller.language === 'en' || caller.language === 'uk' ? caller.language : 'ru';
    const commandCall: CommandCall = {
      plugin: command.plugin,
      command: command.name,
      args: command.tool.options.args(parsed.data).trim(),
      messageId: caller.messageId,
      from: { id: caller.userId, name: access.view.members().find((m) => m.id === caller.userId)?.name ?? '' },
      chatKind: access.view.kind,
      language,
      previousSeenMs: 0,
    };
    const effects: PluginEffects = { texts: [] };
    const outcome = await hosted.invoker.invoke(
      (callSignal) =>
        command.handler(
          this.commandContext(hosted, caller.chatId, commandCall, choices, access, effects, 'tool', callSignal),
        ),
      signal,
    );
    if (!outcome.ok) {
      this.logFailure(hosted, outcome.reason, outcome.error, { chatId: caller.chatId, tool: call.name });
      const answer = failureAnswer(outcome.error);
      if (answer !== null) return `error: ${answer}`;
      return outcome.reason === 'timeout' ? 'error: the tool timed out' : 'error: the tool failed';
    }
    addText(effects, outcome.value);
    return effects.texts.length === 0 ? '(the tool gave no answer)' : effects.texts.join('\n');
  }

  listensTo(type: PluginEvent['type']): boolean {
    return this.listening.has(type);
  }

  async notify(
    chatId: number,
    event: PluginEvent,
    language: Language,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    signal: AbortSignal,
  ): Promise<PluginEffects> {
    const effects: PluginEffects = { texts: [] };
    const runs = [...this.plugins.values()]
      .filter((hosted) => hosted.listeners.has(event.type) && this.enabledIn(hosted, choices))
      .map(async (hosted) => {
        for (const listener of hosted.listeners.get(event.type)!) {
          const outcome = await hosted.invoker.invoke(
            (callSignal) =>
              listener(this.listenerContext(hosted, chatId, event, language, choices, access, effects, callSignal)),
            signal,
          );
          if (!outcome.ok) this.logFailure(hosted, outcome.reason, outcome.error, { chatId, event: event.type });
          else addText(effects, outcome.value);
        }
      });
    await Promise.all(runs);
    return effects;
  }

  /** A plugin as operators see it. */
  info(name: string): PluginInfo {
    const hosted = this.get(name);
    const { plugin } = hosted;
    return {
      name,
      version: plugin.version,
      description: localize(plugin.description, 'en'),
      kind: plugin.kind,
      requires: { ...plugin.requires },
      source: hosted.source,
      commands: hosted.commands.map((c) => ({
        name: c.name,
        description: localize(c.description, 'en'),
        args: c.args === null ? null : localize(c.args, 'en'),
        tool: c.tool !== null,
        adminOnly: c.adminOnly,
      })),
      listens: [...hosted.listeners.keys()],
      jobs: hosted.jobs.map((j) => ({
        name: j.name,
        schedule: j.schedule.kind === 'every' ? `every ${j.schedule.everyMs / 1000}s` : j.schedule.pattern,
      })),
      routes: hosted.routes.map((r) => ({ method: r.method, url: r.url, role: r.role })),
      settingsSchema: settingsJsonSchema(plugin),
      settings: maskSecrets(hosted.settings.current),
      enabled: hosted.enabled,
      enabledByDefault: ALWAYS_ON.has(name) || (plugin.enabledByDefault ?? true),
      unavailable: hosted.unavailable,
      stats: hosted.invoker.metrics.stats(),
      breaker: hosted.invoker.breaker.state(this.options.clock.now()),
    };
  }

  /** Every recurring job of every plugin, for the scheduler. */
  jobs(): RegisteredJob[] {
    return [...this.plugins.values()].flatMap((h) => h.jobs);
  }

  /**
   * Runs a plugin's job once. Resolves when it succeeded; rejects with its
   * error (the scheduler retries and, in the end, dead-letters it). A job of
   * a plugin switched off for the whole bot is skipped.
   */
  async runJob(
    plugin: string,
    job: string,
    scheduledAtMs: number,
    outbox: PluginOutbox,
    signal: AbortSignal,
  ): Promise<void> {
    const hosted = this.get(plugin);
    if (!hosted.enabled || hosted.unavailable !== null) return;
    const registered = hosted.jobs.find((j) => j.name === job);
    if (registered === undefined) throw new PluginNotFoundError(`${plugin}:${job}`);
    const outcome = await hosted.invoker.invoke(
      (callSignal) =>
        registered.handler({
          plugin,
          job,
          settings: hosted.settings.current,
          scheduledAtMs,
          signal: callSignal,
          log: hosted.log,
          chats: () => outbox.chatsWith(plugin),
          post: (chatId, text) => outbox.post(chatId, plugin, text),
          chat: async (chatId) => {
            const { view, choices } = await outbox.view(chatId);
            return {
              view,
              settings: hosted.settings.inChat(choices[plugin]?.settings),
              data: (schema) => chatData(schema, outbox.data(chatId, plugin), hosted.log),
            };
          },
        }),
      signal,
    );
    if (!outcome.ok) {
      this.logFailure(hosted, outcome.reason, outcome.error, { job });
      throw outcome.error ?? new Error(`plugin ${plugin} job ${job}: ${outcome.reason}`);
    }
  }

  /** Switches a plugin on or off for the whole bot, durably when there is a store. */
  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const hosted = this.get(name);
    if (!enabled && ALWAYS_ON.has(name))
      throw new PluginRefusedError(name, 'every chat needs it; it cannot be switched off');
    await this.options.store?.save(name, { enabled, settings: hosted.settings.operatorOverrides });
    hosted.enabled = enabled;
  }

  /** Replaces the operators' settings of a plugin (validated first), durably when there is a store. */
  async setSettings(name: string, given: Record<string, unknown>): Promise<void> {
    const hosted = this.get(name);
    const before = hosted.settings.operatorOverrides;
    // A secret sent back as shown (masked) keeps its value.
    const overrides = Object.fromEntries(
      Object.entries(given)
        .filter(([key, value]) => !(value === SECRET_MASK && isSecretName(key)))
        .concat(Object.entries(before).filter(([key]) => given[key] === SECRET_MASK && isSecretName(key))),
    );
    hosted.settings.setOperator(overrides);
    try {
      await this.options.store?.save(name, { enabled: hosted.enabled, settings: overrides });
    } catch (err) {
      hosted.settings.setOperator(before);
      throw err;
    }
    hosted.unavailable = hosted.plugin.unavailable?.(hosted.settings.current as never) ?? null;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.plugins.values()].flatMap((h) => h.clients.map((c) => c.close())));
  }

  /*
   * A call's context is the chat's fields in one object literal, with the
   * call's own fields assigned onto it (`Object.assign`), never an object
   * spread into a literal with more fields. Built by spreading (a chat
   * context into a command context, then `signal` on top), a command
   * allocated 12–15 KB more, and V8 promoted about a third of what a
   * command allocated though nothing held it after the call: freed only by
   * the next full collection. At 1,200 commands a second that was 2–3 MB
   * promoted per scavenge and scavenges of 4–7 ms (docs/benchmarks.md,
   * integrations).
   */
  private chatContext(
    hosted: HostedPlugin,
    chatId: number,
    language: Language,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    effects: PluginEffects,
    signal: AbortSignal,
  ): ChatContext<Record<string, unknown>> {
    return {
      plugin: hosted.plugin.name,
      chatId,
      chatKind: access.view.kind,
      language,
      settings: hosted.settings.inChat(choices?.[hosted.plugin.name]?.settings),
      chat: access.view,
      log: hosted.log,
      signal,
      reply: (text: string) => addText(effects, text),
      recall: (text: string, k = 5) => access.recall(text, k),
      data: <T>(schema: z.ZodType<T>) => chatData(schema, access.pluginData(hosted.plugin.name), hosted.log),
    };
  }

  private listenerContext(
    hosted: HostedPlugin,
    chatId: number,
    event: PluginEvent,
    language: Language,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    effects: PluginEffects,
    signal: AbortSignal,
  ): ListenerContext<Record<string, unknown>> {
    return Object.assign(this.chatContext(hosted, chatId, language, choices, access, effects, signal), { event });
  }

  private commandContext(
    hosted: HostedPlugin,
    chatId: number,
    call: CommandCall,
    choices: PluginChoices | undefined,
    access: ChatAccess,
    effects: PluginEffects,
    via: CommandContext<unknown>['via'],
    signal: AbortSignal,
  ): CommandContext<Record<string, unknown>> {
    const viaTool = via === 'tool';
    let adminAnswer: Promise<boolean> | undefined;
    const own: Omit<CommandContext<Record<string, unknown>>, keyof ChatContext<Record<string, unknown>>> = {
      command: call.command,
      args: call.args,
      argv: call.args.length === 0 ? [] : call.args.split(/\s+/),
      messageId: call.messageId,
      from: call.from,
      replyTo: call.replyTo,
      previousSeenMs: call.previousSeenMs,
      via,
      isAdmin: () =>
        (adminAnswer ??=
          call.senderIsAdmin !== undefined ? Promise.resolve(call.senderIsAdmin) : access.isAdmin(call.from.id)),
      changeSettings: (patch) => {
        if (viaTool) throw new PluginRefusedError(hosted.plugin.name, 'a tool call cannot change the chat');
        effects.settings = { ...effects.settings, ...patch };
      },
      choosePlugin: (name, enabled) => {
        if (viaTool) throw new PluginRefusedError(hosted.plugin.name, 'a tool call cannot change the chat');
        this.get(name);
        if (enabled === false && ALWAYS_ON.has(name))
          throw new PluginRefusedError(name, 'every chat needs it; it cannot be switched off');
        effects.choices = { ...effects.choices, [name]: enabled === null ? null : { enabled } };
      },
      setChatSetting: (name, key, value) => {
        if (viaTool) throw new PluginRefusedError(hosted.plugin.name, 'a tool call cannot change the chat');
        const target = this.get(name);
        if (!(target.plugin.chatSettings ?? []).includes(key))
          throw new PluginRefusedError(name, `a chat cannot change its setting ${JSON.stringify(key.slice(0, 64))}`);
        const pending = effects.choices?.[name];
        const { [key]: _old, ...others } = pending?.settings ?? choices?.[name]?.settings ?? {};
        const source = `chat ${chatId}`;
        const field = (target.plugin.settings.shape as Record<string, z.ZodType>)[key]!;
        const overrides = value === null ? others : { ...others, [key]: readSettingText(name, source, value, field) };
        target.settings.checkChat(overrides, chatId);
        // Choices merge into the chat's: an empty set of overrides (not a missing one) is what clears them.
        effects.choices = { ...effects.choices, [name]: { ...pending, settings: overrides } };
      },
      resetStyle: () => {
        if (viaTool) throw new PluginRefusedError(hosted.plugin.name, 'a tool call cannot change the chat');
        effects.resetStyle = true;
      },
      rateReply: (messageId, value) => {
        if (viaTool) throw new PluginRefusedError(hosted.plugin.name, 'a tool call cannot rate replies');
        effects.ratings = [...(effects.ratings ?? []), { messageId, value }];
      },
      plugins: () =>
        [...this.plugins.values()].map((h) => ({
          name: h.plugin.name,
          description: localize(h.plugin.description, call.language),
          enabled: this.enabledIn(h, choices),
          commands: h.commands.map((c) => ({
            name: c.name,
            args: c.args === null ? null : localize(c.args, call.language),
            description: localize(c.description, call.language),
          })),
          chatSettings: offeredSettings(h, choices),
        })),
    };
    return Object.assign(this.chatContext(hosted, chatId, call.language, choices, access, effects, signal), own);
  }

  private async auditChoices(
    chatId: number,
    userId: number,
    choices: NonNullable<PluginEffects['choices']>,
  ): Promise<void> {
    const audit = this.options.audit;
    if (audit === undefined) return;
    for (const [name, choice] of Object.entries(choices)) {
      const settingsChange = choice !== null && 'settings' in choice;
      try {
        await audit.append({
          at: new Date(this.options.clock.now()).toISOString(),
          actor: { tokenId: `telegram:${userId}`, label: 'chat admin in Telegram', role: 'operator' },
          action: settingsChange ? 'plugin.chat.settings.set' : 'plugin.chat.enabled.set',
          target: `chat:${chatId}`,
          ip: 'telegram',
          userAgent: null,
          outcome: 'ok',
          statusCode: 0,
          // Chats change only settings the plugin offers them, never credentials: the values are safe to keep.
          details: settingsChange
            ? { plugin: name, settings: choice.settings ?? {} }
            : { plugin: name, enabled: choice === null ? null : (choice.enabled ?? null) },
        });
      } catch (err) {
        this.options.logger.warn({ err, chatId, plugin: name }, 'could not audit a plugin switch made in Telegram');
      }
    }
  }

  private logFailure(hosted: HostedPlugin, reason: string, error: unknown, fields: Record<string, unknown>): void {
    if (reason === 'stopped') return;
    // The error object may carry what a member typed (in its message): its code and class only.
    hosted.log.warn(
      { ...fields, reason, code: (error as { code?: unknown })?.code, error: (error as Error | undefined)?.name },
      `plugin call ${reason === 'breaker-open' ? 'refused: its breaker is open' : reason}`,
    );
  }
}

/** What operators see in place of a secret setting's value. */
export const SECRET_MASK = '********';

/** Settings named like credentials (`apiKey`, `token`, `password`, `secret`). */
function isSecretName(key: string): boolean {
  return /key|token|secret|password/i.test(key);
}

/** Settings with credentials masked: they are shown to viewers of the admin API. */
export function maskSecrets(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) =>
      isSecretName(key) && typeof value === 'string' && value !== '' ? [key, SECRET_MASK] : [key, value],
    ),
  );
}

/** A text in the language asked for, English when there is none. */
export function localize(text: Localized, language: Language | 'en'): string {
  if (typeof text === 'string') return text;
  return (language === 'ru' || language === 'uk' ? (text[language] ?? text.ru) : undefined) ?? text.en;
}

/**
 * A plugin's data in a chat read through its schema: what the schema refuses
 * (a plugin upgraded since it stored it, a hand-edited snapshot) reads as the
 * schema's default rather than failing every call in that chat.
 */
function chatData<T>(schema: z.ZodType<T>, access: PluginDataAccess, log: Logger): ChatData<T> {
  const read = (value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    if (value !== undefined)
      log.warn(
        { issues: parsed.error.issues.length },
        'stored plugin data no longer fits its schema; read as its default',
      );
    const fallback = schema.safeParse(undefined);
    if (!fallback.success) throw new TypeError('a plugin data schema must accept undefined: give it a default');
    return fallback.data;
  };
  return {
    get: async () => read(await access.read()),
    update: async (change) => read(await access.update((current) => change(read(current)))),
  };
}

/** The settings a plugin lets chats change, with their values in a chat with these choices. */
function offeredSettings(hosted: HostedPlugin, choices: PluginChoices | undefined): Record<string, unknown> {
  const offered = hosted.plugin.chatSettings ?? [];
  if (offered.length === 0) return {};
  const inChat = hosted.settings.inChat(choices?.[hosted.plugin.name]?.settings);
  return Object.fromEntries(offered.map((key) => [key, inChat[key]]));
}

/** What a handler that threw {@link PluginFailure} wants said instead of the generic line. */
function failureAnswer(error: unknown): string | null {
  return error instanceof PluginFailure && error.answer.trim() !== '' ? error.answer : null;
}

function addText(effects: PluginEffects, value: HandlerResult): void {
  if (typeof value === 'string' && value.trim() !== '') effects.texts.push(value);
}

function childLogger(logger: Logger, plugin: string): Logger {
  const child = (logger as Logger & { child?: (bindings: object) => Logger }).child;
  if (typeof child === 'function') return child.call(logger, { plugin });
  return {
    info: (obj, msg) => logger.info({ plugin, ...obj }, msg),
    warn: (obj, msg) => logger.warn({ plugin, ...obj }, msg),
    error: (obj, msg) => logger.error({ plugin, ...obj }, msg),
    debug: (obj, msg) => logger.debug?.({ plugin, ...obj }, msg),
  };
}

export type { Plugin };
