#!/usr/bin/env node
// Fails on known high or critical vulnerabilities in the dependencies that
// ship (`npm audit --omit=dev`), except advisories a reviewed allow-list
// (.ci/audit-allow.json) accepts until a date, with a reason. npm prints the
// advisories; this script decides, because `npm audit --audit-level` has no
// allow-list and cannot tell "no findings" from "the audit service did not
// answer".
//
//   node scripts/audit-check.mjs [--input <npm-audit.json>] [--allow <file>] [--require-service]
//
// Exit codes: 0 nothing unaccepted (or the service could not be asked and
// --require-service is not set: said loudly), 1 unaccepted findings or an
// expired acceptance, 2 the service could not be asked and --require-service
// is set, or the allow-list is malformed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BLOCKING = new Set(['high', 'critical']);

/** The allow-list's entries, checked: `{ advisory, package, reason, until }`. */
export function parseAllowList(text) {
  const parsed = JSON.parse(text);
  const entries = Array.isArray(parsed?.allow) ? parsed.allow : null;
  if (entries === null) throw new Error('expected {"allow": [ … ]}');
  return entries.map((e, i) => {
    const where = `allow[${i}]`;
    if (typeof e?.advisory !== 'string' || !/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.test(e.advisory))
      throw new Error(`${where}.advisory: expected a GitHub advisory id like GHSA-xxxx-xxxx-xxxx`);
    if (typeof e.package !== 'string' || e.package === '') throw new Error(`${where}.package: expected a package name`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 20)
      throw new Error(`${where}.reason: say in a sentence why the advisory does not apply`);
    if (typeof e.until !== 'string' || Number.isNaN(Date.parse(e.until)))
      throw new Error(`${where}.until: expected the date the acceptance ends, YYYY-MM-DD`);
    return { advisory: e.advisory, package: e.package, reason: e.reason, untilMs: Date.parse(e.until) };
  });
}

/** High and critical advisories in an `npm audit --json` report, one per advisory and package. */
export function blockingAdvisories(report) {
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      // A string names another vulnerable package: its own advisories are listed under it.
      if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue;
      const advisory = /GHSA(-[a-z0-9]{4}){3}/i.exec(via.url ?? '')?.[0] ?? String(via.source);
      found.set(`${advisory} ${via.name}`, {
        advisory,
        package: via.name,
        severity: via.severity,
        title: via.title,
        range: via.range,
      });
    }
  }
  return [...found.values()];
}

/** `{ unaccepted, expired, accepted }` for the report's blocking advisories under the allow-list, at `nowMs`. */
export function judge(report, allow, nowMs) {
  const result = { unaccepted: [], expired: [], accepted: [] };
  for (const finding of blockingAdvisories(report)) {
    const entry = allow.find((e) => e.advisory === finding.advisory && e.package === finding.package);
    if (entry === undefined) result.unaccepted.push(finding);
    else if (entry.untilMs < nowMs) result.expired.push(finding);
    else result.accepted.push(finding);
  }
  return result;
}

function runAudit() {
  try {
    return execFileSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (error) {
    // npm audit exits non-zero both on findings and on failure; its JSON says which.
    if (typeof error.stdout === 'string' && error.stdout.trim() !== '') return error.stdout;
    throw error;
  }
}

function main(argv) {
  let input;
  let allowFile = join(process.cwd(), '.ci', 'audit-allow.json');
  let requireService = process.env.AUDIT_REQUIRE_SERVICE === '1';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input') input = argv[++i];
    else if (argv[i] === '--allow') allowFile = argv[++i];
    else if (argv[i] === '--require-service') requireService = true;
  }
  let allow;
  try {
    allow = existsSync(allowFile) ? parseAllowList(readFileSync(allowFile, 'utf8')) : [];
  } catch (error) {
    console.error(`audit: ${allowFile} is malformed: ${error.message}`);
    return 2;
  }
  const report = JSON.parse(input === undefined ? runAudit() : readFileSync(input, 'utf8'));
  // A report has `vulnerabilities`; npm's failures come as `{error}` or as the refused HTTP request.
  if (typeof report.vulnerabilities !== 'object' || report.vulnerabilities === null) {
    const why = [report.message, report.error?.summary, report.error?.code].find(
      (s) => typeof s === 'string' && s !== '',
    );
    console.error(`audit: the advisory service could not be asked (${(why ?? 'no report').split('\n')[0]})`);
    if (requireService) return 2;
    console.error('audit: NOT CHECKED — run again where the npm registry answers audits (or pass --require-service)');
    return 0;
  }
  const { unaccepted, expired, accepted } = judge(report, allow, Date.now());
  for (const f of accepted)
    console.log(`audit: accepted ${f.advisory} in ${f.package} (${f.severity}) by the allow-list`);
  for (const f of expired)
    console.error(`audit: the acceptance of ${f.advisory} in ${f.package} has expired: review it again`);
  for (const f of unaccepted)
    console.error(`audit: ${f.severity} ${f.advisory} in ${f.package} ${f.range ?? ''}: ${f.title ?? ''}`);
  const counts = report.metadata?.vulnerabilities ?? {};
  console.log(
    `audit: ${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate; ` +
      `${unaccepted.length + expired.length} blocking`,
  );
  return unaccepted.length + expired.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
