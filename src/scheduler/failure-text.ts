import type { Job } from '../ports/index.js';

const MAX_CHARS = 500;

/**
 * The error text stored with a job and logged: the error's code and
 * message, with the job's own text cut out (a handler's error may quote the
 * message it failed to send, and reminder text is personal data) and capped
 * in length. Handlers should still keep personal data out of their errors;
 * this catches the one case the scheduler can recognise.
 */
export function failureText(error: unknown, job: Pick<Job, 'text'>): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  let text = code === undefined ? message : `${code}: ${message}`;
  if (job.text.length > 0) text = text.split(job.text).join('[job text]');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
