import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { FinetuneBuilder, type FinetuneManifest, type PersonaCatalog } from './chat/index.js';
import type { FinetuneExports, FinetuneFile, FinetuneRequest } from './http/index.js';
import type { FieldCipher, FinetuneSource } from './ports/index.js';

/** Messages of the chat before each reply's trigger that an example carries. */
export const FINETUNE_HISTORY_MESSAGES = 12;
/** Bytes gathered before a write to a file. */
const WRITE_CHUNK = 64 * 1024;

export interface FinetuneExportDeps {
  source: FinetuneSource;
  catalog: PersonaCatalog;
  cipher: FieldCipher;
  now: () => number;
  historyMessages?: number;
}

/** How members are named in an export: `member-<8 hex>`, and whether the name is the same in the next export. */
export interface MemberPseudonyms {
  pseudonymOf(userId: number): string;
  kind: FinetuneManifest['pseudonyms'];
}

/**
 * Pseudonyms of members for training data: an HMAC of the user id, keyed by
 * the cipher's pseudonym key (derived from the newest configured encryption
 * key, under a purpose of its own so they match no audit pseudonym) — the
 * same member has the same name in every export until the key changes.
 * Without an encryption key a random secret of this export keys them: the
 * names are stable within the export and cannot be reversed by trying ids,
 * but differ from one export to the next.
 */
export function memberPseudonyms(cipher: FieldCipher): MemberPseudonyms {
  const label = (digest: Buffer): string => `member-${digest.toString('hex').slice(0, 8)}`;
  if (cipher.keyIds.length > 0) {
    return {
      kind: 'keyed',
      pseudonymOf: (userId) => label(Buffer.from(cipher.pseudonym(`finetune-member:${userId}`), 'base64url')),
    };
  }
  const secret = randomBytes(32);
  return {
    kind: 'per-export',
    pseudonymOf: (userId) => label(createHmac('sha256', secret).update(`finetune-member:${userId}`).digest()),
  };
}

/**
 * Fine-tune exports of bot replies (`lekha export finetune`,
 * `GET /api/export/finetune`): reads the replies of a date range once,
 * building conversation lines as they come and preference pairs and the
 * manifest at the end.
 */
export class FinetuneExport implements FinetuneExports {
  constructor(private readonly deps: FinetuneExportDeps) {}

  async *file(request: FinetuneRequest, file: FinetuneFile): AsyncGenerator<string> {
    const { builder, pseudonyms, replies } = this.start(request);
    for await (const reply of replies) {
      const line = builder.add(reply);
      if (line !== null && file === 'conversations') yield line;
    }
    if (file === 'preferences') yield* builder.preferenceLines();
    if (file === 'manifest') yield JSON.stringify(builder.manifest(this.deps.now(), pseudonyms.kind), null, 2);
  }

  /**
   * Writes conversations.jsonl, preferences.jsonl and manifest.json into
   * `dir` (made if missing). Each file is written beside its final name and
   * renamed when complete, so a failed export leaves no half file behind.
   */
  async writeFiles(dir: string, request: FinetuneRequest): Promise<FinetuneManifest> {
    await mkdir(dir, { recursive: true });
    const { builder, pseudonyms, replies } = this.start(request);
    const conversations = path.join(dir, 'conversations.jsonl');
    const partial = `${conversations}.partial`;
    const handle = await open(partial, 'w');
    try {
      let chunk = '';
      for await (const reply of replies) {
        const line = builder.add(reply);
        if (line === null) continue;
        chunk += `${line}\n`;
        if (chunk.length >= WRITE_CHUNK) {
          await handle.write(chunk);
          chunk = '';
        }
      }
      await handle.write(chunk);
      await handle.close();
    } catch (error) {
      await handle.close();
      await rm(partial, { force: true });
      throw error;
    }
    const manifest = builder.manifest(this.deps.now(), pseudonyms.kind);
    await writeWhole(
      path.join(dir, 'preferences.jsonl'),
      builder
        .preferenceLines()
        .map((l) => `${l}\n`)
        .join(''),
    );
    await rename(partial, conversations);
    await writeWhole(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }

  private start(request: FinetuneRequest) {
    const historyMessages = this.deps.historyMessages ?? FINETUNE_HISTORY_MESSAGES;
    const pseudonyms = memberPseudonyms(this.deps.cipher);
    const builder = new FinetuneBuilder(
      this.deps.catalog,
      pseudonyms.pseudonymOf,
      { ...request, nowMs: this.deps.now() },
      historyMessages,
    );
    const replies = this.deps.source.replies({
      sinceMs: request.sinceMs,
      untilMs: request.untilMs,
      historySize: historyMessages,
    });
    return { builder, pseudonyms, replies };
  }
}

async function writeWhole(file: string, text: string): Promise<void> {
  const partial = `${file}.partial`;
  const handle = await open(partial, 'w');
  try {
    await handle.write(text);
  } finally {
    await handle.close();
  }
  await rename(partial, file);
}
