/** What the bot did about an anomaly, per the chat's `anomaly.action` setting. */
export type AnomalyActionKind = 'alert' | 'slow' | 'notify_admins' | 'restrict';

/**
 * How the action went. `pending`: Telegram calls under way; `refused`: the
 * bot lacks the rights (restricting needs an admin with can_restrict_members);
 * `failed`: Telegram answered with an error.
 */
export type AnomalyActionStatus = 'done' | 'pending' | 'refused' | 'failed';

/**
 * One raid or takeover alert as admins see it. No texts or names: the
 * detail holds counts and rates only, suspects are counted, not listed.
 */
export interface AnomalyAlert {
  id: number;
  chatId: number;
  kind: 'join_burst' | 'new_member_links' | 'new_member_same_text' | 'takeover';
  atMs: number;
  detail: string;
  observed: number;
  expected: number;
  suspects: number;
  action: AnomalyActionKind;
  status: AnomalyActionStatus;
  /** Why an action was refused or failed; members restricted when done. */
  outcome: string | null;
}

/** Where chat actors report anomalies and the admin surface reads them (a bounded, newest-first log). */
export interface AnomalyAlerts {
  /** Records an alert and returns its id, for `settle`. */
  record(alert: Omit<AnomalyAlert, 'id'>): number;
  /** The action of an alert finished (an alert already dropped from the log is ignored). */
  settle(id: number, status: AnomalyActionStatus, outcome: string | null): void;
  recent(limit: number): AnomalyAlert[];
}
