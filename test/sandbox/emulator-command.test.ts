import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runEmulatorCommand } from '../../src/sandbox/index.js';
import { waitFor } from '../support/edge-harness.js';

describe('lekha emulator', () => {
  it('runs every emulator, prints the environment a bot needs for each, and stops when told', async () => {
    const out = new PassThrough();
    const stop = new AbortController();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exit = runEmulatorCommand(
      ['--bot-port', '0', '--groq-port', '0', '--upstreams-port', '0', '--latency-ms', '0'],
      out,
      stop.signal,
    );
    try {
      await waitFor('the printed environment', () => printed.includes('Ctrl-C stops.'), 20_000);
      const env = Object.fromEntries(
        [...printed.matchAll(/^ {2}([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const),
      );
      for (const name of [
        'TELEGRAM_API_ROOT',
        'GROQ_BASE_URL',
        'WEATHER_BASE_URL',
        'GEOCODING_BASE_URL',
        'TMDB_API_KEY',
      ])
        expect(env[name], name).toBeDefined();
      const search = await fetch(`${env['GEOCODING_BASE_URL']}/search?name=Berlin&count=1&language=en&format=json`);
      expect(((await search.json()) as { results: Array<{ name: string }> }).results[0]?.name).toBe('Berlin');
    } finally {
      stop.abort();
    }
    expect(await exit).toBe(0);
  });

  it('refuses a port that is not a number', async () => {
    const out = new PassThrough();
    expect(await runEmulatorCommand(['--upstreams-port', 'x'], out)).toBe(2);
  });
});
