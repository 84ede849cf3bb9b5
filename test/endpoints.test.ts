import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { resolveEndpoints, type SandboxEndpoints } from '../src/endpoints.js';

const botApi = { token: '123456:emulated', apiRoot: 'http://127.0.0.1:4100' };
const groqEmulator = {
  apiKey: 'gsk_emulator_1',
  baseURL: 'http://127.0.0.1:4200/openai/v1',
  limits: { requestsPerMinute: 14_400, tokensPerMinute: 10_000_000 },
};

describe('endpoint resolution', () => {
  it('takes the configured Telegram and Groq when a bot token is set', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '777:real-token-0123456789abcdef',
      TELEGRAM_API_ROOT: 'https://telegram.example',
      TELEGRAM_MODE: 'webhook',
      WEBHOOK_URL: 'https://bot.example/hook',
      WEBHOOK_SECRET: 'hook-secret-0123456789',
      GROQ_API_KEY: 'gsk_real',
      GROQ_BASE_URL: 'https://groq.example/v1',
      GROQ_RPM: '1000',
      GROQ_TPM: '250000',
    });
    expect(resolveEndpoints(config, null)).toEqual({
      telegram: {
        token: '777:real-token-0123456789abcdef',
        apiRoot: 'https://telegram.example',
        mode: 'webhook',
        webhook: { url: 'https://bot.example/hook', secret: 'hook-secret-0123456789' },
      },
      groq: {
        apiKey: 'gsk_real',
        baseURL: 'https://groq.example/v1',
        requestsPerMinute: 1000,
        tokensPerMinute: 250_000,
      },
    });
  });

  it('leaves Groq key and URL out when neither is configured, and budgets for the free tier', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '777:real-token-0123456789abcdef' });
    expect(resolveEndpoints(config, null).groq).toEqual({ requestsPerMinute: 30, tokensPerMinute: 6000 });
  });

  it('points Telegram and Groq at the emulators in sandbox mode, polling whatever mode is configured', () => {
    const sandbox: SandboxEndpoints = { botApi, groq: groqEmulator };
    const endpoints = resolveEndpoints(loadConfig({ TELEGRAM_MODE: 'polling' }), sandbox);
    expect(endpoints.telegram).toEqual({ token: botApi.token, apiRoot: botApi.apiRoot, mode: 'polling' });
    // The emulated account's limits, not the real account's GROQ_RPM / GROQ_TPM.
    expect(endpoints.groq).toEqual({
      apiKey: groqEmulator.apiKey,
      baseURL: groqEmulator.baseURL,
      requestsPerMinute: 14_400,
      tokensPerMinute: 10_000_000,
    });
  });

  it('keeps the real Groq in sandbox mode when a Groq key is set', () => {
    const config = loadConfig({ GROQ_API_KEY: 'gsk_real', GROQ_TPM: '12000' });
    expect(resolveEndpoints(config, { botApi, groq: null }).groq).toEqual({
      apiKey: 'gsk_real',
      requestsPerMinute: 30,
      tokensPerMinute: 12_000,
    });
  });
});
