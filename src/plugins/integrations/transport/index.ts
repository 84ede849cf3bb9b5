import { z } from 'zod';
import type { Language } from '../../../chat/index.js';
import { definePlugin } from '../../define-plugin.js';
import { say, upstreamSettings } from '../integration-kit.js';
import { Geocoder, geocoderSettings } from '../weather/geocoder.js';
import { placeNotFound } from '../weather/place-choice.js';
import { ROUTING_BASE_URL, RoutingApi } from './osrm.js';
import { parseRouteArgs, TRAVEL_MODES, type TravelMode } from './route-args.js';
import { formatRoute } from './route-format.js';

const settings = z.object({
  // The OSRM demo server asks for at most one request a second; an own server may take more.
  ...upstreamSettings(ROUTING_BASE_URL, 60),
  ...geocoderSettings,
  /**
   * The OSRM profile for each mode: OSRM's bundled profiles are `car`,
   * `bike` and `foot`; a server with other names maps them here, and one
   * serving each profile under its own prefix takes the path before the
   * coordinates (routing.openstreetmap.de: `routed-bike/route/v1/driving`).
   */
  profiles: z
    .object({ car: z.string().min(1), bike: z.string().min(1), foot: z.string().min(1) })
    .default({ car: 'car', bike: 'bike', foot: 'foot' }),
});

/**
 * `/route <from> — <to> [car|bike|foot]`: the road distance and travel
 * time between two places, from an OSRM server (no key), with places found
 * by the weather plugin's geocoder.
 */
export const transportPlugin = definePlugin({
  name: 'transport',
  version: '1.0.0',
  kind: 'integration',
  description: {
    en: 'Routes between places (OSRM)',
    ru: 'Маршруты между городами (OSRM)',
    uk: 'Маршрути між містами (OSRM)',
  },
  settings,
  env: { baseUrl: 'ROUTING_BASE_URL', geocodingBaseUrl: 'GEOCODING_BASE_URL' },
  setup(p) {
    const geocoder = Geocoder.of(p, p.settings);
    const routing = RoutingApi.of(p, p.settings);

    p.command(
      'route',
      async (ctx) => {
        const asked = parseRouteArgs(ctx.args);
        if (asked === null) return usage(ctx.language);
        const [from, to] = await Promise.all([
          geocoder.find(asked.from, ctx.language, ctx.signal),
          geocoder.find(asked.to, ctx.language, ctx.signal),
        ]);
        if (from.kind !== 'found') return placeNotFound(asked.from, from, ctx.language, example(ctx.language));
        if (to.kind !== 'found') return placeNotFound(asked.to, to, ctx.language, example(ctx.language));
        if (from.place.id === to.place.id)
          return say(ctx.language, {
            en: "That's the same place: you're already there 🙂",
            ru: 'Это одно и то же место: ты уже на месте 🙂',
            uk: 'Це одне й те саме місце: ти вже там 🙂',
          });
        const modes: readonly TravelMode[] = asked.mode === null ? TRAVEL_MODES : [asked.mode];
        const outcomes = await Promise.all(
          modes.map((mode) =>
            routing.route(ctx.settings.profiles[mode], from.place, to.place, ctx.language, ctx.signal),
          ),
        );
        return formatRoute(
          from.place,
          to.place,
          modes.map((mode, i) => ({ mode, outcome: outcomes[i]! })),
          ctx.language,
        );
      },
      {
        description: {
          en: 'distance and travel time between places (by car, bike, on foot)',
          ru: 'расстояние и время в пути между городами (на машине, велосипеде, пешком)',
          uk: 'відстань і час у дорозі між містами (автівкою, велосипедом, пішки)',
        },
        args: { en: '<from> — <to> [car|bike|foot]', ru: '<откуда> — <куда> [car|bike|foot]' },
        tool: {
          description:
            'Road distance and travel time (маршрут, расстояние, сколько ехать) between two places by car, by bike or on foot.',
          parameters: z.object({
            from: z.string().min(1).max(100).describe('Where from: a place name in the nominative case'),
            to: z.string().min(1).max(100).describe('Where to: a place name in the nominative case'),
            mode: z.enum(TRAVEL_MODES).optional().describe('car, bike or foot; all three when left out'),
          }),
          args: ({ from, to, mode }) => `${from} — ${to}${mode === undefined ? '' : ` ${mode}`}`,
        },
      },
    );
  },
});

function example(language: Language): string {
  if (language === 'uk') return '/route Київ — Львів';
  return language === 'en' ? '/route London — Paris' : '/route Москва — Тверь';
}

function usage(language: Language): string {
  const sample = example(language);
  return say(language, {
    en: `From where to where? Like this: ${sample} (add car, bike or foot for one way of travel)`,
    ru: `Откуда и куда? Пиши так: ${sample} (можно добавить car, bike или foot — «пешком», «на велосипеде»)`,
    uk: `Звідки й куди? Пиши так: ${sample} (можна додати car, bike або foot)`,
  });
}
