import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { NotFoundError } from '../errors.js';
import { EnabledBody, PluginInfo, PluginParams, SettingsBody } from '../schemas/plugin.js';
import { pluginHost, pluginTarget, settingsDetails, settingsRequestDetails } from './plugin-host.js';

const PluginAnswer = Type.Object({ plugin: PluginInfo });

/** The bot's plugins for the whole bot: list, one plugin, its switch and its settings. */
export const pluginRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const known = (name: string): PluginInfo => {
    const plugin = pluginHost(ctx).get(name);
    if (plugin === undefined) throw new NotFoundError('PLUGIN_NOT_FOUND', `no plugin ${name} is loaded`);
    return plugin;
  };

  app.get(
    '/plugins',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Loaded plugins with their metadata, switch, settings, call figures and breaker state',
        tags: ['plugins'],
        response: { 200: Type.Object({ items: Type.Array(PluginInfo) }) },
      },
    },
    async () => ({ items: pluginHost(ctx).list() }),
  );

  app.get(
    '/plugins/:name',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One plugin',
        tags: ['plugins'],
        params: PluginParams,
        response: { 200: PluginAnswer },
      },
    },
    async (request) => ({ plugin: known(request.params.name) }),
  );

  app.put(
    '/plugins/:name/enabled',
    {
      config: { role: 'operator', audit: { action: 'plugin.enabled.set', target: pluginTarget } },
      schema: {
        summary: 'Switches a plugin on or off for the whole bot',
        description:
          'Chats keep their own choice; a plugin switched off here runs in no chat. Audited (`plugin.enabled.set`).',
        tags: ['plugins'],
        params: PluginParams,
        body: EnabledBody,
        response: { 200: PluginAnswer },
      },
    },
    async (request) => {
      const previous = known(request.params.name);
      request.auditDetails = { enabled: request.body.enabled, previous: previous.enabled };
      return { plugin: await pluginHost(ctx).setEnabled(request.params.name, request.body.enabled) };
    },
  );

  app.put(
    '/plugins/:name/settings',
    {
      config: {
        role: 'operator',
        audit: { action: 'plugin.settings.set', target: pluginTarget, requestDetails: settingsRequestDetails },
      },
      schema: {
        summary: "Replaces the operators' global settings of a plugin",
        description:
          "Checked by the plugin's own schema: a refusal is a 400 `PLUGIN_SETTINGS_INVALID` whose `issues` name each problem. Audited (`plugin.settings.set`) with the names of the settings, not their values.",
        tags: ['plugins'],
        params: PluginParams,
        body: SettingsBody,
        response: { 200: PluginAnswer },
      },
    },
    async (request) => {
      known(request.params.name);
      request.auditDetails = settingsDetails(request.body.settings);
      return { plugin: await pluginHost(ctx).setSettings(request.params.name, request.body.settings) };
    },
  );
};
