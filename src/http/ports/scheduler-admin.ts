export type { Job, JobQuery, JobStatus, SchedulerAdmin, SchedulerStats } from '../../ports/index.js';
