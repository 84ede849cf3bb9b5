import { afterEach, describe, expect, it } from 'vitest';
import type { PluginChoices } from '../../../src/chat/index.js';
import { BUILTIN_PLUGINS, type PluginHost } from '../../../src/plugins/index.js';
import { cryptoPlugin } from '../../../src/plugins/integrations/crypto/index.js';
import { MAX_ANSWER_CHARS } from '../../../src/plugins/integrations/integration-kit.js';
import { type UpstreamApi, UpstreamEmulator } from '../../../src/sandbox/index.js';
import { COINGECKO_INVALID_KEY, coingeckoApi } from '../../../src/sandbox/upstreams/coingecko.js';
import { CapturingLogger } from '../../support/capturing-logger.js';
import { chatActorHarness } from '../../support/chat-actor-harness.js';
import { waitFor } from '../../support/edge-harness.js';
import { callOf, chatAccess, hostOf, live } from '../../support/plugin-kit.js';

const G = -900;
const API_KEY = 'CG-x7KpQ2mN9vR4tY6wZ1aB3cD5';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

/**
 * The crypto plugin on the built-in host, pointed at the CoinGecko emulator
 * (`api` to watch what it receives), with a chat actor in front.
 */
async function setUp(
  options: { env?: Record<string, string>; faultHoldMs?: number; api?: UpstreamApi; admins?: number[] } = {},
) {
  const emulator = await UpstreamEmulator.start({
    apis: [options.api ?? coingeckoApi],
    ...(options.faultHoldMs === undefined ? {} : { faultHoldMs: options.faultHoldMs }),
  });
  const logger = new CapturingLogger();
  const { host } = await hostOf([...BUILTIN_PLUGINS, cryptoPlugin], {
    env: { ...emulator.env(), ...options.env },
    logger,
  });
  open.push(emulator, host);
  const h = chatActorHarness({ plugins: host, ...(options.admins === undefined ? {} : { admins: options.admins }) });
  const texts = () => h.egress.sent.map((s) => s.text);
  /** Sends a command from a new member each time (the chat slows down one who sends many) and waits for the answer. */
  const ask = (text: string): Promise<string> => h.ask(G, text);
  const requests = () => emulator.stats().requests['coingecko'] ?? 0;
  return { emulator, host, h, ask, texts, logger, requests };
}

/** A command run on the host directly, in `language`, with the chat's `choices`. */
async function run(
  host: PluginHost,
  command: string,
  args: string,
  language: 'ru' | 'en',
  choices: PluginChoices = {},
) {
  const effects = await host.runCommand(G, callOf('crypto', command, args, language), choices, chatAccess(G), live);
  return effects.texts.join('\n');
}

/** A number as the Russian answers write it (`3 023 430,05`). */
const ruNumber = (text: string) => Number(text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));

describe('the crypto plugin', () => {
  it('prices a coin by ticker or Russian name, in the chat’s currency or the one asked for', async () => {
    const { ask } = await setUp();
    expect(await ask('/price btc')).toMatch(
      /^🪙 Bitcoin \(BTC\): \d{2}[\s\u00a0]\d{3},\d{2}[\s\u00a0]\$, [▲▼•] [+−-]?[\d,]+% за сутки$/,
    );
    expect(await ask('/price эфир rub')).toMatch(
      /^🪙 Ethereum \(ETH\): [\d\s\u00a0]+,\d{2}[\s\u00a0]₽, [▲▼•] .+% за сутки$/,
    );
    expect(await ask('/price курс тона в рублях')).toMatch(/^🪙 Toncoin \(TON\): \d{3},\d{2}[\s\u00a0]₽/);
  });

  it('converts a coin to a currency and a currency to a coin, with the rate', async () => {
    const { ask } = await setUp();
    const [amount, rate] = (await ask('/convert 0,5 btc rub')).split('\n');
    expect(amount).toMatch(/^💱 0,5 BTC = [\d\s\u00a0]+,\d{2}[\s\u00a0]₽$/);
    expect(rate).toMatch(/^1 BTC = [\d\s\u00a0]+,\d{2}[\s\u00a0]₽$/);
    const value = (line: string) => ruNumber(line.split('= ')[1]!.replace('₽', ''));
    expect(value(amount!)).toBeCloseTo(value(rate!) / 2, 1);
    const back = (await ask('/convert 1000 рублей в эфир')).split('\n');
    expect(back[0]).toMatch(/^💱 1[\s\u00a0]000,00[\s\u00a0]₽ = 0,\d+ ETH$/);
    expect(back[1]).toMatch(/^1 RUB = 0,0000\d+ ETH$/);
    expect(await ask('/convert 2 eth btc')).toMatch(/^💱 2 ETH = 0,\d+ BTC\n1 ETH = 0,\d+ BTC$/);
  });

  it('answers in English with enough digits for a coin worth a fraction of a cent', async () => {
    const { host } = await setUp();
    expect(await run(host, 'price', 'pepe', 'en')).toMatch(
      /^🪙 Pepe \(PEPE\): \$0\.0000\d{1,4}, [▲▼•] [+−-]?[\d.]+% in 24h$/,
    );
    expect(await run(host, 'convert', '1,000 usd btc', 'en')).toMatch(
      /^💱 \$1,000\.00 = 0\.0\d+ BTC\n1 USD = 0\.0000\d+ BTC$/,
    );
  });

  it('asks CoinGecko once for the same price twice within a minute', async () => {
    const { ask, requests } = await setUp();
    const first = await ask('/price btc');
    // The search for the ticker, the currencies CoinGecko quotes in, the price.
    expect(requests()).toBe(3);
    expect(await ask('/price btc')).toBe(first);
    expect(requests()).toBe(3);
    // Search and currencies are kept a day: a new coin costs its search and its price.
    await ask('/price sol');
    expect(requests()).toBe(5);
  });

  it('prefers the biggest coin among exact matches of a ticker or name', async () => {
    const { host } = await setUp();
    expect(await run(host, 'price', 'ton', 'en')).toMatch(/^🪙 Toncoin \(TON\)/);
    // A meme coin's ticker is BITCOIN: the name of the biggest coin wins.
    expect(await run(host, 'price', 'bitcoin', 'en')).toMatch(/^🪙 Bitcoin \(BTC\)/);
    expect(await run(host, 'price', 'bitcoin cash', 'en')).toMatch(/^🪙 Bitcoin Cash \(BCH\)/);
  });

  it('suggests what the search found for an unknown coin, and the names it knows when nothing', async () => {
    const { ask, host } = await setUp();
    expect(await ask('/price ethere')).toBe(
      'Монету «ethere» не знаю. Может, ты про Ethereum (ETH), Ethereum Classic (ETC)?',
    );
    expect(await ask('/price шмыркоин')).toMatch(
      /^Монеты «шмыркоин» CoinGecko не знает\. Пиши тикер \(btc, eth, ton\) или название: биткоин, эфир, тон, .+…$/,
    );
    expect(await run(host, 'convert', '1 dogeco usd', 'en')).toBe(
      "I don't know a coin called “dogeco”. Did you mean Dogecoin (DOGE)?",
    );
    expect(await run(host, 'price', '', 'en')).toBe(
      'Write it like this: /price btc, /price ethereum eur, /price ton rub',
    );
    expect(await ask('/convert сколько-то btc')).toMatch(/^Пиши так: \/convert/);
  });

  it('names currencies CoinGecko does quote in when asked for one it does not', async () => {
    const { ask, host } = await setUp();
    expect(await ask('/price btc тенге')).toBe(
      'В KZT CoinGecko цены не даёт. Могу в USD, EUR, RUB, UAH, GBP, CNY, JPY, TRY, INR, BTC, ETH, SATS и ещё в куче других.',
    );
    expect(await run(host, 'convert', '100 usd kzt', 'en')).toMatch(
      /^CoinGecko doesn't quote prices in KZT\. It does in USD, EUR/,
    );
  });

  it('quotes in the currency a chat chose, and an explicit one over it', async () => {
    const { host } = await setUp();
    const rub: PluginChoices = { crypto: { settings: { currency: 'rub' } } };
    expect(await run(host, 'price', 'btc', 'ru', rub)).toMatch(/^🪙 Bitcoin \(BTC\): [\d\s\u00a0]+,\d{2}[\s\u00a0]₽/);
    expect(await run(host, 'price', 'btc', 'ru')).toMatch(/\$, /);
    expect(await run(host, 'price', 'btc eur', 'ru', rub)).toMatch(/€, /);
  });

  it('lets a chat admin choose the chat’s currency from Telegram, and nothing of the operator’s', async () => {
    const admin = { id: 6, firstName: 'Петя' };
    const { h, ask, texts } = await setUp({ admins: [admin.id] });
    const asAdmin = async (text: string) => {
      const before = texts().length;
      h.say(G, text, { from: admin });
      await waitFor(`the answer to ${text}`, async () => (await h.clock.advance(0), texts().length > before));
      return texts()[before]!;
    };
    expect(await asAdmin('/plugin set crypto currency rub')).toBe('crypto: currency = rub в этом чате.');
    expect(await ask('/price btc')).toMatch(/^🪙 Bitcoin \(BTC\): [\d\s\u00a0]+,\d{2}[\s\u00a0]₽/);
    expect(await asAdmin('/plugin set crypto apiKey stolen')).toMatch(
      /^«apiKey» у crypto в чате не меняется\. Можно: currency\.$/,
    );
    expect(await asAdmin('/plugin set crypto currency рубли')).toMatch(/^crypto: «currency» так не получится/);
  });

  it('serves the model as tools', async () => {
    const { host } = await setUp();
    const caller = { chatId: G, userId: 5, language: 'ru', messageId: 1 };
    const tool = (name: string, args: object) =>
      host.runTool(caller, { id: 'c1', name, arguments: JSON.stringify(args) }, {}, chatAccess(G), live);
    expect(host.toolsIn({}).map((t) => t.name)).toEqual(expect.arrayContaining(['price', 'convert']));
    expect(await tool('price', { coin: 'эфир', currency: 'eur' })).toMatch(
      /^🪙 Ethereum \(ETH\): [\d\s\u00a0]+,\d{2}[\s\u00a0]€/,
    );
    expect(await tool('price', { coin: 'shiba inu' })).toMatch(/^🪙 Shiba Inu \(SHIB\): 0,0000\d{1,4}[\s\u00a0]\$/);
    expect(await tool('convert', { amount: 0.00000012, from: 'btc', to: 'sats' })).toMatch(
      /^💱 0,00000012 BTC = 12(,00)? SATS/,
    );
    expect(await tool('convert', { amount: 250, from: 'доллар', to: 'рубль' })).toMatch(
      /^💱 250,00[\s\u00a0]\$ = [\d\s\u00a0]+,\d{2}[\s\u00a0]₽\n1 USD = \d{2},\d{2}[\s\u00a0]₽$/,
    );
  });

  it.each([
    ['429', 'CoinGecko говорит, что запросов слишком много. Дай ему минутку.'],
    ['5xx', 'CoinGecko сейчас не отвечает. Попробуй чуть позже.'],
    ['malformed', 'CoinGecko сейчас не отвечает. Попробуй чуть позже.'],
    ['timeout', 'CoinGecko сейчас не отвечает. Попробуй чуть позже.'],
  ] as const)('answers in persona when CoinGecko fails with %s', async (kind, line) => {
    const { emulator, ask, requests } = await setUp({
      faultHoldMs: 5000,
      env: { PLUGIN_CRYPTO_TIMEOUT_MS: '300' },
    });
    // Every attempt fails: the first one and the client's two retries.
    emulator.fault({ kind, upstream: 'coingecko', count: 3, retryAfterS: 0 });
    expect(await ask('/price btc')).toBe(line);
    expect(emulator.stats().faults[kind]).toBe(kind === '429' || kind === '5xx' ? 3 : 1);
    emulator.clearFaults();
    const before = requests();
    expect(await ask('/price eth')).toMatch(/^🪙 Ethereum \(ETH\)/);
    expect(requests()).toBeGreaterThan(before);
  });

  it('sends the API key as CoinGecko’s header, and never logs it or says it', async () => {
    const keys: unknown[] = [];
    const watched: UpstreamApi = {
      ...coingeckoApi,
      routes(app, ctx) {
        app.addHook('onRequest', async (request) => {
          keys.push(request.headers['x-cg-demo-api-key']);
        });
        coingeckoApi.routes(app, ctx);
      },
    };
    const { emulator, ask, texts, logger } = await setUp({ api: watched, env: { COINGECKO_API_KEY: API_KEY } });
    expect(await ask('/price btc')).toMatch(/^🪙 Bitcoin/);
    emulator.fault({ kind: '5xx', upstream: 'coingecko', count: 3 });
    expect(await ask('/price эфир')).toBe('CoinGecko сейчас не отвечает. Попробуй чуть позже.');
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys)).toEqual(new Set([API_KEY]));
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(logger.lines)).not.toContain(API_KEY);
    expect(texts().join('\n')).not.toContain(API_KEY);
  });

  it('says CoinGecko refuses the key, and logs what the operator must fix', async () => {
    const { ask, logger, requests } = await setUp({ env: { COINGECKO_API_KEY: COINGECKO_INVALID_KEY } });
    expect(await ask('/price btc')).toBe(
      'CoinGecko не принимает наш ключ, так что курсы пока не смотрю. Админам бота надо поправить настройки.',
    );
    // A refused key is not retried.
    expect(requests()).toBe(1);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: expect.stringMatching(/^CoinGecko refuses the configured API key/),
      }),
    );
  });

  it('keeps every answer within a Telegram message', async () => {
    const { host } = await setUp();
    const answers = await Promise.all([
      run(host, 'price', 'a'.repeat(300), 'ru'),
      run(host, 'convert', `1 ${'b'.repeat(300)} usd`, 'en'),
      run(host, 'price', 'bitcoin', 'ru'),
    ]);
    for (const answer of answers) expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
  });
});
