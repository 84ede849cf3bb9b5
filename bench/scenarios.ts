import type { Scenario } from './report.js';

/** Every benchmark scenario, loaded on demand so one scenario's imports never slow another. */
export const scenarios: Record<string, () => Promise<Scenario>> = {
  http: async () => (await import('./http.js')).scenario,
};
