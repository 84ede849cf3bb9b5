import type {
  ExperimentRecord,
  ExperimentStatus,
  ExperimentStore,
  ExperimentUnit,
  ExperimentVariant,
  NewExperiment,
  ReplyOutcome,
  ReplySignalKind,
} from '../ports/index.js';
import type { Database } from './database.js';
import { ExperimentConflictError, ExperimentStoppedError } from './errors.js';

interface ExperimentRow {
  id: number;
  name: string;
  unit: ExperimentUnit;
  variants: ExperimentVariant[];
  minimum_effect: number;
  score_window_ms: number;
  status: ExperimentStatus;
  created_at: Date;
  updated_at: Date;
  stopped_at: Date | null;
}

interface OutcomeRow {
  variant: string;
  signals: { kind: ReplySignalKind; value: number }[];
}

/** The partial unique index that lets one experiment at a time be running or paused. */
const ONE_LIVE = 'experiments_one_live';

/**
 * Experiments in the `experiments` table, and their outcomes read from
 * `bot_replies` and `reply_signals`. "One live experiment" is the database's
 * rule (a unique index over the rows not stopped), so two operators starting
 * one at the same moment cannot both succeed, whichever process they reach.
 */
export class PostgresExperimentStore implements ExperimentStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<ExperimentRecord[]> {
    const result = await this.db.query<ExperimentRow>('SELECT * FROM experiments ORDER BY id DESC');
    return result.rows.map(recordOf);
  }

  async get(id: number): Promise<ExperimentRecord | null> {
    const row = (await this.db.query<ExperimentRow>('SELECT * FROM experiments WHERE id = $1', [id])).rows[0];
    return row === undefined ? null : recordOf(row);
  }

  async create(input: NewExperiment, nowMs: number): Promise<ExperimentRecord> {
    const now = new Date(nowMs);
    try {
      const result = await this.db.query<ExperimentRow>(
        `INSERT INTO experiments (name, unit, variants, minimum_effect, score_window_ms, status, created_at, updated_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, 'running', $6, $6) RETURNING *`,
        [input.name, input.unit, JSON.stringify(input.variants), input.minimumEffect, input.scoreWindowMs, now],
      );
      return recordOf(result.rows[0] as ExperimentRow);
    } catch (error) {
      if (!violates(error, ONE_LIVE)) throw error;
      const live = (await this.list()).find((e) => e.status !== 'stopped');
      throw new ExperimentConflictError(live === undefined ? null : live);
    }
  }

  async setStatus(id: number, status: ExperimentStatus, nowMs: number): Promise<ExperimentRecord | null> {
    const now = new Date(nowMs);
    const result = await this.db.query<ExperimentRow>(
      `UPDATE experiments SET status = $2::text, updated_at = $3::timestamptz,
         stopped_at = CASE WHEN $2::text = 'stopped' THEN $3::timestamptz END
       WHERE id = $1 AND status <> 'stopped' RETURNING *`,
      [id, status, now],
    );
    const row = result.rows[0];
    if (row !== undefined) return recordOf(row);
    if ((await this.get(id)) === null) return null;
    throw new ExperimentStoppedError(id);
  }

  async outcomes(id: number, settledBeforeMs: number): Promise<ReplyOutcome[]> {
    // One row per reply: a signal counts when it came within the experiment's
    // window after the reply (or at most that long before: clocks of
    // different processes may disagree a little).
    const result = await this.db.query<OutcomeRow>(
      `SELECT r.variant,
              coalesce(jsonb_agg(jsonb_build_object('kind', s.kind, 'value', s.value) ORDER BY s.at)
                FILTER (WHERE s.kind IS NOT NULL), '[]'::jsonb) AS signals
         FROM bot_replies r
         JOIN experiments e ON e.id = r.experiment_id
         LEFT JOIN reply_signals s ON s.chat_id = r.chat_id AND s.message_id = r.message_id
          AND abs(extract(epoch FROM s.at - r.sent_at) * 1000) <= e.score_window_ms
        WHERE r.experiment_id = $1 AND r.sent_at < $2
        GROUP BY r.chat_id, r.message_id, r.variant, r.sent_at
        ORDER BY r.sent_at, r.chat_id, r.message_id`,
      [id, new Date(settledBeforeMs)],
    );
    return result.rows.map((row) => ({ variant: row.variant, signals: row.signals }));
  }
}

function recordOf(row: ExperimentRow): ExperimentRecord {
  return {
    id: row.id,
    name: row.name,
    unit: row.unit,
    variants: row.variants,
    minimumEffect: row.minimum_effect,
    scoreWindowMs: row.score_window_ms,
    status: row.status,
    createdAtMs: row.created_at.getTime(),
    updatedAtMs: row.updated_at.getTime(),
    stoppedAtMs: row.stopped_at === null ? null : row.stopped_at.getTime(),
  };
}

/** Whether `error` is Postgres refusing a duplicate key of the unique index `constraint` (pg and PGlite alike). */
function violates(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (e?.code !== '23505') return false;
  // PGlite does not always fill `constraint`; its message names the index.
  return e.constraint === constraint || (typeof e.message === 'string' && e.message.includes(constraint));
}
