/**
 * What an admin API token may do: `viewer` reads, `operator` also changes
 * chat mode and settings, `admin` also manages tokens, exports data and
 * reads the audit log. Stored in `admin_tokens.role`, whose check
 * constraint allows exactly these.
 */
export type AdminRole = 'viewer' | 'operator' | 'admin';

/** Who made an admin call: the token's id and label, and its role. */
export interface Identity {
  tokenId: string;
  label: string;
  role: AdminRole;
}
