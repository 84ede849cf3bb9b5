import { afterEach, describe, expect, it } from 'vitest';
import { COINGECKO_INVALID_KEY, coingeckoApi } from '../../../src/sandbox/upstreams/coingecko.js';
import { UpstreamEmulator } from '../../../src/sandbox/index.js';

const open: UpstreamEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((emulator) => emulator.close()));
});

async function start(seed = 7) {
  const emulator = await UpstreamEmulator.start({ apis: [coingeckoApi], seed });
  open.push(emulator);
  const base = emulator.env()['CRYPTO_BASE_URL']!;
  const get = async (path: string) => {
    const answer = await fetch(`${base}${path}`);
    return { status: answer.status, body: (await answer.json()) as unknown };
  };
  return { emulator, get };
}

describe('the CoinGecko emulator', () => {
  it('searches coins by ticker, name and id, biggest first, in CoinGecko’s shape', async () => {
    const { get } = await start();
    const { body } = await get('/search?query=ton');
    const coins = (body as { coins: Array<Record<string, unknown>> }).coins;
    expect(Object.keys(body as object)).toEqual(['coins', 'exchanges', 'icos', 'categories', 'nfts']);
    expect(coins[0]).toEqual({
      id: 'the-open-network',
      name: 'Toncoin',
      api_symbol: 'the-open-network',
      symbol: 'TON',
      market_cap_rank: 9,
      thumb: 'https://coin-images.coingecko.com/coins/images/17980/thumb/ton_symbol.png',
      large: 'https://coin-images.coingecko.com/coins/images/17980/large/ton_symbol.png',
    });
    expect(coins.map((coin) => coin['id'])).toContain('tokamak-network');
    const nothing = await get('/search?query=' + encodeURIComponent('биткоин'));
    expect(nothing.body).toEqual({ coins: [], exchanges: [], icos: [], categories: [], nfts: [] });
  });

  it('prices coins in the currencies asked, leaving out unknown ids, the same for the same seed', async () => {
    const { get } = await start();
    const { body } = await get(
      '/simple/price?ids=bitcoin,nosuchcoin&vs_currencies=usd,rub,sats,xyz&include_24hr_change=true&include_last_updated_at=true',
    );
    const btc = (body as Record<string, Record<string, number>>)['bitcoin']!;
    expect(Object.keys(body as object)).toEqual(['bitcoin']);
    expect(Object.keys(btc)).toEqual([
      'usd',
      'usd_24h_change',
      'rub',
      'rub_24h_change',
      'sats',
      'sats_24h_change',
      'last_updated_at',
    ]);
    expect(btc['usd']).toBeGreaterThan(50_000);
    expect(btc['rub']! / btc['usd']!).toBeCloseTo(89.5, 3);
    expect(btc['sats']).toBeCloseTo(1e8, 0);
    expect(Math.abs(btc['usd_24h_change']!)).toBeLessThan(20);
    expect((await get('/simple/price?ids=nosuchcoin&vs_currencies=usd')).body).toEqual({});
    expect(await get('/simple/price?ids=bitcoin')).toEqual({
      status: 422,
      body: { error: 'Missing parameter vs_currencies' },
    });
    // Prices move once a minute: the three answers are compared within one.
    const [same, other] = [await start(), await start(8)];
    const ether = '/simple/price?ids=ethereum&vs_currencies=usd&include_last_updated_at=true';
    let answers: unknown[];
    do answers = [(await get(ether)).body, (await same.get(ether)).body, (await other.get(ether)).body];
    while (
      new Set(answers.map((a) => (a as { ethereum: { last_updated_at: number } }).ethereum.last_updated_at)).size > 1
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).not.toEqual(answers[0]);
  });

  it('lists the currencies it quotes in, and answers a scripted 429 with CoinGecko’s error body', async () => {
    const { emulator, get } = await start();
    const { body } = await get('/simple/supported_vs_currencies');
    expect(body).toContain('rub');
    expect(body).toContain('sats');
    expect(body).not.toContain('kzt');
    emulator.fault({ kind: '429', upstream: 'coingecko', retryAfterS: 30 });
    const limited = await fetch(`${emulator.env()['CRYPTO_BASE_URL']}/ping`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await limited.json()).toEqual({
      status: {
        error_code: 429,
        error_message:
          "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
      },
    });
    expect((await get('/ping')).body).toEqual({ gecko_says: '(V3) To the Moon!' });
  });

  it('takes any Demo key but the one it refuses, with CoinGecko’s 401', async () => {
    const { emulator } = await start();
    const ping = (key: string) =>
      fetch(`${emulator.env()['CRYPTO_BASE_URL']}/ping`, { headers: { 'x-cg-demo-api-key': key } });
    expect((await ping('CG-x7KpQ2mN9vR4tY6wZ1aB3cD5')).status).toBe(200);
    const refused = await ping(COINGECKO_INVALID_KEY);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ status: { error_code: 10002, error_message: /^API Key Missing/ } });
  });
});
