import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChatMsg, ChatState } from './actors/index.js';
import type { AdminStores } from './admin-stores.js';
import { type Persona, personaId } from './chat/index.js';
import { chatAdminPorts } from './chat-admin-ports.js';
import type { Config } from './config/index.js';
import { ingressStatus, llmBreakers, readinessProbes } from './health-ports.js';
import { loginSettings } from './login-settings.js';
import { type ErrorFeed, type HttpServer, startHttpServer } from './http/index.js';
import type { PersonaInfo } from './http/ports/persona-directory.js';
import type { LivePersonas } from './live-personas.js';
import type { LlmGateway } from './llm/index.js';
import type { MemoryPort } from './memory/index.js';
import type { AnomalyAlerts, ClusterView, ExperimentStore, PluginAdmin, SchedulerAdmin } from './ports/index.js';
import type { PrivacyEngine } from './privacy/index.js';
import type { Clock, MetricsRegistry } from './runtime/index.js';
import type { RuntimePersistence } from './runtime-persistence.js';
import { PgliteDatabase, PostgresFinetuneSource, type Storage } from './storage/index.js';
import { FinetuneExport } from './finetune-export.js';
import type { Supervisor } from './supervisor/index.js';
import type { DeadLetterOffice, TelegramEdge } from './telegram/index.js';

export interface AdminHttpWiring {
  config: Config;
  logger: Logger;
  clock: Clock;
  metrics: MetricsRegistry;
  supervisor: Supervisor<number, ChatMsg, ChatState>;
  persistence: RuntimePersistence | undefined;
  telegram: TelegramEdge;
  llm: LlmGateway;
  storage: Storage | null;
  memory: MemoryPort;
  deadLetters: DeadLetterOffice;
  errors: ErrorFeed | undefined;
  /** Raids and takeovers the chats reported. */
  anomalies: AnomalyAlerts;
  /** The tables (or files) the admin surface keeps its tokens, audit log and directory in. */
  stores: AdminStores;
  pluginAdmin: PluginAdmin;
  scheduler: SchedulerAdmin;
  privacy: PrivacyEngine | null;
  personas: LivePersonas;
  experiments: ExperimentStore;
  /**
   * Cluster mode: the view `/api/cluster`, `/readyz` and chat forwarding use;
   * whether this member is the one polling Telegram now (the leader); and the
   * CSRF key all members share (`sharedSecret` of `cluster_secrets`). Absent: one process.
   */
  cluster?: { view: ClusterView; pollsHere: () => boolean; csrfKey: Buffer } | undefined;
}

/** The admin API and dashboard on HTTP_HOST:HTTP_PORT; in webhook mode it also serves Telegram's webhook route. */
export async function serveAdminHttp({
  config,
  logger,
  clock,
  metrics,
  supervisor,
  persistence,
  telegram,
  llm,
  storage,
  memory,
  deadLetters,
  errors,
  anomalies,
  stores,
  pluginAdmin,
  scheduler,
  privacy,
  personas,
  experiments,
  cluster,
}: AdminHttpWiring): Promise<HttpServer> {
  const personaInfo = personaInfoOf(personas);
  const { insights, control, styles } = chatAdminPorts(
    supervisor,
    async (chatId) => (persistence === undefined ? undefined : await persistence.load(chatId)),
    clock,
  );
  const webhook =
    telegram.status().mode === 'webhook' ? [async (app: FastifyInstance) => telegram.registerWebhook(app)] : [];
  const http = await startHttpServer(
    {
      logger,
      metrics,
      runtime: supervisor,
      ...stores,
      adminToken: config.ADMIN_TOKEN,
      login: loginSettings(config),
      readiness: readinessProbes(storage, telegram, cluster === undefined ? {} : { pollsHere: cluster.pollsHere }),
      deadLetters,
      ingress: { ingress: () => ingressStatus(telegram) },
      breakers: llmBreakers(llm),
      insights,
      control,
      styles,
      personas: { list: () => personas.personas.map((p) => personaInfo(p)) },
      personaEditor: {
        save: async (input, by) => personaInfo(await personas.save(input, by, clock.now())),
        retire: (name) => personas.retire(name, clock.now()),
        versions: async (name) =>
          (await personas.history(name)).map(({ version, createdAtMs, createdBy, definition }) => ({
            version,
            createdAtMs,
            createdBy,
            definition,
          })),
      },
      memories: { forget: (chatId, userId) => memory.forgetUser(userId, chatId) },
      ...(privacy === null
        ? {}
        : {
            privacy: {
              pseudonym: (userId: number) => privacy.pseudonymOf(userId),
              exportMember: async (userId: number) => ({ ...(await privacy.exportMember(userId)) }),
              erase: (userId: number, requester) => privacy.erase(userId, requester),
            },
          }),
      ...(storage?.db instanceof PgliteDatabase ? { backup: storage.db } : {}),
      ...(storage === null
        ? {}
        : {
            finetune: new FinetuneExport({
              source: new PostgresFinetuneSource(storage.db, storage.cipher),
              catalog: personas,
              cipher: storage.cipher,
              now: () => clock.now(),
            }),
          }),
      plugins: webhook,
      pluginAdmin,
      scheduler,
      experiments,
      clock,
      ...(errors === undefined ? {} : { errors }),
      anomalies,
      ...(cluster === undefined ? {} : { cluster: cluster.view, options: { csrfKey: cluster.csrfKey } }),
    },
    { host: config.HTTP_HOST, port: config.HTTP_PORT },
  );
  logger.info({ url: http.url }, 'admin dashboard and API listening');
  if (config.ADMIN_TOKEN === undefined) {
    logger.warn('ADMIN_TOKEN is not set: create an API token with `lekha token create --role admin`');
  }
  return http;
}

/** Words in their first spelling, without repeats that differ only in case or ё. */
function distinctWords(words: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const word of words) {
    const key = word.toLowerCase().replaceAll('ё', 'е');
    if (!seen.has(key)) seen.set(key, word);
  }
  return [...seen.values()];
}

/** A persona as the admin API lists it. */
function personaInfoOf(personas: LivePersonas) {
  return (p: Persona): PersonaInfo => ({
    name: p.name,
    version: p.version,
    id: personaId(p),
    aliases: distinctWords([p.name, ...p.aliases, ...p.forms]),
    language: p.language,
    replyLength: p.replyLength ?? null,
    emoji: p.emoji ?? null,
    model: p.model ?? null,
    character: [...p.character],
    styleRules: [...p.styleRules],
    tunable: {
      replyLength: [...p.tunable.replyLength],
      emoji: [...p.tunable.emoji],
      styleLines: p.tunable.styleLines,
    },
    default: p.name === personas.defaultName,
    source: personas.isStored(p.name) ? 'dashboard' : 'config',
  });
}
