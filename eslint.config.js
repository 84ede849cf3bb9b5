import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/runtime/**', 'src/supervisor/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../http/*', '../telegram/*', '../llm/*', '../storage/*', '../memory/*', '../actors/*', 'fastify', 'grammy', 'pg', 'ioredis'], message: 'the kernel imports nothing above it (DESIGN.md §2)' }] },
      ],
    },
  },
  {
    // The dashboard's buildless browser modules.
    files: ['src/http/dashboard/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'navigator', 'sessionStorage', 'localStorage', 'fetch', 'URL', 'URLSearchParams', 'Node', 'Event', 'HTMLElement', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['src/actors/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['fastify', '../http/*', 'node:http'], message: 'actors never import HTTP (DESIGN.md §2)' }] }],
    },
  },
);
