export { LruList } from './lru-list.js';
export { type RestartOptions, RestartPolicy } from './restart-policy.js';
export {
  type HandOffReport,
  type QuarantinedKey,
  type ShutdownReport,
  Supervisor,
  type SupervisorOptions,
  type SupervisorStats,
} from './supervisor.js';
