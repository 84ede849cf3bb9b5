import type { BreakerState } from '../schemas/alerts.js';

/** Circuit breakers to show on the alerts panel (the LLM gateway's, for one). */
export interface BreakerSource {
  breakers(): BreakerState[];
}
