import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { secretScrubber } from '../../src/config/secret-scrubber.js';
import { loginSettings } from '../../src/login-settings.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

const oidc = {
  PUBLIC_URL: 'https://lekha.example.com',
  OIDC_ISSUER: 'https://id.example.com/realms/lekha',
  OIDC_CLIENT_ID: 'lekha',
  OIDC_CLIENT_SECRET: 'a-client-secret-value-0123',
  OIDC_ROLES: 'admin:alice@example.com, viewer:@example.com, operator:group:ops, admin:sub:1234',
};
const BOT_TOKEN = '123456:ABCdefGhIJKlmNoPQRstuVWXyz0123456789';

describe('login configuration', () => {
  it('reads OIDC_ROLES into rules: e-mails and domains lower-cased, group and subject values as written', () => {
    const config = loadConfig(oidc);
    expect(config.OIDC_ROLES).toEqual([
      { role: 'admin', match: 'email', value: 'alice@example.com' },
      { role: 'viewer', match: 'domain', value: 'example.com' },
      { role: 'operator', match: 'claim', value: 'ops' },
      { role: 'admin', match: 'subject', value: '1234' },
    ]);
    expect(config.OIDC_ROLE_CLAIM).toBe('groups');
    expect(loginSettings(config)).toMatchObject({
      publicUrl: 'https://lekha.example.com',
      idleMs: 3600_000,
      maxAgeMs: 12 * 3600_000,
      oidc: { issuer: oidc.OIDC_ISSUER, clientId: 'lekha', scopes: 'openid email profile' },
      telegram: undefined,
    });
  });

  it('offers no login method (bearer tokens only) when none is configured', () => {
    expect(loginSettings(loadConfig({}))).toBeUndefined();
    expect(loginSettings(loadConfig({ PUBLIC_URL: 'https://lekha.example.com' }))).toBeUndefined();
  });

  it('names what an OpenID Connect setup lacks', () => {
    const problems = problemsOf({ OIDC_ISSUER: 'https://id.example.com' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLES', 'PUBLIC_URL'].sort(),
    );
    expect(problems.find((p) => p.startsWith('OIDC_ROLES'))).toContain('admin:alice@example.com');
  });

  it('refuses client settings without an issuer, an http issuer elsewhere than localhost and scopes without openid', () => {
    expect(problemsOf({ OIDC_CLIENT_ID: 'x' })).toEqual(['OIDC_CLIENT_ID: needs OIDC_ISSUER']);
    expect(problemsOf({ ...oidc, OIDC_ISSUER: 'http://id.example.com' })).toEqual([
      'OIDC_ISSUER: expected https (http only for localhost)',
    ]);
    expect(problemsOf({ ...oidc, OIDC_ISSUER: 'http://127.0.0.1:9000' })).toEqual([]);
    expect(problemsOf({ ...oidc, OIDC_SCOPES: 'email profile' })).toEqual(['OIDC_SCOPES: must include openid']);
  });

  it.each([
    ['root:alice@example.com', 'expected role:who'],
    ['admin', 'expected who to be'],
    ['admin:alice', 'expected who to be'],
    ['admin:group:', 'expected who to be'],
    ['viewer:@localhost', 'expected who to be'],
  ])('explains a malformed OIDC_ROLES entry %s', (entry, explanation) => {
    const problems = problemsOf({ ...oidc, OIDC_ROLES: `admin:bob@example.com,${entry}` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^OIDC_ROLES: /);
    expect(problems[0]).toContain(explanation);
  });

  it('needs the bot token and a public URL for the Telegram widget, and checks the bot name', () => {
    expect(
      problemsOf({ TELEGRAM_LOGIN_BOT: 'lekha_bot' })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['PUBLIC_URL', 'TELEGRAM_BOT_TOKEN']);
    expect(
      problemsOf({
        TELEGRAM_LOGIN_BOT: '@lekha_bot',
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        PUBLIC_URL: 'https://x.example',
      })[0],
    ).toContain('without @');
    const config = loadConfig({
      TELEGRAM_LOGIN_BOT: 'lekha_bot',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      PUBLIC_URL: 'https://x.example',
      TELEGRAM_LOGIN_MAX_AGE_S: '600',
    });
    expect(loginSettings(config)?.telegram).toEqual({ botUsername: 'lekha_bot', botToken: BOT_TOKEN, maxAgeS: 600 });
  });

  it('refuses an idle time longer than the session lifetime', () => {
    expect(problemsOf({ SESSION_IDLE_S: '7200', SESSION_MAX_AGE_S: '3600' })).toEqual([
      'SESSION_IDLE_S: must not exceed SESSION_MAX_AGE_S',
    ]);
  });

  it('keeps OIDC_CLIENT_SECRET out of log lines', () => {
    const scrub = secretScrubber(loadConfig(oidc));
    expect(scrub(`token request failed with ${oidc.OIDC_CLIENT_SECRET}`)).toBe('token request failed with [redacted]');
  });
});
