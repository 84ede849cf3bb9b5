export type { AuditLog } from '../../ports/index.js';
