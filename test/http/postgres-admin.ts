import type { LightMyRequestResponse } from 'fastify';
import { type HttpApp, issueToken, type Role, type TokenStore } from '../../src/http/index.js';
import {
  AppendWriter,
  migrate,
  PostgresAuditLog,
  PostgresChatDirectory,
  PostgresDatabase,
  PostgresTokenStore,
  StorageChatArchive,
} from '../../src/storage/index.js';
import { AdminHarness, type AdminHarnessOptions } from '../support/admin-harness.js';
import { setUpAudit } from '../support/set-up-audit.js';
import { createTestSchema, type TestSchema } from '../support/test-services.js';

/** The chat every Postgres-backed admin test finds stored, with one member (`memberId`) and one message. */
export const storedChat = { id: -100, title: 'Stored chat', memberId: 5 };

/**
 * The real admin app (`buildHttpApp` over the `AdminHarness` supervisor of
 * chat actors) on Postgres-backed stores — chat directory, token store and
 * audit log in a schema of the test file's own — with a token per role
 * stored in that database.
 */
export class PostgresAdmin {
  private constructor(
    readonly schema: TestSchema,
    readonly db: PostgresDatabase,
    readonly harness: AdminHarness,
    readonly app: HttpApp,
    readonly tokens: PostgresTokenStore,
    readonly audit: PostgresAuditLog,
  ) {}

  static async open(label: string, options: AdminHarnessOptions = {}): Promise<PostgresAdmin> {
    const schema = await createTestSchema(label);
    const db = new PostgresDatabase({ url: schema.url });
    await migrate(db);
    const appends = new AppendWriter({ db, intervalMs: 1000 });
    const archive = new StorageChatArchive(appends);
    const now = Date.now();
    archive.chat({
      chatId: storedChat.id,
      type: 'supergroup',
      title: storedChat.title,
      username: null,
      mode: 'normal',
      lastActivityMs: now,
    });
    archive.user({
      userId: storedChat.memberId,
      username: 'ann',
      firstName: 'Ann',
      lastName: null,
      languageCode: 'en',
      isBot: false,
    });
    archive.message({
      chatId: storedChat.id,
      messageId: 1,
      userId: storedChat.memberId,
      replyToMessageId: null,
      sentAtMs: now,
      text: 'hello there',
    });
    await appends.close();

    const tokens = new PostgresTokenStore(db);
    const audit = new PostgresAuditLog(db);
    const directory = new PostgresChatDirectory(db);
    const harness = await AdminHarness.create({
      ...options,
      http: { directory, tokens: tokens as TokenStore, audit, ...options.http },
    });
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      harness.tokenFor[role] = (
        await issueToken(tokens, { role, label: `${role} token`, createdBy: 'test' }, harness.clock, setUpAudit)
      ).token;
    }
    const app = await harness.app();
    return new PostgresAdmin(schema, db, harness, app, tokens, audit);
  }

  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options: { role?: Role; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    return this.harness.request(this.app, method, url, options);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.harness.close();
    await this.db.close();
    await this.schema.drop();
  }
}
