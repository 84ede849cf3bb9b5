import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '../../src/config/index.js';
import { RecentErrorLog } from '../../src/http/index.js';
import { type Runtime, startRuntime } from '../../src/main.js';
import { type Counter, MetricsRegistry, SystemClock } from '../../src/runtime/index.js';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { MemoryDeadLetterStore } from '../../src/storage/index.js';
import { TelegramEdge } from '../../src/telegram/index.js';
import { emulatorEnv, RELAXED_LIMITS, waitFor } from '../support/edge-harness.js';
import { botApiRefusal, FaultProxy, htmlBadGateway } from '../support/fault-proxy.js';

// Fake, but shaped like the real ones (a bot token is `<bot id>:<35 characters>`).
const TOKEN = '7364519283:AAHfakeTokenForScrubbingTests_1234x';
const GROQ_KEY = 'gsk_fakeGroqKeyForScrubbingTests0123456789abcdefXYZ';
const ADMIN_TOKEN = 'admin-token-for-scrubbing-tests-0001';
const SECRETS = { TOKEN, GROQ_KEY, ADMIN_TOKEN, 'bot id and token part': TOKEN.split(':')[1] as string };

/** Everything a secret could leak through: log lines (stdout and the alerts tap), HTTP answers and metrics. */
const lines: string[] = [];
const answers: string[] = [];
let botApi: BotApiEmulator;
let groq: GroqEmulator;
let telegramProxy: FaultProxy;
let groqProxy: FaultProxy;
let runtime: Runtime;
let baseUrl: string;

beforeAll(async () => {
  botApi = await BotApiEmulator.start({ token: TOKEN, limits: false, faultHoldMs: 300 });
  groq = await GroqEmulator.start({ apiKey: GROQ_KEY, latency: 5, faultHoldMs: 300 });
  telegramProxy = await FaultProxy.start(botApi.apiRoot);
  groqProxy = await FaultProxy.start(groq.baseURL);
  const config = loadConfig({
    ...emulatorEnv(botApi, groq),
    TELEGRAM_API_ROOT: telegramProxy.via(botApi.apiRoot),
    GROQ_BASE_URL: groqProxy.via(groq.baseURL),
    GROQ_TIMEOUT_MS: '1000',
    ADMIN_TOKEN,
    LOG_LEVEL: 'trace',
    HTTP_PORT: '0',
  });
  // As `lekha start` builds it, with the lines captured instead of written to stdout.
  const errors = new RecentErrorLog();
  const logger = createLogger(config, { tap: errors, destination: { write: (line: string) => void lines.push(line) } });
  runtime = await startRuntime(config, logger, {
    persistence: null,
    errors,
    random: () => 0.999,
    telegramLimits: RELAXED_LIMITS,
    polling: { timeoutS: 1, retryMinMs: 50 },
  });
  baseUrl = (runtime.http as { url: string }).url;
});

afterAll(async () => {
  await runtime?.stop();
  await Promise.all([telegramProxy?.close(), groqProxy?.close(), botApi?.close(), groq?.close()]);
});

function counter(name: string): number {
  return (runtime.metrics.get(name) as Counter | undefined)?.value ?? 0;
}

async function read(path: string): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const text = await response.text();
  answers.push(`${path}: ${text}`);
  return text;
}

/** Where the lines and answers of the current test start. */
function mark(): { lines: number; answers: number } {
  return { lines: lines.length, answers: answers.length };
}

/** Reads /api/alerts and /metrics, then checks no secret is in a line or answer since `from`. */
async function expectNoSecretAnywhere(from: { lines: number; answers: number }): Promise<void> {
  await read('/api/alerts');
  await read('/metrics');
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect(
      lines.slice(from.lines).filter((line) => line.includes(secret)),
      `log lines with ${name}`,
    ).toEqual([]);
    expect(
      answers.slice(from.answers).filter((answer) => answer.includes(secret)),
      `HTTP answers with ${name}`,
    ).toEqual([]);
  }
}

let user = 100;
/** A private message that asks for a reply (and so for Groq, a typing indicator and a sendMessage). */
function askInNewChat(): number {
  const chatId = ++user;
  botApi.injectMessage({ chatId, from: { id: chatId, firstName: 'Tester' }, text: `hello, bot ${chatId}` });
  return chatId;
}

describe('secrets stay out of logs, errors, alerts, readiness and metrics', () => {
  it('when getUpdates fails: connection reset, timeout, 401, 409, 5xx and a non-JSON 502', async () => {
    const from = mark();
    const pollErrors = new Set<string>();
    const failPoll = async (what: string, inject: () => unknown): Promise<void> => {
      const before = counter('lekha_telegram_poll_failures_total');
      await waitFor(`getUpdates to fail with ${what}`, async () => {
        if (counter('lekha_telegram_poll_failures_total') > before) return true;
        await inject();
        const error = runtime.telegram.status().lastPollError;
        if (error !== null) pollErrors.add(error);
        await read('/readyz');
        return false;
      });
    };
    let injected = false;
    const once = (inject: () => void) => () => {
      if (!injected) inject();
      injected = true;
    };
    const fresh = <T>(f: T): T => {
      injected = false;
      return f;
    };
    await failPoll(
      'a connection reset',
      fresh(once(() => botApi.injectFault({ kind: 'reset', target: 'getUpdates' }))),
    );
    await failPoll('a timeout', fresh(once(() => botApi.injectFault({ kind: 'timeout', target: 'getUpdates' }))));
    await failPoll('a 5xx', fresh(once(() => botApi.injectFault({ kind: '5xx', target: 'getUpdates' }))));
    await failPoll('a 401', fresh(once(() => telegramProxy.script('getUpdates', botApiRefusal(401, 'Unauthorized')))));
    await failPoll('an HTML 502', fresh(once(() => telegramProxy.script('getUpdates', htmlBadGateway))));
    // A second poller (another instance with the same token) ends the runtime's poll with a 409, as Telegram does.
    await failPoll('a 409', () => fetch(`${botApi.apiRoot}/bot${TOKEN}/getUpdates?timeout=0`).then((r) => r.text()));

    await expectNoSecretAnywhere(from);
    expect(lines.slice(from.lines).filter((line) => line.includes('getUpdates failed')).length).toBeGreaterThanOrEqual(
      6,
    );
    // What /readyz reports when polling stops: the edge's own words.
    expect(pollErrors.size).toBeGreaterThan(0);
    for (const error of pollErrors) expect(error).toMatch(/^Telegram getUpdates failed/);
  });

  it('when sends fail: connection reset, timeout, 5xx, a non-JSON 502, 401 and 409, and a lost typing indicator', async () => {
    const from = mark();
    botApi.injectFault({ kind: 'reset', target: 'sendChatAction', count: 3 });
    // One reply through every transient failure until the sender gives up, then two refused for good.
    telegramProxy.script(
      'sendMessage',
      { kind: 'reset' },
      { kind: 'hold', ms: 300 },
      botApiRefusal(500, 'Internal Server Error'),
      htmlBadGateway,
      { kind: 'reset' },
    );
    askInNewChat();
    await waitFor('the first reply to be given up', () => runtime.telegram.status().sender.failed === 1, 20_000);
    telegramProxy.script('sendMessage', botApiRefusal(401, 'Unauthorized'));
    askInNewChat();
    await waitFor('the second reply to be given up', () => runtime.telegram.status().sender.failed === 2);
    telegramProxy.script('sendMessage', botApiRefusal(409, 'Conflict: terminated by other getUpdates request'));
    askInNewChat();
    await waitFor('the third reply to be given up', () => runtime.telegram.status().sender.failed === 3);

    await expectNoSecretAnywhere(from);
    expect(lines.slice(from.lines).some((line) => line.includes('typing indicator failed'))).toBe(true);
    expect(lines.slice(from.lines).filter((line) => line.includes('reply given up'))).toHaveLength(3);
  });

  it('when Groq fails: connection reset, timeout, 5xx and 401', async () => {
    const from = mark();
    groq.injectFault({ kind: 'reset' });
    groq.injectFault({ kind: 'timeout' });
    groq.injectFault({ kind: '5xx' });
    groqProxy.script('completions', {
      kind: 'answer',
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' },
      }),
    });
    const chats = [askInNewChat(), askInNewChat()];
    await waitFor('both chats to be answered', () => chats.every((chatId) => botApi.sentTo(chatId).length > 0), 20_000);

    await expectNoSecretAnywhere(from);
    expect(lines.slice(from.lines).filter((line) => line.includes('model call failed')).length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('when Telegram cannot be reached at start: the error that stops the start does not carry the token', async () => {
    const proxy = await FaultProxy.start(botApi.apiRoot);
    try {
      proxy.script('getMe', { kind: 'reset' });
      const failure: unknown = await TelegramEdge.connect({
        token: TOKEN,
        apiRoot: proxy.via(botApi.apiRoot),
        mode: 'polling',
        deadLetters: new MemoryDeadLetterStore(),
        clock: new SystemClock(),
        metrics: new MetricsRegistry(),
      }).then(
        () => expect.fail('the start should have failed'),
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ code: 'TELEGRAM_API_UNREACHABLE' });
      expect(inspect(failure, { depth: 10 })).not.toContain(TOKEN.split(':')[1]);
    } finally {
      await proxy.close();
    }
  });
});
