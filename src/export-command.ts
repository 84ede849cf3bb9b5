import path from 'node:path';
import { parseArgs } from 'node:util';
import { FINETUNE_FORMATS, type FinetuneFormat, parseExportDate } from './chat/index.js';
import { type Config, ConfigError, createLogger, loadPersonaCatalog } from './config/index.js';
import { FinetuneExport } from './finetune-export.js';
import { fieldCipherOf } from './open-storage.js';
import { LivePersonas } from './live-personas.js';
import {
  DataDirInUseError,
  migrate,
  openDatabase,
  PostgresFinetuneSource,
  PostgresPersonaStore,
} from './storage/index.js';

export interface ExportCommandIo {
  /** The result, one line. */
  out(text: string): void;
  /** Explanations for the person at the terminal. */
  err(text: string): void;
  now(): Date;
}

const usage = `Usage: lekha export finetune --since <date> [--until <date>] [--min-score 0.5]
                             [--format openai|sharegpt] --out <dir>

Writes the bot's replies as fine-tuning data into <dir> (made if missing):
conversations.jsonl (replies scoring at least --min-score, with the persona's
system message and up to 12 messages before each trigger), preferences.jsonl
(pairs of better and worse replies to similar triggers, OpenAI preference
format) and manifest.json (counts, skipped replies by reason).
Dates are YYYY-MM-DD (UTC midnight) or ISO 8601 times with their offset;
--until is excluded and defaults to now. Members appear as pseudonyms; see
docs/personas.md#fine-tuning.`;

interface FinetuneFlags {
  sinceMs: number;
  untilMs: number;
  minScore: number;
  format: FinetuneFormat;
  out: string;
}

/** `lekha export …`: only `finetune` so far. Returns the process exit code. */
export async function runExportCommand(argv: string[], config: Config, io: ExportCommandIo): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== 'finetune') {
    io.err(`lekha export: ${what === undefined ? 'name what to export' : `unknown export "${what}"`}\n\n${usage}`);
    return 2;
  }
  const flags = parseFlags(rest, io.now().getTime());
  if (typeof flags === 'string') {
    io.err(`lekha export finetune: ${flags}\n\n${usage}`);
    return 2;
  }
  let catalog;
  try {
    catalog = loadPersonaCatalog(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`lekha: ${error.message}`);
    return 78; // EX_CONFIG
  }
  const logger = createLogger(config);
  let db;
  try {
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    io.err(
      `lekha export finetune: ${error.message}: fetch the files from the running server instead: ` +
        `curl -fsS -H 'Authorization: Bearer <admin token>' 'http://${config.HTTP_HOST}:${config.HTTP_PORT}/api/export/finetune?since=…&file=conversations'`,
    );
    return 1;
  }
  try {
    await migrate(db, { logger });
    const cipher = fieldCipherOf(config);
    const exporter = new FinetuneExport({
      source: new PostgresFinetuneSource(db, cipher),
      // With the personas defined from the dashboard, as the running bot has them.
      catalog: await LivePersonas.load(catalog, new PostgresPersonaStore(db), logger),
      cipher,
      now: () => io.now().getTime(),
    });
    const dir = path.resolve(flags.out);
    const manifest = await exporter.writeFiles(dir, flags);
    const skipped = Object.entries(manifest.skipped)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason} ${n}`);
    io.out(
      `wrote ${manifest.counts.conversations} conversations and ${manifest.counts.preferencePairs} preference pairs ` +
        `from ${manifest.counts.replies} replies to ${dir}` +
        (skipped.length === 0 ? '' : ` (skipped: ${skipped.join(', ')})`),
    );
    return 0;
  } finally {
    await db.close();
  }
}

/** The flags, or what is wrong with them. */
function parseFlags(argv: string[], nowMs: number): FinetuneFlags | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        'min-score': { type: 'string', default: '0.5' },
        format: { type: 'string', default: 'openai' },
        out: { type: 'string' },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.since === undefined) return '--since is required (e.g. --since 2026-12-01)';
  if (values.out === undefined) return '--out is required: the directory the files are written to';
  const sinceMs = parseExportDate(values.since);
  if (sinceMs === null)
    return `--since must be a date (2026-12-01) or an ISO 8601 time with its offset, not "${values.since}"`;
  const untilMs = values.until === undefined ? nowMs : parseExportDate(values.until);
  if (untilMs === null)
    return `--until must be a date (2026-12-01) or an ISO 8601 time with its offset, not "${values.until}"`;
  if (sinceMs >= untilMs) return '--since must be before --until';
  const minScore = Number(values['min-score']);
  if (values['min-score'].trim() === '' || !Number.isFinite(minScore) || minScore < -1 || minScore > 1)
    return `--min-score is a number from -1 to 1 (a reply's score range), not "${values['min-score']}"`;
  const format = values.format as FinetuneFormat;
  if (!FINETUNE_FORMATS.includes(format)) return `--format is ${FINETUNE_FORMATS.join(' or ')}, not "${values.format}"`;
  return { sinceMs, untilMs, minScore, format, out: values.out };
}
