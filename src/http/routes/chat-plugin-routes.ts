import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { NotFoundError } from '../errors.js';
import { ChatEnabledBody, ChatPluginInfo, PluginName, SettingsBody } from '../schemas/plugin.js';
import { TelegramId } from '../schemas/telegram-id.js';
import { ChatParams, chatTarget } from './chat-params.js';
import { pluginHost, settingsDetails, settingsRequestDetails } from './plugin-host.js';
import { requireChat } from './require-chat.js';

const ChatPluginParams = Type.Object({ id: TelegramId.chat(), name: PluginName });
const ChatPluginAnswer = Type.Object({ plugin: ChatPluginInfo });

/** The audit target of a change to one plugin in one chat, e.g. `chat:-100123:plugin:weather`. */
const chatPluginTarget = (request: FastifyRequest): string =>
  `${chatTarget(request)}:plugin:${String((request.params as { name?: unknown }).name)}`;

/** Plugins in one chat: which are on there, and the chat's own settings of each. */
export const chatPluginRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory } = ctx.deps;
  /** The chat must be known (404 otherwise) and the plugin loaded, before anything is asked of the host. */
  const requireBoth = async (chatId: number, name: string): Promise<void> => {
    const host = pluginHost(ctx);
    await requireChat(directory, chatId);
    if (host.get(name) === undefined) throw new NotFoundError('PLUGIN_NOT_FOUND', `no plugin ${name} is loaded`);
  };

  app.get(
    '/chats/:id/plugins',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every plugin in the chat: on or off there, whether the chat chose, its settings there',
        tags: ['plugins', 'chats'],
        params: ChatParams,
        response: { 200: Type.Object({ items: Type.Array(ChatPluginInfo) }) },
      },
    },
    async (request) => {
      const host = pluginHost(ctx);
      const chat = await requireChat(directory, request.params.id);
      return { items: await host.forChat(chat.id) };
    },
  );

  app.put(
    '/chats/:id/plugins/:name/enabled',
    {
      config: { role: 'operator', audit: { action: 'chat.plugin.enabled.set', target: chatPluginTarget } },
      schema: {
        summary: 'Switches a plugin on or off in the chat, or (null) lets the chat follow the default again',
        tags: ['plugins', 'chats'],
        params: ChatPluginParams,
        body: ChatEnabledBody,
        response: { 200: ChatPluginAnswer },
      },
    },
    async (request) => {
      const { id, name } = request.params;
      await requireBoth(id, name);
      request.auditDetails = { enabled: request.body.enabled };
      return { plugin: await pluginHost(ctx).setChatEnabled(id, name, request.body.enabled) };
    },
  );

  app.put(
    '/chats/:id/plugins/:name/settings',
    {
      config: {
        role: 'operator',
        audit: {
          action: 'chat.plugin.settings.set',
          target: chatPluginTarget,
          requestDetails: settingsRequestDetails,
        },
      },
      schema: {
        summary: "Replaces the chat's overrides of a plugin's settings",
        description:
          "An empty object drops every override. Checked by the plugin's schema like the global settings (400 `PLUGIN_SETTINGS_INVALID` with `issues`).",
        tags: ['plugins', 'chats'],
        params: ChatPluginParams,
        body: SettingsBody,
        response: { 200: ChatPluginAnswer },
      },
    },
    async (request) => {
      const { id, name } = request.params;
      await requireBoth(id, name);
      request.auditDetails = settingsDetails(request.body.settings);
      return { plugin: await pluginHost(ctx).setChatSettings(id, name, request.body.settings) };
    },
  );
};
