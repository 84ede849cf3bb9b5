/**
 * The emulated CoinGecko's world: real coins with their API ids, tickers,
 * names, market-cap ranks, image paths and circulating supplies, a base
 * price in US dollars for each (the emulator lets it drift), the fiat rates
 * it quotes in, and the answers' fixed parts. Shapes follow CoinGecko's API
 * v3 reference (docs.coingecko.com/v3.0.1/reference: "Search Queries",
 * "Coin Price by IDs", "Supported Currencies List"); the values are
 * mid-2024 ones, rounded.
 */

/** A coin of the emulated world. */
export interface CoinFixture {
  id: string;
  /** As `/search` writes it (upper case); `/coins/list` writes it lower case. */
  symbol: string;
  name: string;
  /** Null for a coin too small to be ranked, as CoinGecko answers. */
  rank: number | null;
  /** `coins/images/<n>/thumb/<file>` on CoinGecko's image host. */
  image: [number, string];
  usd: number;
  supply: number;
  /** Pegged to the dollar: it barely moves. */
  stable: boolean;
}

const coin = (
  id: string,
  symbol: string,
  name: string,
  rank: number | null,
  image: [number, string],
  usd: number,
  supply: number,
  stable = false,
): CoinFixture => ({ id, symbol, name, rank, image, usd, supply, stable });

/** The coins, by market-cap rank: the top thirty, a few smaller ones, and some sharing a ticker or a name with a big one. */
export const COINS: readonly CoinFixture[] = [
  coin('bitcoin', 'BTC', 'Bitcoin', 1, [1, 'bitcoin.png'], 67187.34, 19_700_000),
  coin('ethereum', 'ETH', 'Ethereum', 2, [279, 'ethereum.png'], 3452.1, 120_200_000),
  coin('tether', 'USDT', 'Tether', 3, [325, 'Tether.png'], 1.0, 112_000_000_000, true),
  coin('binancecoin', 'BNB', 'BNB', 4, [825, 'bnb-icon2_2x.png'], 583.2, 147_600_000),
  coin('solana', 'SOL', 'Solana', 5, [4128, 'solana.png'], 151.7, 462_000_000),
  coin('usd-coin', 'USDC', 'USDC', 6, [6319, 'usdc.png'], 1.0, 32_500_000_000, true),
  coin('ripple', 'XRP', 'XRP', 7, [44, 'xrp-symbol-white-128.png'], 0.523, 55_600_000_000),
  coin('dogecoin', 'DOGE', 'Dogecoin', 8, [5, 'dogecoin.png'], 0.1542, 144_900_000_000),
  coin('the-open-network', 'TON', 'Toncoin', 9, [17980, 'ton_symbol.png'], 5.48, 2_460_000_000),
  coin('cardano', 'ADA', 'Cardano', 10, [975, 'cardano.png'], 0.452, 35_600_000_000),
  coin('tron', 'TRX', 'TRON', 11, [1094, 'tron-logo.png'], 0.121, 87_300_000_000),
  coin('avalanche-2', 'AVAX', 'Avalanche', 12, [12559, 'Avalanche_Circle_RedWhite_Trans.png'], 29.8, 394_000_000),
  coin('shiba-inu', 'SHIB', 'Shiba Inu', 13, [11939, 'shiba.png'], 0.00001834, 589_300_000_000_000),
  coin('chainlink', 'LINK', 'Chainlink', 14, [877, 'chainlink-new-logo.png'], 14.2, 587_100_000),
  coin('polkadot', 'DOT', 'Polkadot', 15, [12171, 'polkadot.png'], 6.51, 1_430_000_000),
  coin('bitcoin-cash', 'BCH', 'Bitcoin Cash', 16, [780, 'bitcoin-cash-circle.png'], 381.5, 19_720_000),
  coin('near', 'NEAR', 'NEAR Protocol', 17, [10365, 'near.jpg'], 5.12, 1_090_000_000),
  coin('litecoin', 'LTC', 'Litecoin', 18, [2, 'litecoin.png'], 74.9, 74_800_000),
  coin('dai', 'DAI', 'Dai', 19, [9956, 'Badge_Dai.png'], 1.0, 5_300_000_000, true),
  coin('uniswap', 'UNI', 'Uniswap', 20, [12504, 'uni.jpg'], 8.03, 600_400_000),
  coin('pepe', 'PEPE', 'Pepe', 21, [29850, 'pepe-token.jpeg'], 0.00001072, 420_690_000_000_000),
  coin('internet-computer', 'ICP', 'Internet Computer', 22, [14495, 'Internet_Computer_logo.png'], 9.12, 465_000_000),
  coin('aptos', 'APT', 'Aptos', 23, [26455, 'aptos_round.png'], 7.05, 451_000_000),
  coin('ethereum-classic', 'ETC', 'Ethereum Classic', 24, [453, 'ethereum-classic-logo.png'], 23.9, 147_000_000),
  coin('monero', 'XMR', 'Monero', 25, [69, 'monero_logo.png'], 162.4, 18_430_000),
  coin('stellar', 'XLM', 'Stellar', 26, [100, 'Stellar_symbol_black_RGB.png'], 0.0998, 29_100_000_000),
  coin('sui', 'SUI', 'Sui', 27, [26375, 'sui_asset.jpeg'], 1.18, 2_450_000_000),
  coin('cosmos', 'ATOM', 'Cosmos Hub', 28, [1481, 'cosmos_hub.png'], 6.48, 390_900_000),
  coin('filecoin', 'FIL', 'Filecoin', 29, [12817, 'filecoin.png'], 4.51, 567_000_000),
  coin('arbitrum', 'ARB', 'Arbitrum', 30, [16547, 'photo_2023-03-29_21.47.00.jpeg'], 0.748, 3_050_000_000),
  coin('wrapped-bitcoin', 'WBTC', 'Wrapped Bitcoin', 31, [7598, 'wrapped_bitcoin_wbtc.png'], 67105.2, 154_000),
  coin('notcoin', 'NOT', 'Notcoin', 58, [33453, 'not.png'], 0.00751, 102_500_000_000),
  coin('eos', 'EOS', 'EOS', 71, [738, 'eos-eos-logo.png'], 0.61, 1_150_000_000),
  coin('yearn-finance', 'YFI', 'yearn.finance', 182, [11849, 'yfi-192x192.png'], 6120, 33_400),
  coin('sats-ordinals', 'SATS', 'SATS (Ordinals)', 241, [30666, 'sats_logo.png'], 0.000000318, 2_100_000_000_000_000),
  coin(
    'harrypotterobamasonic10in',
    'BITCOIN',
    'HarryPotterObamaSonic10Inu (ETH)',
    512,
    [30323, 'hpos10i_logo_casino_night-dexview.png'],
    0.102,
    1_000_000_000,
  ),
  coin('tokamak-network', 'TON', 'Tokamak Network', 812, [12260, 'Tokamak_Network.png'], 1.32, 39_000_000),
  coin('bitcoin-2', 'BTC2', 'Bitcoin 2', null, [5925, 'bitcoin2.png'], 0.35, 18_000_000),
];

/**
 * What `/simple/supported_vs_currencies` answers, in its order: crypto
 * units, then fiat, then SDR, silver, gold, bits and satoshis.
 */
export const SUPPORTED_VS_CURRENCIES: readonly string[] = (
  'btc eth ltc bch bnb eos xrp xlm link dot yfi sol ' +
  'usd aed ars aud bdt bhd bmd brl cad chf clp cny czk dkk eur gbp gel hkd huf idr ils inr jpy krw kwd lkr mmk mxn ' +
  'myr ngn nok nzd php pkr pln rub sar sek sgd thb try twd uah vef vnd zar xdr xag xau bits sats'
).split(' ');

/** Units of each fiat currency (and SDR, silver and gold, in troy ounces) a US dollar buys. */
// prettier-ignore
export const PER_USD: Readonly<Record<string, number>> = {
  usd: 1, aed: 3.6725, ars: 905, aud: 1.5, bdt: 117.5, bhd: 0.377, bmd: 1, brl: 5.43, cad: 1.37, chf: 0.9, clp: 940,
  cny: 7.25, czk: 23.1, dkk: 6.92, eur: 0.927, gbp: 0.787, gel: 2.8, hkd: 7.81, huf: 365, idr: 16_300, ils: 3.72,
  inr: 83.5, jpy: 157, krw: 1380, kwd: 0.307, lkr: 302, mmk: 2098, mxn: 18.2, myr: 4.7, ngn: 1480, nok: 10.6,
  nzd: 1.64, php: 58.7, pkr: 278, pln: 4.02, rub: 89.5, sar: 3.75, sek: 10.5, sgd: 1.35, thb: 36.7, try: 32.8,
  twd: 32.4, uah: 40.6, vef: 0.1, vnd: 25_450, zar: 18.4, xdr: 0.755, xag: 0.0337, xau: 0.000425,
};

/** The crypto units prices are quoted in: the coin each is (bits and sats are millionths and hundred-millionths of a bitcoin). */
export const CRYPTO_UNITS: Readonly<Record<string, { id: string; per: number }>> = {
  btc: { id: 'bitcoin', per: 1 },
  eth: { id: 'ethereum', per: 1 },
  ltc: { id: 'litecoin', per: 1 },
  bch: { id: 'bitcoin-cash', per: 1 },
  bnb: { id: 'binancecoin', per: 1 },
  eos: { id: 'eos', per: 1 },
  xrp: { id: 'ripple', per: 1 },
  xlm: { id: 'stellar', per: 1 },
  link: { id: 'chainlink', per: 1 },
  dot: { id: 'polkadot', per: 1 },
  yfi: { id: 'yearn-finance', per: 1 },
  sol: { id: 'solana', per: 1 },
  bits: { id: 'bitcoin', per: 1e6 },
  sats: { id: 'bitcoin', per: 1e8 },
};

/** Exchanges `/search` may list (its `exchanges` array), as CoinGecko names them. */
export const EXCHANGES: ReadonlyArray<{
  id: string;
  name: string;
  market_type: 'spot' | 'futures';
  image: [number, string];
}> = [
  { id: 'binance', name: 'Binance', market_type: 'spot', image: [52, 'binance.jpg'] },
  { id: 'gdax', name: 'Coinbase Exchange', market_type: 'spot', image: [23, 'Coinbase_Coin_Primary.png'] },
  { id: 'bybit_spot', name: 'Bybit', market_type: 'spot', image: [698, 'bybit_spot.png'] },
  { id: 'okex', name: 'OKX', market_type: 'spot', image: [96, 'WeChat_Image_20220117220452.png'] },
  { id: 'uniswap_v3', name: 'Uniswap V3 (Ethereum)', market_type: 'spot', image: [665, 'uniswap-v3.png'] },
  { id: 'kraken', name: 'Kraken', market_type: 'spot', image: [29, 'kraken.jpg'] },
];

/** Categories `/search` may list (its `categories` array). */
export const CATEGORIES: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'layer-1', name: 'Layer 1 (L1)' },
  { id: 'smart-contract-platform', name: 'Smart Contract Platform' },
  { id: 'stablecoins', name: 'Stablecoins' },
  { id: 'meme-token', name: 'Meme' },
  { id: 'ethereum-ecosystem', name: 'Ethereum Ecosystem' },
  { id: 'solana-ecosystem', name: 'Solana Ecosystem' },
  { id: 'bitcoin-ecosystem', name: 'Bitcoin Ecosystem' },
  { id: 'ton-ecosystem', name: 'TON Ecosystem' },
  { id: 'decentralized-finance-defi', name: 'Decentralized Finance (DeFi)' },
];

/** What CoinGecko answers a caller over its rate limit (status 429), word for word. */
export const RATE_LIMITED_BODY = {
  status: {
    error_code: 429,
    error_message:
      "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
  },
};

/** What CoinGecko answers a key it does not accept (status 401), at `timestamp`. */
export function refusedKeyBody(timestamp: string) {
  return {
    status: {
      timestamp,
      error_code: 10002,
      error_message:
        "API Key Missing. Please make sure you're using the right authentication method. For Pro API, please visit: https://docs.coingecko.com/reference/authentication. For Public/Demo API, please visit: https://docs.coingecko.com/v3.0.1/reference/authentication",
    },
  };
}

/** Where CoinGecko serves coin and exchange images. */
export const IMAGE_HOST = 'https://coin-images.coingecko.com';
