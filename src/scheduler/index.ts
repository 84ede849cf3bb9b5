export {
  InvalidCronError,
  JobHandlerMissingError,
  JobInDoubtError,
  JobOutOfAttemptsError,
  JobTimeoutError,
} from './errors.js';
export { failureText } from './failure-text.js';
export { planRun, type RunPlan } from './run-plan.js';
export { cron, every, nextFutureRun, nextRunAfter, validateSchedule } from './schedule.js';
export { type JobHandler, type JobHandlerOptions, Scheduler, type SchedulerOptions } from './scheduler.js';
export { SchedulerMetrics } from './scheduler-metrics.js';
