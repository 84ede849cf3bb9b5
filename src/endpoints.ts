import type { Config } from './config/index.js';
import type { Sandbox } from './sandbox/index.js';

/** Where the runtime reaches Telegram's Bot API and Groq. */
export interface Endpoints {
  telegram: {
    token: string;
    apiRoot: string;
    mode: Config['TELEGRAM_MODE'];
    webhook?: { url: string; secret: string };
  };
  /**
   * Absent fields: no key (the offline responder answers) or Groq's own URL.
   * The per-minute limits are the account's the calls are budgeted against.
   */
  groq: { apiKey?: string; baseURL?: string; requestsPerMinute: number; tokensPerMinute: number };
}

/** The part of a running sandbox that says where its emulators listen. */
export interface SandboxEndpoints {
  botApi: Pick<Sandbox['botApi'], 'token' | 'apiRoot'>;
  groq: Pick<NonNullable<Sandbox['groq']>, 'apiKey' | 'baseURL' | 'limits'> | null;
}

/**
 * The sandbox's emulators when it runs (always polled; Groq's only when no
 * GROQ_API_KEY is set), the configured services otherwise. The emulated Groq
 * brings its own per-minute limits: GROQ_RPM and GROQ_TPM describe a real
 * account, and budgeting the emulator by them would answer the sandbox's
 * chats offline for want of a quota nobody has.
 */
export function resolveEndpoints(config: Config, sandbox: SandboxEndpoints | null): Endpoints {
  const groqKey = sandbox?.groq?.apiKey ?? config.GROQ_API_KEY;
  const groqUrl = sandbox?.groq?.baseURL ?? config.GROQ_BASE_URL;
  return {
    telegram: {
      token: sandbox?.botApi.token ?? (config.TELEGRAM_BOT_TOKEN as string),
      apiRoot: sandbox?.botApi.apiRoot ?? config.TELEGRAM_API_ROOT,
      mode: sandbox === null ? config.TELEGRAM_MODE : 'polling',
      ...(config.WEBHOOK_URL !== undefined && config.WEBHOOK_SECRET !== undefined
        ? { webhook: { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET } }
        : {}),
    },
    groq: {
      ...(groqKey === undefined ? {} : { apiKey: groqKey }),
      ...(groqUrl === undefined ? {} : { baseURL: groqUrl }),
      ...(sandbox?.groq?.limits ?? { requestsPerMinute: config.GROQ_RPM, tokensPerMinute: config.GROQ_TPM }),
    },
  };
}
