import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The folder rules of DESIGN.md §2 and §13 as eslint.config.js enforces
 * them: each case lints one import as if it were written in a file of that
 * folder (the file need not exist) and checks the reason the failure names.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: 'eslint.config.js' });
const RULE = '@typescript-eslint/no-restricted-imports';

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

const refused: Array<[string, string, string, string]> = [
  [
    'src/runtime',
    'src/runtime/probe.ts',
    "import { x } from '../supervisor/index.js';",
    'src/runtime is the actor kernel: it imports nothing of ours',
  ],
  [
    'src/runtime',
    'src/runtime/probe.ts',
    "import { x } from 'pg';",
    "src/runtime is the actor kernel: talking to outside services is the edges' job",
  ],
  [
    'src/supervisor',
    'src/supervisor/probe.ts',
    "import type { x } from '../actors/index.js';",
    'src/supervisor imports only src/runtime',
  ],
  [
    'src/supervisor',
    'src/supervisor/probe.ts',
    "import { x } from 'ioredis';",
    "src/supervisor talks to no outside service: that is the edges' job",
  ],
  [
    'src/chat',
    'src/chat/probe.ts',
    "import type { x } from '../storage/index.js';",
    'src/chat is pure domain logic: it imports only src/runtime and src/ports',
  ],
  [
    'src/chat',
    'src/chat/probe.ts',
    "import { x } from 'node:fs';",
    'src/chat is pure domain logic: no I/O (DESIGN.md §2)',
  ],
  [
    'src/chat',
    'src/chat/probe.ts',
    "import { x } from 'grammy';",
    'src/chat is pure domain logic: no I/O (DESIGN.md §2)',
  ],
  [
    'src/chat',
    'src/chat/probe.ts',
    "import { x } from 'hnswlib-node';",
    'src/chat is pure domain logic: no I/O (DESIGN.md §2)',
  ],
  ['src/actors', 'src/actors/probe.ts', "import type { x } from '../http/index.js';", 'actors never import HTTP'],
  ['src/actors', 'src/actors/probe.ts', "import { x } from 'fastify';", 'actors never import HTTP'],
  [
    'src/actors',
    'src/actors/probe.ts',
    "import { x } from '../llm/index.js';",
    'actors use an edge only through its port types',
  ],
  [
    'src/actors',
    'src/actors/probe.ts',
    "import type { x } from '../supervisor/index.js';",
    'actors depend on the runtime, the domain and ports, never on the supervisor',
  ],
  [
    'src/telegram',
    'src/telegram/probe.ts',
    "import type { x } from '../actors/index.js';",
    'src/telegram is an edge: it imports only src/runtime and the types in src/ports',
  ],
  [
    'src/llm',
    'src/llm/probe.ts',
    "import type { x } from '../chat/index.js';",
    'src/llm is an edge: it imports only src/runtime and the types in src/ports',
  ],
  [
    'src/memory',
    'src/memory/probe.ts',
    "import { x } from '../storage/index.js';",
    'src/memory is an edge: it imports only src/runtime and the types in src/ports',
  ],
  [
    'src/storage',
    'src/storage/probe.ts',
    "import type { x } from '../actors/index.js';",
    'src/storage is an edge: it imports only src/runtime and the types in src/ports',
  ],
  [
    'src/storage',
    'src/storage/probe.ts',
    "import { x } from '../cli.js';",
    'src/storage is an edge: it imports only src/runtime and the types in src/ports',
  ],
  [
    'src/storage',
    'src/storage/probe.ts',
    "import { x } from '../ports/index.js';",
    'src/ports holds types only: import it with `import type`',
  ],
  [
    'src/http',
    'src/http/routes/probe.ts',
    "import type { x } from '../../actors/index.js';",
    'src/http reaches actors and edges only through the interfaces in src/http/ports',
  ],
  [
    'src/http',
    'src/http/probe.ts',
    "import type { x } from '../storage/index.js';",
    'src/http reaches actors and edges only through the interfaces in src/http/ports',
  ],
  [
    'src/http',
    'src/http/stats/probe.ts',
    "import type { x } from '../../supervisor/index.js';",
    'src/http sees the supervisor only through the interfaces in src/http/ports',
  ],
  [
    'src/http',
    'src/http/probe.ts',
    "import { x } from '../main.js';",
    'src/http is handed what it needs by src/main.ts',
  ],
  [
    'src/http',
    'src/http/auth/probe.ts',
    "import { x } from '../../start-error.js';",
    'src/http is handed what it needs by src/main.ts',
  ],
  [
    'src/http/ports',
    'src/http/ports/probe.ts',
    "import type { x } from '../../supervisor/supervisor.js';",
    'src/http/ports may name only the types of src/supervisor/index.ts, never its internals',
  ],
  [
    'src/http/ports',
    'src/http/ports/probe.ts',
    "import { x } from '../../supervisor/index.js';",
    "src/http/ports may name the supervisor's types only: `import type`",
  ],
  [
    'src/ports',
    'src/ports/probe.ts',
    "import type { x } from '../runtime/index.js';",
    'src/ports holds only type contracts: it imports nothing',
  ],
  [
    'src/ports',
    'src/ports/probe.ts',
    "import type { x } from 'grammy';",
    'src/ports holds only type contracts: it imports nothing',
  ],
  [
    'src/plugins',
    'src/plugins/builtin/probe.ts',
    "import type { x } from '../../telegram/index.js';",
    'src/plugins imports only src/runtime, src/ports and src/chat',
  ],
  [
    'src/scheduler',
    'src/scheduler/probe.ts',
    "import { x } from '../storage/index.js';",
    'src/scheduler imports only src/runtime, src/ports and src/chat',
  ],
  [
    'src/cluster',
    'src/cluster/probe.ts',
    "import { x } from '../actors/index.js';",
    'src/cluster imports only src/runtime, src/ports and src/storage',
  ],
  [
    'examples/',
    'examples/greeter/probe.ts',
    "import { x } from '../../src/plugins/host.js';",
    'an example plugin uses the public plugin API only',
  ],
];

const allowed: Array<[string, string]> = [
  ['src/chat/probe.ts', "import { x } from '../runtime/index.js';"],
  ['src/chat/probe.ts', "import type { x } from '../ports/index.js';"],
  ['src/actors/probe.ts', "import type { x } from '../llm/index.js';"],
  ['src/actors/probe.ts', "import { x } from '../chat/index.js';"],
  ['src/telegram/probe.ts', "import type { x } from '../ports/index.js';"],
  ['src/storage/probe.ts', "import { x } from 'pg';"],
  ['src/http/probe.ts', "import { x } from '../chat/index.js';"],
  ['src/http/routes/probe.ts', "import type { x } from '../memory/memory-token-store.js';"],
  ['src/http/ports/probe.ts', "import type { x } from '../../supervisor/index.js';"],
  ['src/ports/probe.ts', "import type { x } from './dead-letters.js';"],
  ['src/plugins/probe.ts', "import { x } from '../chat/index.js';"],
  ['src/cluster/probe.ts', "import { x } from '../storage/index.js';"],
  ['src/main.ts', "import { x } from './storage/index.js';"],
  ['examples/greeter/probe.ts', "import { x } from '../../src/plugins/index.js';"],
];

describe('layering lint rules', () => {
  it.each(refused)('refuses in %s: %s %s', async (_folder, filePath, code, reason) => {
    const errors = await layeringErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(reason);
    expect(errors[0]).toMatch(/\(DESIGN\.md §(2|13)\)$/);
  });

  it.each(allowed)('allows in %s: %s', async (filePath, code) => {
    expect(await layeringErrors(filePath, code)).toEqual([]);
  });
});
