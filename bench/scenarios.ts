import type { Scenario } from './report.js';

/** Every benchmark scenario, loaded on demand so one scenario's imports never slow another. */
export const scenarios: Record<string, () => Promise<Scenario>> = {
  kernel: async () => (await import('./kernel.js')).kernelScenario,
  storage: async () => (await import('./storage.js')).storageScenario,
  e2e: async () => (await import('./e2e.js')).scenario,
  egress: async () => (await import('./egress.js')).scenario,
  http: async () => (await import('./http.js')).scenario,
  chat: async () => (await import('./chat.js')).default,
  memory: async () => (await import('./memory.js')).scenario,
  scheduler: async () => (await import('./scheduler.js')).scenario,
  plugins: async () => (await import('./plugins.js')).scenario,
  integrations: async () => (await import('./integrations.js')).scenario,
  anomaly: async () => (await import('./anomaly.js')).scenario,
  ab: async () => (await import('./ab.js')).scenario,
  cluster: async () => (await import('./cluster.js')).scenario,
  footprint: async () => (await import('./footprint.js')).scenario,
};
