import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadSetting } from '../../src/config/index.js';

describe('loadConfig', () => {
  it('starts from defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TELEGRAM_MODE: 'polling',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: 8080,
      EMBEDDER: 'hash',
      SNAPSHOT_INTERVAL_MS: 1000,
      GROQ_FALLBACK_MODELS: [],
    });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('treats empty values as unset and parses lists and numbers', () => {
    const config = loadConfig({ HTTP_PORT: '9090', DATABASE_URL: '', GROQ_FALLBACK_MODELS: 'a, b,,c' });
    expect(config.HTTP_PORT).toBe(9090);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.GROQ_FALLBACK_MODELS).toEqual(['a', 'b', 'c']);
  });

  it('takes the name of a fine-tuned model on any OpenAI-compatible endpoint as written', () => {
    for (const model of [
      'ft:llama-3.1-8b:acme:lekha:abc123',
      'accounts/acme/models/lekha-ft-v2',
      'meta-llama/Llama-3.1-8B-Instruct:lekha@2',
    ]) {
      const config = loadConfig({ GROQ_BASE_URL: 'http://127.0.0.1:8000/v1', GROQ_MODEL: model });
      expect(config.GROQ_MODEL).toBe(model);
    }
  });

  it('names every malformed variable and what it expects, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig({
        HTTP_PORT: '99999',
        TELEGRAM_BOT_TOKEN: 'not-a-token-secret-value',
        REDIS_URL: 'http://x',
        TELEGRAM_MODE: 'webhook',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message, code } = error as ConfigError;
    expect(code).toBe('CONFIG_INVALID');
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['HTTP_PORT', 'REDIS_URL', 'TELEGRAM_BOT_TOKEN', 'WEBHOOK_SECRET', 'WEBHOOK_URL'].sort(),
    );
    expect(problems.find((p) => p.startsWith('TELEGRAM_BOT_TOKEN'))).toContain('@BotFather');
    expect(message).not.toContain('not-a-token-secret-value');
  });

  it('refuses malformed memory settings by name', () => {
    let error: unknown;
    try {
      loadConfig({ MODEL_DTYPE: 'fp16', MEMORY_SHARDS: '0', MODEL_ALLOW_DOWNLOAD: 'yes', RECALL_TIMEOUT_MS: '-5' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'MEMORY_SHARDS',
      'MODEL_ALLOW_DOWNLOAD',
      'MODEL_DTYPE',
      'RECALL_TIMEOUT_MS',
    ]);
    expect(problems.find((p) => p.startsWith('MODEL_ALLOW_DOWNLOAD'))).toContain('true or false');
  });

  it('refuses malformed or clashing encryption keys by variable name, never echoing a key', () => {
    const key = 'S2V5T25lS2V5T25lS2V5T25lS2V5T25lS2V5T25lMDE=';
    const other = 'T3RoZXJPdGhlck90aGVyT3RoZXJPdGhlck90aGVyMDE=';
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).message).not.toContain(key.slice(0, 20));
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(problemsOf({ ENCRYPTION_KEYS: `1:${key.slice(2)}` })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEYS: key 1 is not 32 bytes in base64/),
    ]);
    expect(problemsOf({ ENCRYPTION_KEYS: key })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEYS: expected id:key pairs/),
    ]);
    expect(problemsOf({ ENCRYPTION_KEY: key, ENCRYPTION_KEYS: `1:${other}` })).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEYS: key id 1 differs from ENCRYPTION_KEY/),
    ]);
    expect(problemsOf({ ENCRYPTION_KEY: key, ENCRYPTION_KEYS: `1:${key}, 2:${other}` })).toEqual([]);
  });

  it('reads one setting alone as the whole configuration would, and names it when malformed', () => {
    expect(loadSetting('HEAP_GROWTH_PERCENT', {})).toBe(100);
    expect(loadSetting('HEAP_GROWTH_PERCENT', { HEAP_GROWTH_PERCENT: ' 0 ', HTTP_PORT: 'eighty' })).toBe(0);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '250' }).HEAP_GROWTH_PERCENT).toBe(250);
    for (const value of ['-1', '1001', '50.5', 'double']) {
      let error: unknown;
      try {
        loadSetting('HEAP_GROWTH_PERCENT', { HEAP_GROWTH_PERCENT: value });
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^HEAP_GROWTH_PERCENT: ./)]);
      expect(() => loadConfig({ HEAP_GROWTH_PERCENT: value })).toThrow(/HEAP_GROWTH_PERCENT/);
    }
  });

  it('stops `lekha start` with exit code 78 and the variable name', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      env: { PATH: process.env.PATH, HTTP_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('HTTP_PORT');
  });
});
