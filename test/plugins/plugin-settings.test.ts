import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '../../src/plugins/index.js';
import { settingsJsonSchema } from '../../src/plugins/plugin-settings.js';
import type { PluginConfigEntry } from '../../src/ports/index.js';
import { PluginInvalidError, PluginSettingsInvalidError } from '../../src/runtime/index.js';
import { callOf, chatAccess, hostOf, live } from '../support/plugin-kit.js';

const settings = z.object({
  baseUrl: z.string().url().default('https://api.example.com'),
  units: z.enum(['metric', 'imperial']).default('metric'),
  days: z.number().int().min(1).max(14).default(3),
  alerts: z.boolean().default(false),
  cities: z.array(z.string()).default([]),
  apiKey: z.string().optional(),
});

/** A weather plugin whose /weather answers the settings it runs with, as JSON. */
const weather = definePlugin({
  name: 'weather',
  version: '1.0.0',
  kind: 'command',
  description: 'Weather',
  settings,
  env: { apiKey: 'OPENWEATHER_KEY' },
  setup(p) {
    p.command('weather', (ctx) => JSON.stringify(ctx.settings), { description: 'weather' });
  },
});

async function hosted(options: { env?: Record<string, string>; config?: Record<string, PluginConfigEntry> }) {
  return hostOf([weather], options);
}

async function settingsIn(host: Awaited<ReturnType<typeof hosted>>['host'], choices?: Record<string, unknown>) {
  const effects = await host.runCommand(
    -100,
    callOf('weather', 'weather'),
    choices === undefined ? undefined : { weather: { settings: choices } },
    chatAccess(),
    live,
  );
  return JSON.parse(effects.texts[0]!) as Record<string, unknown>;
}

describe('plugin settings', () => {
  it('starts from the schema’s defaults', async () => {
    const { host } = await hosted({});
    expect(await settingsIn(host)).toEqual({
      baseUrl: 'https://api.example.com',
      units: 'metric',
      days: 3,
      alerts: false,
      cities: [],
    });
  });

  it('refuses at registration a schema with a field that has no default', async () => {
    const strict = definePlugin({
      name: 'strict',
      version: '1.0.0',
      kind: 'command',
      description: 'x',
      settings: z.object({ token: z.string() }),
      setup: () => undefined,
    });
    const err = await hostOf([strict]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginInvalidError);
    expect((err as Error).message).toMatch(
      /^plugin strict: every setting needs a default \(or must be optional\): token: /,
    );
  });

  it('reads PLUGIN_<NAME>_<KEY> and the plugin’s own variables: text, numbers, booleans and JSON', async () => {
    const { host } = await hosted({
      env: {
        PLUGIN_WEATHER_BASE_URL: 'https://weather.test/v2',
        PLUGIN_WEATHER_UNITS: 'imperial',
        PLUGIN_WEATHER_DAYS: '7',
        PLUGIN_WEATHER_ALERTS: 'true',
        PLUGIN_WEATHER_CITIES: '["Питер","Москва"]',
        OPENWEATHER_KEY: 'k-123',
      },
    });
    expect(await settingsIn(host)).toEqual({
      baseUrl: 'https://weather.test/v2',
      units: 'imperial',
      days: 7,
      alerts: true,
      cities: ['Питер', 'Москва'],
      apiKey: 'k-123',
    });
  });

  it('lets the plugin’s own variable win over PLUGIN_<NAME>_<KEY>, and ignores empty ones', async () => {
    const { host } = await hosted({
      env: { PLUGIN_WEATHER_API_KEY: 'generic', OPENWEATHER_KEY: 'own', PLUGIN_WEATHER_DAYS: '' },
    });
    expect(await settingsIn(host)).toMatchObject({ apiKey: 'own', days: 3 });
  });

  it.each([
    ['PLUGIN_WEATHER_DAYS', 'many'],
    ['PLUGIN_WEATHER_DAYS', '99'],
    ['PLUGIN_WEATHER_UNITS', 'kelvin'],
    ['PLUGIN_WEATHER_ALERTS', 'yes'],
  ])('refuses %s=%s, naming the variable', async (name, value) => {
    const err = await hosted({ env: { [name]: value } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginSettingsInvalidError);
    expect((err as Error).message).toContain(`invalid settings for plugin weather (${name}): `);
  });

  it('takes the config file’s settings, under the environment’s', async () => {
    const { host } = await hosted({
      config: { weather: { settings: { units: 'imperial', days: 5 } } },
      env: { PLUGIN_WEATHER_DAYS: '10' },
    });
    expect(await settingsIn(host)).toMatchObject({ units: 'imperial', days: 10 });
  });

  it('refuses a config file entry the schema does not take, unknown fields included', async () => {
    await expect(hosted({ config: { weather: { settings: { days: 0 } } } })).rejects.toThrow(
      /invalid settings for plugin weather \(config file and environment\): days: /,
    );
    await expect(hosted({ config: { weather: { settings: { colour: 'red' } } } })).rejects.toThrow(
      PluginSettingsInvalidError,
    );
  });

  it('switches a plugin off for the whole bot from the config file', async () => {
    const { host } = await hosted({ config: { weather: { enabled: false } } });
    expect(host.isOn('weather', undefined)).toBe(false);
  });

  it('takes operators’ overrides over the environment, validated; a bad one changes nothing', async () => {
    const { host } = await hosted({ env: { PLUGIN_WEATHER_DAYS: '7' } });
    await host.setSettings('weather', { days: 2, units: 'imperial' });
    expect(await settingsIn(host)).toMatchObject({ days: 2, units: 'imperial' });
    const err = await host.setSettings('weather', { days: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginSettingsInvalidError);
    expect((err as Error).message).toMatch(/\(the admin API\): days: /);
    expect(host.get('weather').settings.operatorOverrides).toEqual({ days: 2, units: 'imperial' });
    expect(await settingsIn(host)).toMatchObject({ days: 2, units: 'imperial' });
    // Replacing the overrides drops what is not in the new ones.
    await host.setSettings('weather', {});
    expect(await settingsIn(host)).toMatchObject({ days: 7, units: 'metric' });
  });

  it('applies a chat’s overrides in that chat only, and ignores ones the schema refuses', async () => {
    const { host } = await hosted({});
    expect(await settingsIn(host, { units: 'imperial', days: 9 })).toMatchObject({ units: 'imperial', days: 9 });
    expect(await settingsIn(host)).toMatchObject({ units: 'metric', days: 3 });
    expect(await settingsIn(host, { days: 'lots' })).toMatchObject({ days: 3 });
    expect(() => host.get('weather').settings.checkChat({ days: 'lots' }, -100)).toThrow(
      /invalid settings for plugin weather \(chat -100\): days: /,
    );
  });

  it('describes its settings as a JSON Schema object for the dashboard’s form', () => {
    const schema = settingsJsonSchema(weather);
    expect(schema).toMatchObject({
      type: 'object',
      properties: {
        baseUrl: { type: 'string', format: 'uri', default: 'https://api.example.com' },
        units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' },
        days: { type: 'integer', minimum: 1, maximum: 14, default: 3 },
        alerts: { type: 'boolean', default: false },
        cities: { type: 'array', items: { type: 'string' }, default: [] },
        apiKey: { type: 'string' },
      },
    });
    // In the input's shape nothing is required: every field has a default or is optional.
    expect(schema['required'] ?? []).toEqual([]);
  });
});
