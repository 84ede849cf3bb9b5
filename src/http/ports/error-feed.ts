import type { ErrorEvent } from '../schemas/alerts.js';

/** Recent warnings and errors of the process, newest first (`RecentErrorLog` collects them from the logger). */
export interface ErrorFeed {
  recent(limit: number): ErrorEvent[];
}
