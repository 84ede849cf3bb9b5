/*
 * The README's configuration table: every setting of the config schema, no
 * setting the schema does not have, and the defaults the schema really has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../src/config/index.js';
import { BUILTIN_PLUGINS, INTEGRATION_PLUGINS } from '../../src/plugins/index.js';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

interface Row {
  names: string[];
  defaults: string[];
  /** The default cell says "—": unset. */
  unset: boolean;
}

/** The rows of the table under `## Configuration`: the variables each names and the backticked defaults it gives. */
function configurationRows(text: string): Row[] {
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(text)?.[1] ?? '';
  const backticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, name = '', defaults = ''] = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      return {
        names: backticked(name).filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n)),
        defaults: backticked(defaults),
        unset: defaults === '—',
      };
    });
}

/** Variables the built-in and integration plugins read for their settings (`WEATHER_BASE_URL`, `TMDB_API_KEY`). */
const pluginVariables = [
  ...new Set(
    [...BUILTIN_PLUGINS, ...INTEGRATION_PLUGINS].flatMap((plugin) => Object.values(plugin.env ?? {}) as string[]),
  ),
];

/** What is wrong with the table: a setting missing or unknown, a default that is not the schema's. Empty when nothing is. */
function configurationProblems(text: string): string[] {
  const rows = configurationRows(text);
  const schemaNames = Object.keys(configSchema.shape);
  const listed = rows.flatMap((row) => row.names);
  const problems: string[] = [];
  for (const name of [...schemaNames, ...pluginVariables]) {
    if (!listed.includes(name)) problems.push(`${name} is not in the table`);
  }
  for (const name of listed) {
    if (!schemaNames.includes(name) && !pluginVariables.includes(name)) problems.push(`${name} is not a setting`);
  }
  const defaults = loadConfig({}) as Record<string, unknown>;
  for (const row of rows) {
    const known = row.names.filter((name) => schemaNames.includes(name));
    if (row.unset) {
      for (const name of known) {
        const value = defaults[name];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          problems.push(`${name} has the default ${JSON.stringify(value)}, not —`);
        }
      }
      continue;
    }
    // `A` / `B` | `1` / `2`: one default per name; `A` / `B` | `0`: the same for both.
    if (row.defaults.length !== known.length && row.defaults.length !== 1) continue;
    known.forEach((name, i) => {
      const given = row.defaults.length === 1 ? (row.defaults[0] as string) : (row.defaults[i] as string);
      let parsed: unknown;
      try {
        parsed = loadConfig({ [name]: given })[name as keyof ReturnType<typeof loadConfig>];
      } catch {
        problems.push(`${name}: \`${given}\` is not a valid value`);
        return;
      }
      if (JSON.stringify(parsed) !== JSON.stringify(defaults[name])) {
        problems.push(`${name}: \`${given}\` is not its default ${JSON.stringify(defaults[name])}`);
      }
    });
  }
  return problems;
}

describe('the README configuration table', () => {
  it("lists every setting of the config schema and the integrations' variables, and nothing else", () => {
    expect(configurationRows(readme).length).toBeGreaterThan(40);
    expect(pluginVariables).toContain('TMDB_API_KEY');
    expect(configurationProblems(readme)).toEqual([]);
  });

  it.each([
    [
      "a missing integration's variable",
      (t: string) => t.replace('| `COINGECKO_API_KEY` |', '| `COINGECKO_KEY` |'),
      'COINGECKO_API_KEY is not in the table',
    ],
    [
      'a missing setting',
      (t: string) => t.replace(/^\| `GROQ_MAX_TOKENS` .*\n/m, ''),
      'GROQ_MAX_TOKENS is not in the table',
    ],
    [
      'a setting the schema does not have',
      (t: string) => t.replace('| `GROQ_MAX_TOKENS` |', '| `GROQ_MAX_TOKEN` |'),
      'GROQ_MAX_TOKEN is not a setting',
    ],
    [
      'a wrong default',
      (t: string) => t.replace('| `HTTP_PORT` | `8080` |', '| `HTTP_PORT` | `8081` |'),
      'HTTP_PORT: `8081` is not its default 8080',
    ],
    [
      'a wrong default of a pair',
      (t: string) => t.replace('| `30` / `6000` |', '| `30` / `600` |'),
      'GROQ_TPM: `600` is not its default 6000',
    ],
    [
      'a default given as unset',
      (t: string) => t.replace('| `LOG_LEVEL` | `info` |', '| `LOG_LEVEL` | — |'),
      'LOG_LEVEL has the default "info", not —',
    ],
    [
      'an invalid default',
      (t: string) => t.replace('| `TELEGRAM_MODE` | `polling` |', '| `TELEGRAM_MODE` | `pull` |'),
      'TELEGRAM_MODE: `pull` is not a valid value',
    ],
  ])('notices %s', (_what, spoil, problem) => {
    const spoilt = spoil(readme);
    expect(spoilt).not.toBe(readme);
    expect(configurationProblems(spoilt)).toContain(problem);
  });
});
