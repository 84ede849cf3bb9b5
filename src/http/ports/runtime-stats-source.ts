import type { SupervisorStats } from '../../supervisor/index.js';

/** Where runtime figures come from: the chat supervisor satisfies it. */
export interface RuntimeStatsSource {
  stats(): SupervisorStats<number>;
}
