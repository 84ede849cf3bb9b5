/*
 * The Dockerfile: lint-clean (dockerfile-utils) and with the properties the
 * deployment relies on. The full build-and-run check (npm ci --omit=dev in a
 * clean directory, `lekha start` as the image's user, SIGTERM drain) takes
 * minutes and runs in CI as scripts/image-smoke.mjs; here the image's
 * HEALTHCHECK command runs against a real runtime.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../../scripts/image-smoke.mjs';
import { startHarness } from '../support/edge-harness.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  /** The stage this one is built FROM, when it is one of this file's stages. */
  parent: Stage | undefined;
  instructions: Instruction[];
}

/** The build stages, and the instructions before the first FROM (global ARGs). */
function stagesOf(text: string): { preamble: Instruction[]; stages: Stage[] } {
  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      const parent = stages.find((s) => s.name === image);
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? '') : '', parent, instructions: [] });
    } else {
      (stages.at(-1)?.instructions ?? preamble).push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return { preamble, stages };
}

/** Instructions of `stage` and of the stages it is built from, oldest first. */
function lineage(stage: Stage): Instruction[] {
  return [...(stage.parent === undefined ? [] : lineage(stage.parent)), ...stage.instructions];
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|ENCRYPTION|PRIVATE|CREDENTIAL/i;

/** What is wrong with a Dockerfile for Lekha, one sentence each; empty when nothing is. */
function dockerfileProblems(text: string): string[] {
  const problems = validate(text).map((d) => `lint (line ${d.range.start.line + 1}): ${d.message}`);
  const { preamble, stages } = stagesOf(text);
  const final = stages.at(-1);
  if (stages.length < 2 || final === undefined) return [...problems, 'not a multi-stage build'];
  const all = [...preamble, ...stages.flatMap((s) => s.instructions)];
  const finalRuns = final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);

  const user = final.instructions
    .filter((i) => i.keyword === 'USER')
    .at(-1)
    ?.args.split(':')[0];
  if (user === undefined || user === 'root' || user === '0') problems.push('the image runs as root');
  const healthcheck = final.instructions.find((i) => i.keyword === 'HEALTHCHECK');
  if (healthcheck === undefined || !healthcheck.args.includes('/healthz')) {
    problems.push('no HEALTHCHECK on /healthz');
  }
  for (const { keyword, args } of all.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')) {
    const names = [...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)(?==|\s|$)/g)].map((m) => m[1] as string);
    for (const name of names.filter((n) => SECRET_NAME.test(n))) problems.push(`${keyword} ${name} bakes a secret in`);
  }
  if (all.some((i) => i.keyword === 'COPY' && /(^|\s)\.env\b/.test(i.args))) problems.push('COPY of a .env file');

  // Production dependencies: `npm ci --omit=dev` with the repository's .npmrc in place.
  const depsStage = stages.find((s) =>
    s.instructions.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)),
  );
  if (depsStage === undefined) problems.push('no stage runs npm ci --omit=dev');
  for (const stage of stages) {
    const history = lineage(stage);
    const ci = history.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    const npmrc = history.findIndex((i) => i.keyword === 'COPY' && /(^|\s)\.npmrc(\s|$)/.test(i.args));
    if (ci >= 0 && (npmrc < 0 || npmrc > ci)) problems.push(`stage ${stage.name}: npm ci runs without .npmrc`);
  }
  const copiesFrom = (what: RegExp) =>
    final.instructions
      .filter((i) => i.keyword === 'COPY' && what.test(i.args))
      .map((i) => i.args.match(/--from=(\S+)/)?.[1]);
  if (!copiesFrom(/node_modules/).includes(depsStage?.name)) {
    problems.push('the final stage does not take node_modules from the npm ci --omit=dev stage');
  }
  const buildStage = stages.find((s) =>
    s.instructions.some((i) => i.keyword === 'RUN' && /npm run build/.test(i.args)),
  );
  if (buildStage === undefined || !copiesFrom(/\bdist\b/).includes(buildStage.name)) {
    problems.push('the final stage does not take dist/ from the stage that runs npm run build');
  }
  if (finalRuns.some((run) => /\b(g\+\+|gcc|make|python3|build-essential)\b/.test(run))) {
    problems.push('build tools in the final stage');
  }
  const entrypoint = final.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '';
  if (!/tini/.test(entrypoint)) problems.push('PID 1 is not tini');
  return problems;
}

describe('the Dockerfile', () => {
  it('lints clean and has every property the deployment relies on', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });

  it.each([
    ['running as root', (d: string) => d.replace(/^USER .*$/m, 'USER root'), 'the image runs as root'],
    ['no USER at all', (d: string) => d.replace(/^USER .*$/m, ''), 'the image runs as root'],
    [
      'a secret in ENV',
      (d: string) => d.replace('NODE_ENV=production', 'NODE_ENV=production GROQ_API_KEY=gsk_x'),
      'ENV GROQ_API_KEY bakes a secret in',
    ],
    [
      'a token as a build ARG',
      (d: string) => `ARG TELEGRAM_BOT_TOKEN\n${d}`,
      'ARG TELEGRAM_BOT_TOKEN bakes a secret in',
    ],
    [
      'no HEALTHCHECK',
      (d: string) => d.replace(/^HEALTHCHECK[^]*?\n(?=ENTRYPOINT)/m, ''),
      'no HEALTHCHECK on /healthz',
    ],
    [
      'one stage',
      (d: string) => d.replace(/^FROM[^]*?(?=^FROM \$\{NODE_IMAGE\} AS runtime)/m, '').replace(/--from=\S+ /g, ''),
      'not a multi-stage build',
    ],
    [
      'dev dependencies shipped',
      (d: string) => d.replace('npm ci --omit=dev', 'npm ci'),
      'no stage runs npm ci --omit=dev',
    ],
    [
      'npm ci before .npmrc',
      (d: string) =>
        d.replace('COPY package.json package-lock.json .npmrc ./', 'COPY package.json package-lock.json ./'),
      'stage build: npm ci runs without .npmrc',
    ],
    ['node as PID 1', (d: string) => d.replace('"/usr/bin/tini", "--", ', ''), 'PID 1 is not tini'],
    ['a misspelt instruction', (d: string) => d.replace('EXPOSE 8080', 'EXPOZE 8080'), 'lint (line'],
  ])('reports %s', (_what, spoil, problem) => {
    const spoilt = spoil(dockerfile);
    expect(spoilt).not.toBe(dockerfile);
    expect(dockerfileProblems(spoilt).join('\n')).toContain(problem);
  });

  it('keeps everything but what it copies out of the build context, and every .env file', () => {
    const ignore = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const { copied } = readDockerfile(dockerfile);
    const reincluded = ignore.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/\/$/, ''));
    expect([...reincluded].sort()).toEqual([...copied].sort());
    expect(ignore).toEqual(expect.arrayContaining(['**/.env', '**/.env.*']));
  });

  it('has a HEALTHCHECK command that passes against a running Lekha and fails once it stops', async () => {
    const { healthcheck } = readDockerfile(dockerfile);
    const [command, ...args] = healthcheck ?? [];
    expect(command).toBe('node');
    const h = await startHarness();
    const port = new URL(h.runtime.http?.url ?? 'http://invalid').port;
    const check = () =>
      promisify(execFile)(process.execPath, args, { env: { PATH: process.env.PATH, HTTP_PORT: port } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    try {
      expect(await check()).toBe(0);
    } finally {
      await h.close();
    }
    expect(await check()).toBe(1);
  });
});
