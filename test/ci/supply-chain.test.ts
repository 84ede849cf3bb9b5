import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCAN = join(process.cwd(), 'scripts', 'secret-scan.mjs');
const AUDIT = join(process.cwd(), 'scripts', 'audit-check.mjs');
// Built from parts so this file holds no token-shaped string of its own.
const TOKEN = ['5550001112', 'AAH' + 'x'.repeat(32)].join(':');
const GROQ = 'gsk' + '_' + 'Q'.repeat(40);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lekha-ci-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string, args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, out: result.stdout + result.stderr };
}

function repoWith(files: Record<string, string>): string {
  const repo = tempDir();
  execFileSync('git', ['init', '-q'], { cwd: repo });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  execFileSync('git', ['add', '-A'], { cwd: repo });
  return repo;
}

const print = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

describe('secret scan', () => {
  it('reports a token in a tracked file by place, kind and fingerprint, never by value', () => {
    const repo = repoWith({ 'src/config.ts': `export const token = '${TOKEN}';\nconst groq = "${GROQ}";\n` });
    const { code, out } = run(SCAN, ['--repo', repo]);
    expect(code).toBe(1);
    expect(out).toContain(`src/config.ts:1: telegram-bot-token (fingerprint ${print(TOKEN)})`);
    expect(out).toContain('src/config.ts:2: groq-api-key');
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(GROQ);
  });

  it('allows a test fixture only in its own file, and never in a log', () => {
    const repo = repoWith({
      'test/a.test.ts': `const fake = '${TOKEN}';\n`,
      'test/b.test.ts': `const copied = '${TOKEN}';\n`,
      '.ci/secret-allow.txt': `# fixtures\n${print(TOKEN)} test/a.test.ts # fake token of the test\n`,
    });
    const log = join(repo, 'test.log');
    writeFileSync(log, `request failed: https://api.telegram.org/bot${TOKEN}/getUpdates\n`);
    const { code, out } = run(SCAN, ['--repo', repo, log]);
    expect(code).toBe(1);
    expect(out).not.toContain('test/a.test.ts');
    expect(out).toContain('test/b.test.ts:1: telegram-bot-token');
    expect(out).toContain('test.log:1: telegram-bot-token');
  });

  it('passes a clean repository and refuses a malformed allow-list', () => {
    const repo = repoWith({ 'README.md': 'TELEGRAM_BOT_TOKEN=123456:ABC-DEF from @BotFather\n' });
    expect(run(SCAN, ['--repo', repo])).toMatchObject({ code: 0 });
    writeFileSync(join(repo, 'allow.txt'), 'not-a-fingerprint README.md\n');
    const bad = run(SCAN, ['--repo', repo, '--allow', join(repo, 'allow.txt')]);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('allow-list line 1');
  });

  it('finds nothing in this repository beyond its allowed fixtures', () => {
    expect(run(SCAN, [])).toMatchObject({ code: 0 });
  });
});

/** An `npm audit --json` report (format 2) with one advisory of `severity` in `pkg`. */
function auditReport(severity: string, pkg = 'fastify-plugin-x') {
  return {
    auditReportVersion: 2,
    vulnerabilities: {
      [pkg]: {
        name: pkg,
        severity,
        isDirect: false,
        via: [
          {
            source: 1100223,
            name: pkg,
            dependency: pkg,
            title: 'Prototype pollution in option parsing',
            url: 'https://github.com/advisories/GHSA-2p57-rm9w-gvfp',
            severity,
            range: '<2.1.4',
          },
        ],
        effects: ['lekha-dep'],
        range: '<2.1.4',
        nodes: [`node_modules/${pkg}`],
        fixAvailable: true,
      },
      'lekha-dep': { name: 'lekha-dep', severity, isDirect: true, via: [pkg], effects: [], range: '*', nodes: [] },
    },
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 } },
  };
}

function auditFiles(report: unknown, allow: unknown) {
  const dir = tempDir();
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  writeFileSync(join(dir, 'allow.json'), JSON.stringify(allow));
  return ['--input', join(dir, 'report.json'), '--allow', join(dir, 'allow.json')];
}

describe('dependency audit', () => {
  const acceptance = (until: string) => ({
    allow: [
      {
        advisory: 'GHSA-2p57-rm9w-gvfp',
        package: 'fastify-plugin-x',
        reason: 'only reachable through an option Lekha never passes',
        until,
      },
    ],
  });

  it('fails on a high advisory nobody accepted, naming it once', () => {
    const { code, out } = run(AUDIT, auditFiles(auditReport('high'), { allow: [] }));
    expect(code).toBe(1);
    expect(out.match(/GHSA-2p57-rm9w-gvfp in fastify-plugin-x/g)).toHaveLength(1);
  });

  it('passes moderate advisories and accepted ones, and fails again once the acceptance expires', () => {
    expect(run(AUDIT, auditFiles(auditReport('moderate'), { allow: [] })).code).toBe(0);
    const accepted = run(AUDIT, auditFiles(auditReport('critical'), acceptance('2999-01-01')));
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('accepted GHSA-2p57-rm9w-gvfp');
    const expired = run(AUDIT, auditFiles(auditReport('critical'), acceptance('2020-01-01')));
    expect(expired.code).toBe(1);
    expect(expired.out).toContain('has expired');
  });

  it('refuses an acceptance without a reason', () => {
    const entry = { ...acceptance('2999-01-01').allow[0], reason: '' };
    const { code, out } = run(AUDIT, auditFiles(auditReport('high'), { allow: [entry] }));
    expect(code).toBe(2);
    expect(out).toContain('allow[0].reason');
  });

  it('says loudly when the advisory service cannot be asked, and fails on it when required', () => {
    const unreachable = { error: { code: 'E405', summary: 'audit endpoint returned an error' } };
    const lenient = run(AUDIT, auditFiles(unreachable, { allow: [] }));
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('NOT CHECKED');
    expect(run(AUDIT, [...auditFiles(unreachable, { allow: [] }), '--require-service']).code).toBe(2);
    // What npm prints when the registry refuses the bulk advisory request.
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    };
    expect(run(AUDIT, auditFiles(refused, { allow: [] })).out).toContain('405 Method Not Allowed');
  });

  it('reads the repository allow-list without error', () => {
    const report = auditFiles({ vulnerabilities: {}, metadata: { vulnerabilities: {} } }, { allow: [] });
    expect(run(AUDIT, [report[0]!, report[1]!, '--allow', join(process.cwd(), '.ci', 'audit-allow.json')]).code).toBe(
      0,
    );
  });
});
