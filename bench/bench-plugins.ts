import { BUILTIN_PLUGINS, definePlugin } from '../src/plugins/index.js';

/** A third-party plugin as small as one can be: its command answers a fixed text at once. */
export const noopPlugin = definePlugin({
  name: 'noop',
  version: '1.0.0',
  kind: 'command',
  description: 'Answers at once',
  setup(p) {
    p.command('noop', () => 'ok', { description: 'answer at once' });
  },
});

/** A plugin whose command never finishes and ignores its abort signal: only the host's time limit ends a call. */
export const hangPlugin = definePlugin({
  name: 'hang',
  version: '1.0.0',
  kind: 'command',
  description: 'Never answers',
  setup(p) {
    p.command('hang', () => new Promise<string>(() => undefined), { description: 'never answer' });
  },
});

/** What the plugins bench hosts: the built-in plugins, registered as the wiring does, and the two above. */
export const BENCH_PLUGINS: readonly unknown[] = [...BUILTIN_PLUGINS, noopPlugin, hangPlugin];
