import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * How to start a worker thread from a module next to `importerUrl`: built
 * code runs `<name>.js` as is; source code under a TypeScript runner
 * (tests, `tsx`) runs `<name>.ts` with the `tsx` loader, which worker
 * threads do not inherit from their parent.
 */
export function workerScript(importerUrl: string, name: string): { url: URL; execArgv: string[] } {
  const fromSource = importerUrl.endsWith('.ts');
  return {
    url: new URL(`./${name}${fromSource ? '.ts' : '.js'}`, importerUrl),
    execArgv: fromSource ? ['--import', 'tsx'] : [],
  };
}

/**
 * Starts the worker module `<name>` next to `importerUrl` (see
 * {@link workerScript}). A TypeScript entry is imported from a small
 * bootstrap that registers the `tsx` loader first: a worker's entry file is
 * resolved before `--import` hooks are in place.
 */
export function startWorker(
  importerUrl: string,
  name: string,
  options: Omit<WorkerOptions, 'execArgv' | 'eval'> = {},
): Worker {
  const script = workerScript(importerUrl, name);
  if (script.execArgv.length === 0) return new Worker(script.url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.url.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
