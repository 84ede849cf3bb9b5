import type { FastifyReply } from 'fastify';
import { fnv1a } from '../../runtime/index.js';
import { PROFILE_NAMES, ROUTING_PROFILES } from './osrm-fixtures.js';
import type { UpstreamApi } from './upstream-emulator.js';
import { greatCircleMeters, nearestCity } from './world-map.js';

type Point = { longitude: number; latitude: number };

const OPTION_VALUES: Readonly<Record<string, RegExp>> = {
  overview: /^(simplified|full|false|by_legs)$/,
  geometries: /^(polyline|polyline6|geojson)$/,
  steps: /^(true|false)$/,
  alternatives: /^(true|false|\d+)$/,
  annotations: /^(true|false|[a-z,]+)$/,
  continue_straight: /^(default|true|false)$/,
  generate_hints: /^(true|false)$/,
  skip_waypoints: /^(true|false)$/,
};

/**
 * An OSRM server's route service (project-osrm.org/docs, docs/http.md):
 * `GET /route/v1/{profile}/{lon},{lat};{lon},{lat}[;…][.json]` (or
 * `polyline(…)`), answering `{"code": "Ok", "routes": [...], "waypoints":
 * [...]}` with each route's distance, duration, weight and legs, and its
 * geometry unless `overview=false`. Distances are great-circle ones times a
 * road factor, durations those over the profile's speed (car, bike, foot;
 * see `ROUTING_PROFILES`); points on different land (Europe and America,
 * an island) answer 400 `NoRoute`, bad input 400 `InvalidQuery`,
 * `InvalidValue` or `InvalidOptions`, as the real server does. Steps and
 * annotations are not modelled (legs carry empty `steps`).
 */
export const osrmApi: UpstreamApi = {
  name: 'osrm',
  env: { ROUTING_BASE_URL: '' },
  routes(app) {
    app.get('/:service/:version/:profile/:coordinates', async (request, reply) => {
      const { service, version, profile, coordinates } = request.params as {
        service: string;
        version: string;
        profile: string;
        coordinates: string;
      };
      if (service !== 'route') return fail(reply, 'InvalidService', `Service ${service} not found!`);
      if (version !== 'v1') return fail(reply, 'InvalidVersion', `Service ${service} not found!`);
      const prefix = `/${service}/${version}/${profile}/`.length;
      const points = parseCoordinates(coordinates.replace(/\.json$/, ''));
      if (typeof points === 'number')
        return fail(reply, 'InvalidQuery', `Query string malformed close to position ${prefix + points}`);
      const q = request.query as Record<string, string | undefined>;
      for (const [option, value] of Object.entries(q)) {
        const allowed = OPTION_VALUES[option];
        if (allowed !== undefined && value !== undefined && !allowed.test(value))
          return fail(reply, 'InvalidQuery', `Query string malformed close to position ${prefix + coordinates.length}`);
      }
      if (points.length < 2) return fail(reply, 'InvalidOptions', 'Number of coordinates needs to be at least two.');
      if (points.some((p) => Math.abs(p.latitude) > 90 || Math.abs(p.longitude) > 180))
        return fail(reply, 'InvalidValue', 'Invalid coordinate value.');
      const lands = new Set(points.map((p) => nearestCity(p.latitude, p.longitude).city.landmass));
      if (lands.size > 1) return fail(reply, 'NoRoute', 'Impossible route between points');

      const routing = ROUTING_PROFILES[PROFILE_NAMES[profile] ?? 'car'];
      const legs = points.slice(1).map((to, i) => {
        const from = points[i] as Point;
        const distance =
          greatCircleMeters(from.latitude, from.longitude, to.latitude, to.longitude) * routing.roadFactor;
        const km = distance / 1000;
        const duration = km === 0 ? 0 : (km / routing.speedKmh(km)) * 3600;
        return {
          steps: [],
          weight: round1(duration),
          summary: '',
          duration: round1(duration),
          distance: round1(distance),
        };
      });
      const sum = (key: 'distance' | 'duration') => round1(legs.reduce((total, leg) => total + leg[key], 0));
      const overview = q.overview ?? 'simplified';
      const route = {
        ...(overview === 'false' ? {} : { geometry: geometry(points, q.geometries ?? 'polyline') }),
        legs,
        weight_name: routing.weightName,
        weight: sum('duration'),
        duration: sum('duration'),
        distance: sum('distance'),
      };
      return {
        code: 'Ok',
        routes: [route],
        ...(q.skip_waypoints === 'true' ? {} : { waypoints: points.map(waypoint) }),
      };
    });
  },
};

/** The points of a coordinates segment, or the offset of what is malformed in it. */
function parseCoordinates(text: string): Point[] | number {
  const encoded = /^polyline(6?)\((.+)\)$/.exec(text);
  if (encoded !== null) {
    const points = decodePolyline(decodeURIComponent(encoded[2] ?? ''), encoded[1] === '6' ? 1e6 : 1e5);
    return points ?? 0;
  }
  const points: Point[] = [];
  let offset = 0;
  for (const pair of text.split(';')) {
    const match = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(pair);
    if (match === null) return offset;
    points.push({ longitude: Number(match[1]), latitude: Number(match[2]) });
    offset += pair.length + 1;
  }
  return points;
}

/** A waypoint: the point snapped to a road (here, to 6 decimals), with a stable hint. */
function waypoint(point: Point) {
  const key = `${point.longitude.toFixed(6)},${point.latitude.toFixed(6)}`;
  const hint = Buffer.from(`${fnv1a(key).toString(16)}${fnv1a(`${key}#`).toString(16)}`).toString('base64url');
  return {
    hint,
    distance: round1((fnv1a(key) % 200) / 10),
    name: '',
    location: [Number(point.longitude.toFixed(6)), Number(point.latitude.toFixed(6))],
  };
}

function geometry(points: readonly Point[], format: string): unknown {
  if (format === 'geojson') return { type: 'LineString', coordinates: points.map((p) => [p.longitude, p.latitude]) };
  return encodePolyline(points, format === 'polyline6' ? 1e6 : 1e5);
}

/** Google's encoded polyline (latitude first), as OSRM writes `polyline` and `polyline6`. */
function encodePolyline(points: readonly Point[], factor: number): string {
  let out = '';
  let lastLat = 0;
  let lastLon = 0;
  for (const p of points) {
    const lat = Math.round(p.latitude * factor);
    const lon = Math.round(p.longitude * factor);
    out += encodeNumber(lat - lastLat) + encodeNumber(lon - lastLon);
    lastLat = lat;
    lastLon = lon;
  }
  return out;
}

function encodeNumber(value: number): string {
  let v = value < 0 ? ~(value << 1) : value << 1;
  let out = '';
  while (v >= 0x20) {
    out += String.fromCharCode((0x20 | (v & 0x1f)) + 63);
    v >>= 5;
  }
  return out + String.fromCharCode(v + 63);
}

function decodePolyline(text: string, factor: number): Point[] | null {
  const values: number[] = [];
  let shift = 0;
  let result = 0;
  for (const char of text) {
    const byte = char.charCodeAt(0) - 63;
    if (byte < 0 || byte > 63) return null;
    result |= (byte & 0x1f) << shift;
    shift += 5;
    if (byte < 0x20) {
      values.push(result & 1 ? ~(result >> 1) : result >> 1);
      shift = 0;
      result = 0;
    }
  }
  if (shift !== 0 || values.length % 2 !== 0) return null;
  const points: Point[] = [];
  let lat = 0;
  let lon = 0;
  for (let i = 0; i < values.length; i += 2) {
    lat += values[i] as number;
    lon += values[i + 1] as number;
    points.push({ latitude: lat / factor, longitude: lon / factor });
  }
  return points;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function fail(reply: FastifyReply, code: string, message: string) {
  return reply.code(400).send({ code, message });
}
