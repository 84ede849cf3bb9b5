/*
 * deploy/compose.yaml and deploy/.env.example: the services the stack needs,
 * each with a health check and the start order on it, files it mounts that
 * exist, and an example environment that lists every setting Lekha reads
 * with its true default.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, loadConfig, secretKeys } from '../../src/config/index.js';

const deployDir = path.resolve(import.meta.dirname, '../../deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  env_file?: Array<{ path: string; required: boolean }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(path.join(deployDir, 'compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

/** `NAME=value` and `# NAME=value` lines: the variables the example lists and the values it gives. */
function listedVariables(text: string): Array<{ name: string; value: string; commented: boolean }> {
  return [...text.matchAll(/^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({
    name: m[2] as string,
    value: (m[3] as string).trim(),
    commented: m[1] !== undefined,
  }));
}

/**
 * What is wrong with an example environment: a setting of the schema missing
 * or listed twice, a value that is not the setting's default, a secret with a
 * value. Empty when nothing is.
 */
function envExampleProblems(text: string): string[] {
  const listed = listedVariables(text);
  const schemaNames = Object.keys(configSchema.shape);
  const problems: string[] = [];
  for (const name of schemaNames) {
    const count = listed.filter((v) => v.name === name).length;
    if (count !== 1) problems.push(`${name} is listed ${count} times`);
  }
  const defaults = loadConfig({});
  for (const { name, value } of listed.filter((v) => schemaNames.includes(v.name))) {
    if ((secretKeys as readonly string[]).includes(name) && value !== '') problems.push(`${name} has a value`);
    let parsed: unknown;
    try {
      parsed = loadConfig({ [name]: value })[name as keyof typeof defaults];
    } catch {
      problems.push(`${name}=${value} is not a valid value`);
      continue;
    }
    if (JSON.stringify(parsed) !== JSON.stringify(defaults[name as keyof typeof defaults])) {
      problems.push(`${name}=${value} is not its default`);
    }
  }
  return problems;
}

describe('deploy/.env.example', () => {
  const example = readFileSync(path.join(deployDir, '.env.example'), 'utf8');

  it('lists every setting of the config schema once, with its default, and no secret value', () => {
    expect(envExampleProblems(example)).toEqual([]);
  });

  it('gives every variable a line of explanation', () => {
    const lines = example.split('\n');
    const unexplained = lines
      .map((line, i) => ({ line, before: lines[i - 1] ?? '' }))
      .filter(({ line }) => /^(#\s*)?[A-Z][A-Z0-9_]*=/.test(line))
      .filter(({ before }) => !/^#\s+\S.*\S/.test(before) || /^#\s*[A-Z][A-Z0-9_]*=/.test(before))
      .map(({ line }) => line);
    expect(unexplained).toEqual([]);
  });

  it.each([
    ['a missing setting', (t: string) => t.replace(/^# GROQ_TPM=.*\n/m, ''), 'GROQ_TPM is listed 0 times'],
    ['a wrong default', (t: string) => t.replace('# GROQ_RPM=30', '# GROQ_RPM=60'), 'GROQ_RPM=60 is not its default'],
    [
      'a secret with a value',
      (t: string) => t.replace('ADMIN_TOKEN=', 'ADMIN_TOKEN=0123456789abcdef0'),
      'ADMIN_TOKEN has a value',
    ],
    ['a setting listed twice', (t: string) => `${t}\n# LOG_LEVEL=info\n`, 'LOG_LEVEL is listed 2 times'],
    [
      'an invalid value',
      (t: string) => t.replace('# TELEGRAM_MODE=polling', '# TELEGRAM_MODE=pull'),
      'TELEGRAM_MODE=pull is not a valid value',
    ],
  ])('notices %s', (_what, spoil, problem) => {
    const spoilt = spoil(example);
    expect(spoilt).not.toBe(example);
    expect(envExampleProblems(spoilt)).toContain(problem);
  });

  it('names the variables compose.yaml requires', () => {
    const required = [...readFileSync(path.join(deployDir, 'compose.yaml'), 'utf8').matchAll(/\$\{([A-Z_]+):\?/g)].map(
      (m) => m[1] as string,
    );
    expect(required.length).toBeGreaterThan(0);
    const listed = listedVariables(example).map((v) => v.name);
    expect(required.filter((name) => !listed.includes(name))).toEqual([]);
  });
});

describe('deploy/compose.yaml', () => {
  const { services } = compose;

  it('runs Lekha with Postgres, Redis, Prometheus, Alertmanager and Grafana, each health-checked', () => {
    expect(Object.keys(services).sort()).toEqual([
      'alertmanager',
      'grafana',
      'lekha',
      'postgres',
      'prometheus',
      'redis',
    ]);
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test.length, `${name} has no health check`).toBeGreaterThan(1);
    }
  });

  it('starts Lekha once Postgres and Redis are healthy, and points it at them', () => {
    const lekha = services.lekha as Service;
    expect(lekha.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(lekha.environment?.DATABASE_URL).toMatch(
      /^postgres:\/\/lekha:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/lekha$/,
    );
    expect(lekha.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(lekha.environment?.HTTP_HOST).toBe('0.0.0.0');
    // Every variable compose sets for Lekha is one Lekha reads.
    const known = Object.keys(configSchema.shape);
    expect(Object.keys(lekha.environment ?? {}).filter((name) => !known.includes(name))).toEqual([]);
    expect(lekha.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
    expect(existsSync(path.join(deployDir, '..', 'Dockerfile'))).toBe(true);
  });

  it('checks and scrapes Lekha on the port it listens on', () => {
    const lekha = services.lekha as Service;
    const port = lekha.environment?.HTTP_PORT;
    expect(lekha.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(lekha.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    const prometheus = parse(readFileSync(path.join(deployDir, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const job = prometheus.scrape_configs.find((j) => j.job_name === 'lekha');
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.static_configs[0]?.targets).toEqual([`lekha:${port}`]);
  });

  it('orders the monitoring services on health and keeps their data in named volumes', () => {
    expect(services.grafana?.depends_on?.prometheus).toEqual({ condition: 'service_healthy' });
    expect(services.prometheus?.depends_on?.alertmanager).toEqual({ condition: 'service_healthy' });
    const named = Object.keys(compose.volumes);
    for (const [name, service] of Object.entries(services)) {
      const volumes = (service.volumes ?? []).filter((v) => !v.startsWith('.'));
      expect(volumes.length, `${name} keeps no data`).toBeGreaterThan(0);
      for (const volume of volumes) expect(named).toContain(volume.split(':')[0]);
    }
  });

  it('publishes ports on localhost only', () => {
    const ports = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(ports.filter((p) => !p.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('mounts files that exist, and provisions the datasource the dashboards use', () => {
    const mounts = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('.'))
      .map((v) => v.split(':')[0] as string);
    expect(mounts.length).toBeGreaterThan(0);
    expect(mounts.filter((m) => !existsSync(path.join(deployDir, m)))).toEqual([]);
    const datasources = parse(
      readFileSync(path.join(deployDir, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ uid: string; url: string }> };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const home = services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(existsSync(path.join(deployDir, 'grafana', path.basename(home)))).toBe(true);
  });

  it('loads the dashboards from where compose mounts them, each on the provisioned datasource', () => {
    const providers = parse(
      readFileSync(path.join(deployDir, 'grafana', 'provisioning', 'dashboards', 'lekha.yml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    const dashboardsPath = providers.providers[0]?.options.path;
    expect(services.grafana?.volumes).toContain(`./grafana:${dashboardsPath}:ro`);
    const home = services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(path.dirname(home)).toBe(dashboardsPath);
    const files = readdirSync(path.join(deployDir, 'grafana')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(path.join(deployDir, 'grafana', file), 'utf8')) as {
        uid: string;
        panels: Array<{ id: number; datasource: { uid: string }; targets: Array<{ datasource: { uid: string } }> }>;
      };
      expect(dashboard.uid).toBe(path.basename(file, '.json'));
      expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
      const uids = dashboard.panels.flatMap((p) => [p.datasource.uid, ...p.targets.map((t) => t.datasource.uid)]);
      expect(new Set(uids), file).toEqual(new Set(['prometheus']));
    }
  });

  const composeCli = promisify(execFile)('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );

  it('is a valid compose file for `docker compose config` (where the compose plugin is installed)', async (context) => {
    if (!(await composeCli)) context.skip();
    const { stdout } = await promisify(execFile)(
      'docker',
      ['compose', '-f', path.join(deployDir, 'compose.yaml'), 'config', '--quiet'],
      {
        env: {
          ...process.env,
          POSTGRES_PASSWORD: 'compose-config-check',
          GRAFANA_ADMIN_PASSWORD: 'compose-config-check',
        },
      },
    );
    expect(stdout).toBe('');
  });
});
