import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../api-context.js';
import { ChatSettingsInvalidError } from '../../chat/index.js';
import { NotFoundError } from '../errors.js';
import type { PersonaDirectory } from '../ports/persona-directory.js';
import { findPersonaInfo, noSuchPersona } from './known-persona.js';
import { ChatMode, ChatSettings, ChatSettingsPatch, ChatSummary } from '../schemas/chat.js';
import { ChatReport, InsightSource } from '../schemas/insights.js';
import { Nullable } from '../schemas/nullable.js';
import { DebugPrompt } from '../schemas/prompt.js';
import { PageOf, pageQueryFields } from '../schemas/pagination.js';
import { Text } from '../schemas/text.js';
import { ChatParams, chatTarget } from './chat-params.js';
import { requireChat } from './require-chat.js';

const SettingsAnswer = Type.Object({ settings: ChatSettings });

/** Chats: list, report, settings, and the operator's controls (mode, settings, quarantine release). */
export const chatRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const { directory, insights, control } = ctx.deps;

  app.get(
    '/chats',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Chats by last activity, with title, type, mode, members and messages today',
        tags: ['chats'],
        querystring: Type.Object(
          {
            query: Type.Optional(
              Text({ minLength: 1, maxLength: 200, description: 'part of the title, or a chat id' }),
            ),
            ...pageQueryFields,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(ChatSummary) },
      },
    },
    async (request) =>
      directory.listChats({
        query: request.query.query,
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      }),
  );

  app.get(
    '/chats/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The chat and its report (activity, mood, top members, allies and conflicts, top words)',
        description:
          'The report comes from the live actor when the chat is active, else from its stored snapshot; reading never activates an actor.',
        tags: ['chats'],
        params: ChatParams,
        response: { 200: Type.Object({ chat: ChatSummary, report: Nullable(ChatReport), source: InsightSource }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const report = await insights.chatReport(chat.id);
      return { chat, report: report?.value ?? null, source: report?.source ?? ('none' as const) };
    },
  );

  app.get(
    '/chats/:id/settings',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "The chat's bot settings as its actor holds them",
        tags: ['chats'],
        params: ChatParams,
        response: { 200: Type.Object({ settings: ChatSettings, source: Type.Enum(['live', 'snapshot']) }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const settings = await insights.settings(chat.id);
      if (settings === undefined)
        throw new NotFoundError('CHAT_STATE_NOT_FOUND', `chat ${chat.id} has no bot state yet`);
      return { settings: settings.value, source: settings.source };
    },
  );

  app.get(
    '/chats/:id/prompt',
    {
      // The prompt holds the chat's recent history: reading it is audited.
      config: { role: 'operator', audit: { action: 'prompt.read', target: chatTarget } },
      schema: {
        summary:
          'The last prompt the bot built in this chat: persona, style rules and why, recalled memories with their scores, history',
        description:
          'Debug view, audited (`prompt.read`). Only a live chat has one (prompts are not stored); `prompt` is null otherwise or before the first reply.',
        tags: ['chats'],
        params: ChatParams,
        response: { 200: Type.Object({ prompt: Nullable(DebugPrompt) }) },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      const prompt = await insights.lastPrompt(chat.id);
      request.auditDetails = { found: prompt !== null };
      return { prompt };
    },
  );

  app.post(
    '/chats/:id/mode',
    {
      config: { role: 'operator', audit: { action: 'chat.mode.set', target: chatTarget } },
      schema: {
        summary: "Sets the bot's mode in the chat; answers once the chat's actor applied it",
        tags: ['chats'],
        params: ChatParams,
        body: Type.Object({ mode: ChatMode }, { additionalProperties: false }),
        response: { 200: SettingsAnswer },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      request.auditDetails = { mode: request.body.mode, previous: chat.mode };
      return { settings: await control.setMode(chat.id, request.body.mode) };
    },
  );

  app.patch(
    '/chats/:id/settings',
    {
      config: { role: 'operator', audit: { action: 'chat.settings.update', target: chatTarget } },
      schema: {
        summary: "Changes some of the chat's settings; answers once the chat's actor applied them",
        tags: ['chats'],
        params: ChatParams,
        body: ChatSettingsPatch,
        response: { 200: SettingsAnswer },
      },
    },
    async (request) => {
      const chat = await requireChat(directory, request.params.id);
      request.auditDetails = { patch: request.body };
      const persona = request.body.persona;
      const patch =
        typeof persona === 'string'
          ? { ...request.body, persona: knownPersona(ctx.deps.personas, persona) }
          : request.body;
      return { settings: await control.updateSettings(chat.id, patch) };
    },
  );

  app.post(
    '/chats/:id/release',
    {
      config: { role: 'operator', audit: { action: 'chat.quarantine.release', target: chatTarget } },
      schema: {
        summary: "Ends the chat's quarantine now instead of after the cooldown",
        tags: ['chats'],
        params: ChatParams,
        response: {
          200: Type.Object({ released: Type.Boolean({ description: 'false: the chat was not quarantined' }) }),
        },
      },
    },
    async (request) => {
      const released = control.release(request.params.id);
      request.auditDetails = { released };
      return { released };
    },
  );
};

/** The persona's name as configured, or `CHAT_SETTINGS_INVALID` naming the ones there are. */
function knownPersona(personas: PersonaDirectory | undefined, name: string): string {
  const found = findPersonaInfo(personas, name);
  if (found !== undefined) return found.name;
  throw new ChatSettingsInvalidError([`persona: ${noSuchPersona(personas, name)}`]);
}
