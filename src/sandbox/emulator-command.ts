import { parseArgs } from 'node:util';
import { BotApiEmulator } from './bot-api-emulator.js';
import { GroqEmulator } from './groq-emulator.js';
import { UPSTREAM_APIS, UpstreamEmulator } from './upstreams/index.js';

const usage = `Usage: lekha emulator [--bot-port N] [--groq-port N] [--upstreams-port N] [--host H] [--latency-ms N] [--no-limits]

Runs the Bot API emulator, the Groq emulator and the integrations' API emulators until Ctrl-C.`;

/**
 * `lekha emulator`: the emulators on fixed ports for manual use. Prints the
 * environment a bot needs to talk to them and the control endpoints, and
 * runs until SIGINT or SIGTERM (or `stop` aborts).
 */
export async function runEmulatorCommand(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  stop?: AbortSignal,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'bot-port': { type: 'string', default: '8081' },
        'groq-port': { type: 'string', default: '8082' },
        'upstreams-port': { type: 'string', default: '8083' },
        host: { type: 'string', default: '127.0.0.1' },
        'latency-ms': { type: 'string', default: '300' },
        'no-limits': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    out.write(`${usage}\n`);
    return 0;
  }
  const numbers = {
    botPort: Number(values['bot-port']),
    groqPort: Number(values['groq-port']),
    upstreamsPort: Number(values['upstreams-port']),
    latencyMs: Number(values['latency-ms']),
  };
  for (const [name, value] of Object.entries(numbers)) {
    if (!Number.isInteger(value) || value < 0) {
      process.stderr.write(`lekha emulator: ${name} must be a non-negative integer\n${usage}\n`);
      return 2;
    }
  }
  const botApi = await BotApiEmulator.start({
    host: values.host,
    port: numbers.botPort,
    ...(values['no-limits'] ? { limits: false as const } : {}),
  });
  const groq = await GroqEmulator.start({ host: values.host, port: numbers.groqPort, latency: numbers.latencyMs });
  const upstreams = await UpstreamEmulator.start({
    apis: UPSTREAM_APIS,
    host: values.host,
    port: numbers.upstreamsPort,
    latency: { medianMs: 80, p99Ms: 400 },
  });
  out.write(
    [
      'Emulators running. Point a bot at them with:',
      `  TELEGRAM_BOT_TOKEN=${botApi.token}`,
      `  TELEGRAM_API_ROOT=${botApi.apiRoot}`,
      `  GROQ_BASE_URL=${groq.baseURL}`,
      `  GROQ_API_KEY=${groq.apiKey}`,
      ...Object.entries(upstreams.sandboxEnv({})).map(([name, value]) => `  ${name}=${value}`),
      '',
      'Say something as a user:',
      `  curl -s -X POST ${botApi.apiRoot}/_emulator/messages -H 'content-type: application/json' -d '{"chat_id": -100500, "text": "Лёха, привет!"}'`,
      `What the bot sent:        curl -s ${botApi.apiRoot}/_emulator/sent`,
      `Inject a Telegram fault:  curl -s -X POST ${botApi.apiRoot}/_emulator/faults -H 'content-type: application/json' -d '{"kind": "429", "retry_after": 3}'`,
      `Inject a Groq fault:      curl -s -X POST ${groq.baseURL}/_emulator/faults -H 'content-type: application/json' -d '{"kind": "5xx", "count": 3}'`,
      `Inject an API fault:      curl -s -X POST ${upstreams.url}/_emulator/faults -H 'content-type: application/json' -d '{"kind": "5xx", "upstream": "open-meteo", "count": 3}'`,
      'Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const done = (): void => {
      clearInterval(keepAlive);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    if (stop?.aborted === true) done();
    else stop?.addEventListener('abort', done, { once: true });
  });
  await Promise.all([botApi.close(), groq.close(), upstreams.close()]);
  return 0;
}
