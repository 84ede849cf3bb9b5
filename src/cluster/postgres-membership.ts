import type { Database } from '../storage/index.js';
import type { MemberHeartbeat, MemberRow, MembershipTable } from './cluster-ports.js';

interface MemberRecord {
  member_id: string;
  http_url: string | null;
  started_at: Date;
  heartbeat_at: Date;
  stopping: boolean;
  leader: boolean;
}

/**
 * The members in `cluster_members` (migration 13). Heartbeats are stamped and
 * judged by the database's clock, like the leases.
 */
export class PostgresMembership implements MembershipTable {
  constructor(private readonly db: Database) {}

  async heartbeat(member: string, state: MemberHeartbeat): Promise<void> {
    await this.db.query(
      `INSERT INTO cluster_members (member_id, http_url, stopping, leader) VALUES ($1, $2, $3, $4)
       ON CONFLICT (member_id) DO UPDATE
         SET http_url = EXCLUDED.http_url, stopping = EXCLUDED.stopping, leader = EXCLUDED.leader,
             heartbeat_at = now()`,
      [member, state.httpUrl, state.stopping, state.leader],
    );
  }

  async live(staleMs: number): Promise<MemberRow[]> {
    const result = await this.db.query<MemberRecord>(
      `SELECT member_id, http_url, started_at, heartbeat_at, stopping, leader FROM cluster_members
        WHERE heartbeat_at > now() - $1::int * interval '1 ms'
        ORDER BY started_at, member_id`,
      [Math.ceil(staleMs)],
    );
    return result.rows.map((row) => ({
      id: row.member_id,
      httpUrl: row.http_url,
      startedAtMs: row.started_at.getTime(),
      heartbeatAtMs: row.heartbeat_at.getTime(),
      stopping: row.stopping,
      leader: row.leader,
    }));
  }

  async leave(member: string): Promise<void> {
    await this.db.query('DELETE FROM cluster_members WHERE member_id = $1', [member]);
  }
}
