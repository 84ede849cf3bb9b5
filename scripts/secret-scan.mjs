#!/usr/bin/env node
// Looks for token-shaped strings in the repository's files and in log files:
// Telegram bot tokens, Groq, OpenAI-style, GitHub, Slack and AWS keys, private
// key blocks. Test fixtures hold fake tokens on purpose; each is allowed by
// the SHA-256 fingerprint of its value in one named file
// (.ci/secret-allow.txt), so the allow-list repeats no value and a fixture
// that shows up anywhere else — a log above all — is still reported.
//
//   node scripts/secret-scan.mjs [--repo <dir>] [--allow <file>] [log files…]
//
// Exits 1 with one line per finding (file, line, kind and fingerprint; never
// the value itself), 0 when nothing is found.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** What a secret looks like, by kind. Each pattern matches the whole value. */
export const SECRET_PATTERNS = [
  { kind: 'telegram-bot-token', pattern: /(?<![0-9])\d{5,12}:AA[A-Za-z0-9_-]{20,}/g },
  { kind: 'groq-api-key', pattern: /\bgsk_[A-Za-z0-9]{20,}/g },
  { kind: 'openai-style-key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/g },
  { kind: 'github-token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{40,}/g },
  { kind: 'slack-token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'private-key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g },
];

/** A value's fingerprint: what the allow-list and the report show instead of it. */
export function fingerprint(value) {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** Lines `<fingerprint> <path> [# why]`; blank lines and `#` comments skipped. */
export function parseAllowList(text) {
  const allowed = new Set();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const [print, path, extra] = line.split(/\s+/);
    if (!/^[0-9a-f]{16}$/.test(print ?? '') || path === undefined || extra !== undefined)
      throw new Error(`allow-list line ${index + 1}: expected "<16 hex digits> <path> [# reason]"`);
    allowed.add(`${print} ${path}`);
  }
  return allowed;
}

/** Findings in one file's text: `{ line, kind, fingerprint }`, fixtures allowed for `path` left out. */
export function scanText(text, path, allowed = new Set()) {
  const findings = [];
  for (const { kind, pattern } of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const print = fingerprint(match[0]);
      if (allowed.has(`${print} ${path}`)) continue;
      const line = text.slice(0, match.index).split('\n').length;
      findings.push({ path, line, kind, fingerprint: print });
    }
  }
  return findings;
}

function trackedFiles(repo) {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\0').filter((f) => f !== '');
}

function readText(file) {
  const bytes = readFileSync(file);
  // Binary files (a NUL in the first 8 KiB) are skipped, as git itself decides.
  return bytes.subarray(0, 8192).includes(0) ? null : bytes.toString('utf8');
}

function main(argv) {
  let repo = process.cwd();
  let allowFile;
  const logs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repo') repo = resolve(argv[++i] ?? '.');
    else if (argv[i] === '--allow') allowFile = resolve(argv[++i] ?? '');
    else logs.push(resolve(argv[i]));
  }
  allowFile ??= join(repo, '.ci', 'secret-allow.txt');
  const allowed = existsSync(allowFile) ? parseAllowList(readFileSync(allowFile, 'utf8')) : new Set();
  const findings = [];
  let files = 0;
  for (const file of trackedFiles(repo)) {
    const full = join(repo, file);
    if (!existsSync(full)) continue;
    const text = readText(full);
    if (text === null) continue;
    files++;
    findings.push(...scanText(text, file, allowed));
  }
  // Logs never get fixtures allowed: a fake token in a log means a scrubber missed it.
  for (const log of logs) {
    const text = readText(log);
    if (text === null) continue;
    files++;
    findings.push(...scanText(text, relative(repo, log)));
  }
  for (const f of findings) console.error(`${f.path}:${f.line}: ${f.kind} (fingerprint ${f.fingerprint})`);
  console.log(`secret scan: ${files} files, ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  return findings.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
