/*
 * README.md, docs/ and deploy/ Markdown: every relative link reaches a file,
 * every #anchor a heading, every backticked repository path something that
 * exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  headingAnchors,
  headingSlug,
  type MarkdownDocument,
  markdownProblems,
  type RepositoryView,
} from './markdown-check.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Markdown files under a repository folder, recursively, as repository paths. */
function markdownUnder(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.posix.join(folder, name.split(path.sep).join('/')));
}

/** Folders the build and the benches make, listed in .gitignore (`bench/results/`): absent from a fresh checkout. */
const generated = readFileSync(path.join(root, '.gitignore'), 'utf8')
  .split('\n')
  .filter((line) => /^[\w.-]+\/[\w./-]*$/.test(line.trim()))
  .map((line) => line.trim().replace(/\/$/, ''));

const repository: RepositoryView = {
  exists: (repoPath) => existsSync(path.join(root, repoPath)) || generated.includes(repoPath),
  markdown: (repoPath) => {
    const file = path.join(root, repoPath);
    return repoPath.endsWith('.md') && existsSync(file) && statSync(file).isFile()
      ? readFileSync(file, 'utf8')
      : undefined;
  },
};

const documents: MarkdownDocument[] = ['README.md', ...markdownUnder('docs'), ...markdownUnder('deploy')].map(
  (file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }),
);

/** A repository of the given files, for checking the checker. */
function fakeRepository(files: Record<string, string>): RepositoryView {
  const paths = Object.keys(files);
  return {
    exists: (p) => paths.some((f) => f === p || f.startsWith(`${p}/`)),
    markdown: (p) => (p.endsWith('.md') ? files[p] : undefined),
  };
}

describe('the Markdown documentation', () => {
  it('covers the README and every doc', () => {
    expect(documents.map((d) => d.file)).toContain('README.md');
    expect(documents.filter((d) => d.file.startsWith('docs/')).length).toBeGreaterThan(10);
  });

  it('links only to files and headings that exist, and names only paths that exist', () => {
    expect(markdownProblems(documents, repository)).toEqual([]);
  });
});

describe('headingSlug', () => {
  it.each([
    ['Logs and secrets', 'logs-and-secrets'],
    ['Benchmark (`npm run bench -- http`)', 'benchmark-npm-run-bench----http'],
    ['Join baseline (EWMA + z-score)', 'join-baseline-ewma--z-score'],
    ['Privacy (GDPR)', 'privacy-gdpr'],
    ['What the bot detects and how admins tune it', 'what-the-bot-detects-and-how-admins-tune-it'],
    ['Что умеет Лёха', 'что-умеет-лёха'],
    ['LekhaDown', 'lekhadown'],
  ])('makes %j into %j', (heading, slug) => {
    expect(headingSlug(heading)).toBe(slug);
  });

  it('numbers repeated headings and ignores headings in code blocks', () => {
    const anchors = headingAnchors('# A\n## Notes\n```sh\n# not a heading\n```\n## Notes\n');
    expect([...anchors]).toEqual(['a', 'notes', 'notes-1']);
  });
});

describe('markdownProblems', () => {
  const files = {
    'README.md': '# Lekha\n## Backups\n',
    'docs/deploy.md': '# Deploying\n## Backups\n',
    'src/cli.ts': '',
  };
  const check = (text: string): string[] =>
    markdownProblems([{ file: 'docs/guide.md', text }], fakeRepository({ ...files, 'docs/guide.md': text }));

  it('accepts links and paths that resolve', () => {
    expect(
      check(
        '# Guide\n[a](deploy.md#backups), [b](../README.md#backups), [c](#guide), [d](https://example.com/x#y), `src/cli.ts`, `src/<folder>`\n',
      ),
    ).toEqual([]);
  });

  it.each([
    ['a missing file', '[x](runtime.md)', 'docs/guide.md:1: link to runtime.md: docs/runtime.md does not exist'],
    [
      'a missing anchor',
      '[x](deploy.md#backup)',
      'docs/guide.md:1: link to deploy.md#backup: docs/deploy.md has no heading #backup',
    ],
    [
      'a missing anchor in the same file',
      '[x](#nowhere)',
      'docs/guide.md:1: link to #nowhere: docs/guide.md has no heading #nowhere',
    ],
    [
      'a path that leaves the repository',
      '[x](../../x.md)',
      'docs/guide.md:1: link to ../../x.md: ../x.md does not exist',
    ],
    [
      'an anchor into a file that is not Markdown',
      '[x](../src/cli.ts#main)',
      'docs/guide.md:1: link to ../src/cli.ts#main: src/cli.ts is not Markdown, it has no headings',
    ],
    ['a backticked path that does not exist', 'see `src/start.ts`.', 'docs/guide.md:1: `src/start.ts` does not exist'],
    ['a path inside a command', 'run `node scripts/gone.mjs`', 'docs/guide.md:1: `scripts/gone.mjs` does not exist'],
    ['a folder that does not exist', 'in `src/cluster`', 'docs/guide.md:1: `src/cluster` does not exist'],
  ])('reports %s', (_what, text, problem) => {
    expect(check(text)).toEqual([problem]);
  });

  it('takes only words with an extension for files in a command', () => {
    expect(check('`kubectl logs deploy/lekha`, `docker compose -f src/cli.ts`')).toEqual([]);
  });

  it('ignores links and paths in code blocks and in code spans', () => {
    expect(check('```sh\ncat src/missing.ts [x](gone.md)\n```\n`[x](gone.md)`\n')).toEqual([]);
  });
});
