/*
 * deploy/prometheus: the configuration and the alert rules pass promtool's
 * checks, the rules' unit tests pass, every alert has a unit test that
 * expects it to fire, and every alert links a runbook section that exists.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';

const run = promisify(execFile);
const promDir = path.resolve(import.meta.dirname, '../../deploy/prometheus');
const runbook = readFileSync(path.resolve(import.meta.dirname, '../../docs/runbook.md'), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

const rules = (
  parse(readFileSync(path.join(promDir, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((group) => group.rules);

/** promtool's exit code and output; a failure is an answer here, not an exception. */
async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: promDir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** GitHub's anchor for each `## ` heading of a Markdown text. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      (m[1] as string)
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('deploy/prometheus', () => {
  it('passes promtool check config and check rules', async () => {
    const config = await promtool('check', 'config', 'prometheus.yml');
    expect(config.code, config.output).toBe(0);
    const checked = await promtool('check', 'rules', 'alerts.yml');
    expect(checked.code, checked.output).toBe(0);
    expect(checked.output).toContain(`${rules.length} rules found`);
  });

  it('passes its alert unit tests (promtool test rules)', async () => {
    const result = await promtool('test', 'rules', 'alerts.test.yml');
    expect(result.code, result.output).toBe(0);
  });

  it('makes promtool fail a rule unit test whose expectation is wrong', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lekha-promtool-'));
    try {
      writeFileSync(path.join(dir, 'alerts.yml'), readFileSync(path.join(promDir, 'alerts.yml')));
      // A quarantine that does fire, expected not to. The document is edited in
      // place: promtool's series notation (`0x20`) must stay text, not become numbers.
      const tests = parseDocument(readFileSync(path.join(promDir, 'alerts.test.yml'), 'utf8'));
      const index = (tests.toJS() as { tests: Array<{ name: string }> }).tests.findIndex(
        (t) => t.name === 'quarantined chats',
      );
      expect(index).toBeGreaterThan(0);
      expect(tests.deleteIn(['tests', index, 'alert_rule_test', 0, 'exp_alerts'])).toBe(true);
      writeFileSync(path.join(dir, 'alerts.test.yml'), tests.toString());
      const { stdout, stderr } = await run('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: dir }).then(
        () => ({ stdout: 'passed', stderr: '' }),
        (error: { stdout: string; stderr: string }) => error,
      );
      expect(`${stdout}${stderr}`).toContain('LekhaChatsQuarantined');
      expect(`${stdout}${stderr}`).toContain('FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a unit test expecting every alert to fire', () => {
    const tests = parse(readFileSync(path.join(promDir, 'alerts.test.yml'), 'utf8')) as {
      tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
    };
    const firing = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname),
      ),
    );
    expect(rules.map((r) => r.alert).filter((alert) => !firing.has(alert))).toEqual([]);
  });

  it('links every alert to its section of docs/runbook.md', () => {
    const headings = anchors(runbook);
    const broken = rules.filter((rule) => {
      const url = rule.annotations?.runbook_url ?? '';
      const [file, anchor] = url.split('#');
      return file !== 'docs/runbook.md' || anchor !== rule.alert.toLowerCase() || !headings.has(anchor);
    });
    expect(broken.map((r) => `${r.alert}: ${r.annotations?.runbook_url ?? 'no runbook_url'}`)).toEqual([]);
  });

  it('covers the failures operators must hear about', () => {
    const metricsAlertedOn = rules.map((r) => r.expr).join('\n');
    for (const metric of [
      'lekha_telegram_polls_total',
      'lekha_telegram_offset_stalled_seconds',
      'lekha_actors_quarantined',
      'lekha_snapshot_flush_lag_ms',
      'lekha_snapshots_pending',
      'lekha_snapshot_write_failures_total',
      'lekha_snapshot_hot_write_failures_total',
      'lekha_llm_breaker_open',
      'lekha_chat_reply_failures_total',
      'lekha_telegram_flood_waits_total',
      'lekha_scheduler_failed_total',
    ]) {
      expect(metricsAlertedOn, metric).toContain(metric);
    }
  });
});
