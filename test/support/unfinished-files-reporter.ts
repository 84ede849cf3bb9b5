import type { Reporter, TestModule } from 'vitest/node';

/**
 * Names the test files that never finished. When a test process dies (a
 * native abort, a signal), vitest reports only "Worker exited unexpectedly"
 * and leaves the file out of both the passed and the failed counts; this
 * prints which file it was, last, where a truncated CI log still shows it.
 */
export default class UnfinishedFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const unfinished = testModules.filter((module) => {
      const state = module.state();
      return state === 'pending' || state === 'queued';
    });
    if (unfinished.length === 0) return;
    const names = unfinished.map((module) => `  ${module.relativeModuleId}`).join('\n');
    process.stderr.write(`\nTest files that did not finish (their test process exited):\n${names}\n`);
  }
}
