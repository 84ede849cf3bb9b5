import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Layering (DESIGN.md §2 and §13), enforced with no-restricted-imports (the
 * typescript-eslint flavour, which can let `import type` through where a
 * layer may see another's types but not its code). Type-only imports count
 * unless a ban says `typesOnly`.
 *
 * Each layer lists the folders of src/ it must not reach and the packages it
 * must not use, with the reason a lint failure prints. Our imports are
 * relative, so a folder is recognised by how many `../` it takes to reach
 * src/ from the importing file: `../ports/` means src/ports from
 * src/telegram/x.ts but src/http/ports from src/http/routes/x.ts. `layer()`
 * writes one config block per directory depth for that reason.
 *
 * A `typesOnly` ban must not match what a strict ban of the same layer
 * matches: typescript-eslint lets a type import through as soon as one
 * matching pattern allows types.
 */
/** The files directly in src/: the wiring (main.ts), the command line (cli.ts) and their helpers. */
const TOP_LEVEL_FILES = 'src/*.ts';
const SRC_FOLDERS = [
  'runtime',
  'supervisor',
  'actors',
  'chat',
  'ports',
  'telegram',
  'llm',
  'memory',
  'storage',
  'http',
  'config',
  'sandbox',
  'plugins',
  'scheduler',
  'cluster',
  'privacy',
  TOP_LEVEL_FILES,
];
const EDGES = ['telegram', 'llm', 'memory', 'storage'];
const APP = ['config', 'sandbox', TOP_LEVEL_FILES];
const MAX_DEPTH = 5;

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A regex matching any of `names` (folders or packages) at the start of what follows it. */
function oneOf(names) {
  const folders = names.filter((name) => name !== TOP_LEVEL_FILES);
  const alternatives = folders.length === 0 ? [] : [`(${folders.map(escape).join('|')})(/|\\.js$|$)`];
  if (names.includes(TOP_LEVEL_FILES)) alternatives.push('[^/]+\\.js$');
  return `(?:${alternatives.join('|')})`;
}

/** Packages that talk to the outside world: the edges' business, never the kernel's or the domain's. */
const IO_PACKAGES = [
  `^(${builtinModules.map(escape).join('|')})(/|$)`,
  '^node:',
  `^${oneOf(['pg', 'ioredis', 'grammy', 'fastify', 'groq-sdk', 'piscina', 'comlink', 'hnswlib-node', 'pino'])}`,
  '^@(fastify|grammyjs|electric-sql|huggingface)/',
];
const SERVICE_CLIENTS = [
  `^${oneOf(['pg', 'ioredis', 'grammy', 'fastify', 'groq-sdk'])}`,
  '^@(fastify|grammyjs|electric-sql)/',
];
const PORTS_ARE_TYPES = 'src/ports holds types only: import it with `import type` (DESIGN.md §13)';

/**
 * @typedef {{ folders: string[], message: string, typesOnly?: boolean } | { folderRegex: string, message: string, typesOnly?: boolean } | { packages: string[], message: string }} Ban
 * @param {string} folder a folder under src/ (`http/ports` for a sub-folder)
 * @param {Ban[]} bans
 */
function layer(folder, bans) {
  const below = folder.split('/').length;
  return Array.from({ length: MAX_DEPTH }, (_, extra) => {
    const up = `^(\\.\\./){${below + extra}}`;
    const patterns = bans.flatMap((ban) => {
      if ('packages' in ban) return ban.packages.map((regex) => ({ regex, message: ban.message }));
      const target = 'folders' in ban ? oneOf(ban.folders) : ban.folderRegex;
      return [{ regex: up + target, message: ban.message, ...(ban.typesOnly ? { allowTypeImports: true } : {}) }];
    });
    return {
      files: [`src/${folder}/${'*/'.repeat(extra)}*.{ts,js}`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    };
  });
}

const except = (...allowed) => SRC_FOLDERS.filter((name) => !allowed.includes(name));
const portsAreTypes = { folders: ['ports'], message: PORTS_ARE_TYPES, typesOnly: true };

const edge = (name) =>
  layer(name, [
    {
      folders: except(name, 'runtime', 'ports'),
      message: `src/${name} is an edge: it imports only src/runtime and the types in src/ports (DESIGN.md §2)`,
    },
    portsAreTypes,
  ]);

/*
 * src/http may use src/runtime, the types in src/ports and src/chat: the chat
 * domain does no I/O, and its settings and reports are the read models the
 * admin API maps onto its documented shapes (http/chat-access/chat-domain-views.ts).
 * Everything live (actors, supervisor, edges) comes in through the interfaces
 * in src/http/ports, implemented by the wiring (src/chat-admin-ports.ts, src/health-ports.ts).
 */
const httpBans = (supervisorBans) => [
  {
    folders: ['actors', ...EDGES],
    message:
      'src/http reaches actors and edges only through the interfaces in src/http/ports, which the wiring in src/*.ts implements (DESIGN.md §2)',
  },
  ...supervisorBans,
  {
    folders: APP,
    message:
      'src/http is handed what it needs by src/main.ts; it never imports the wiring or the sandbox (DESIGN.md §2)',
  },
  portsAreTypes,
];
const SUPERVISOR_OUTSIDE_HTTP_PORTS = [
  {
    folders: ['supervisor'],
    message: 'src/http sees the supervisor only through the interfaces in src/http/ports (DESIGN.md §2)',
  },
];
// A port of the admin API may name the supervisor's public types (its stats
// shape): a port is where http says what it needs from the supervisor.
const SUPERVISOR_IN_HTTP_PORTS = [
  {
    folderRegex: 'supervisor(?!/index\\.js$)(/|\\.js$|$)',
    message: 'src/http/ports may name only the types of src/supervisor/index.ts, never its internals (DESIGN.md §2)',
  },
  {
    folderRegex: 'supervisor/index\\.js$',
    message:
      "src/http/ports may name the supervisor's types only: `import type` from src/supervisor/index.ts (DESIGN.md §2)",
    typesOnly: true,
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/', 'src/http/dashboard/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The dashboard's buildless browser modules.
    files: ['src/http/dashboard/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'navigator',
          'sessionStorage',
          'localStorage',
          'fetch',
          'URL',
          'URLSearchParams',
          'Node',
          'Event',
          'HTMLElement',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },

  {
    // Command-line scripts (CI checks, fixture builders): Node globals, and printing is their job.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: { 'no-console': 'off' },
  },

  ...layer('runtime', [
    {
      folders: except('runtime'),
      message: 'src/runtime is the actor kernel: it imports nothing of ours (DESIGN.md §2)',
    },
    {
      packages: SERVICE_CLIENTS,
      message: "src/runtime is the actor kernel: talking to outside services is the edges' job (DESIGN.md §2)",
    },
  ]),
  ...layer('supervisor', [
    {
      folders: except('supervisor', 'runtime'),
      message:
        'src/supervisor imports only src/runtime: actors and edges are handed to it by src/main.ts (DESIGN.md §2)',
    },
    {
      packages: SERVICE_CLIENTS,
      message: "src/supervisor talks to no outside service: that is the edges' job (DESIGN.md §2)",
    },
  ]),
  ...layer('chat', [
    {
      folders: except('chat', 'runtime', 'ports'),
      message:
        'src/chat is pure domain logic: it imports only src/runtime and src/ports, never actors, edges or the app (DESIGN.md §2)',
    },
    portsAreTypes,
    { packages: IO_PACKAGES, message: 'src/chat is pure domain logic: no I/O (DESIGN.md §2)' },
  ]),
  ...layer('actors', [
    { folders: ['http'], message: 'actors never import HTTP (DESIGN.md §2)' },
    {
      packages: ['^fastify(/|$)', '^@fastify/', '^(node:)?https?(/|$)'],
      message: 'actors never import HTTP (DESIGN.md §2)',
    },
    {
      folders: EDGES,
      message:
        'actors use an edge only through its port types, with `import type`; src/main.ts hands them the edge (DESIGN.md §2)',
      typesOnly: true,
    },
    {
      folders: ['supervisor', ...APP],
      message:
        'actors depend on the runtime, the domain and ports, never on the supervisor or the wiring (DESIGN.md §2)',
    },
    portsAreTypes,
  ]),
  ...EDGES.flatMap(edge),
  ...layer('http', httpBans(SUPERVISOR_OUTSIDE_HTTP_PORTS)),
  // After the src/http blocks: for files under src/http/ports, these replace them.
  ...layer('http/ports', httpBans(SUPERVISOR_IN_HTTP_PORTS)),
  ...layer('ports', [
    { folderRegex: '', message: 'src/ports holds only type contracts: it imports nothing (DESIGN.md §13)' },
    { packages: ['^[^.]'], message: 'src/ports holds only type contracts: it imports nothing (DESIGN.md §13)' },
  ]),
  ...layer('plugins', [
    {
      folders: except('plugins', 'runtime', 'ports', 'chat'),
      message:
        'src/plugins imports only src/runtime, src/ports and src/chat: what a plugin says goes out through the same egress as any reply (DESIGN.md §13)',
    },
    portsAreTypes,
  ]),
  ...layer('scheduler', [
    {
      folders: except('scheduler', 'runtime', 'ports', 'chat'),
      message:
        'src/scheduler imports only src/runtime, src/ports and src/chat: a job reaches storage through ports (DESIGN.md §13)',
    },
    portsAreTypes,
  ]),
  ...layer('privacy', [
    {
      folders: except('privacy', 'runtime', 'ports'),
      message:
        'src/privacy imports only src/runtime and src/ports: it reaches storage, memory and the chats through ports the wiring implements (DESIGN.md §2)',
    },
    portsAreTypes,
    {
      packages: SERVICE_CLIENTS,
      message: "src/privacy talks to no outside service: that is the edges' job (DESIGN.md §2)",
    },
  ]),
  ...layer('cluster', [
    {
      folders: except('cluster', 'runtime', 'ports', 'storage'),
      message: 'src/cluster imports only src/runtime, src/ports and src/storage (DESIGN.md §13)',
    },
    portsAreTypes,
  ]),
  {
    files: ['examples/**/*.{ts,js}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!plugins(/index\\.js)?$)',
              message: 'an example plugin uses the public plugin API only: src/plugins/index.ts (DESIGN.md §13)',
            },
          ],
        },
      ],
    },
  },
);
