import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osrmApi } from '../../../src/sandbox/upstreams/osrm.js';
import { DOCUMENTED_ROUTE, DOCUMENTED_WAYPOINT } from '../../../src/sandbox/upstreams/osrm-fixtures.js';
import { UpstreamEmulator } from '../../../src/sandbox/upstreams/index.js';

let emulator: UpstreamEmulator;
beforeAll(async () => {
  emulator = await UpstreamEmulator.start({ apis: [osrmApi] });
});
afterAll(async () => {
  await emulator.close();
});

/** The fields these tests read. */
interface RouteBody {
  code: string;
  routes: [Route, ...Route[]];
  waypoints: [Waypoint, Waypoint, ...Waypoint[]];
}
interface Route {
  [key: string]: unknown;
  distance: number;
  duration: number;
  geometry?: unknown;
  legs: unknown[];
}
interface Waypoint {
  [key: string]: unknown;
  location: number[];
}

async function route(path: string) {
  const answer = await fetch(`${emulator.env().ROUTING_BASE_URL}${path}`);
  return { status: answer.status, body: (await answer.json()) as RouteBody };
}

const MOSCOW_TVER = '37.61556,55.75222;35.90057,56.85836';

describe('the OSRM route emulator', () => {
  it('answers a route in the documented shape', async () => {
    const { status, body } = await route(`/route/v1/car/${MOSCOW_TVER}?overview=false`);
    expect(status).toBe(200);
    expect(body.code).toBe('Ok');
    const [best] = body.routes;
    for (const key of ['distance', 'duration', 'weight', 'weight_name', 'legs'])
      expect(typeof best[key], key).toBe(typeof DOCUMENTED_ROUTE[key as keyof typeof DOCUMENTED_ROUTE]);
    expect(best.geometry).toBeUndefined();
    expect(best.legs).toHaveLength(1);
    expect(best.legs[0]).toMatchObject({ distance: best.distance, duration: best.duration, steps: [], summary: '' });
    expect(Object.keys(body.waypoints[0]).sort()).toEqual(Object.keys(DOCUMENTED_WAYPOINT).sort());
    expect(body.waypoints[1].location).toEqual([35.90057, 56.85836]);
    // ~160 km as the crow flies, more by road.
    expect(best.distance / 1000).toBeGreaterThan(165);
    expect(best.distance / 1000).toBeLessThan(200);
  });

  it('routes slower by bike and slower still on foot, with geometry unless told not to', async () => {
    const car = (await route(`/route/v1/driving/${MOSCOW_TVER}`)).body.routes[0];
    const bike = (await route(`/route/v1/bike/${MOSCOW_TVER}`)).body.routes[0];
    const foot = (await route(`/route/v1/walking/${MOSCOW_TVER}?geometries=geojson`)).body.routes[0];
    expect(car.duration).toBeLessThan(bike.duration);
    expect(bike.duration).toBeLessThan(foot.duration);
    expect(typeof car.geometry).toBe('string');
    expect(foot.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [37.61556, 55.75222],
        [35.90057, 56.85836],
      ],
    });
    // The encoded polyline of the same points routes the same.
    const again = (await route(`/route/v1/car/polyline(${encodeURIComponent(car.geometry as string)})?overview=false`))
      .body;
    expect(again.routes[0].distance).toBeCloseTo(car.distance, -2);
  });

  it('answers NoRoute across an ocean and 400 codes for bad requests, as the server does', async () => {
    expect(await route('/route/v1/car/37.61556,55.75222;-74.00597,40.71427')).toEqual({
      status: 400,
      body: { code: 'NoRoute', message: 'Impossible route between points' },
    });
    expect((await route('/route/v1/car/37.6,55.7;abc')).body).toEqual({
      code: 'InvalidQuery',
      message: 'Query string malformed close to position 24',
    });
    expect((await route('/route/v1/car/37.6,55.7')).body.code).toBe('InvalidOptions');
    expect((await route('/route/v1/car/37.6,95.7;37.6,55.7')).body.code).toBe('InvalidValue');
    expect((await route(`/route/v1/car/${MOSCOW_TVER}?overview=sometimes`)).body.code).toBe('InvalidQuery');
    expect((await route(`/table/v1/car/${MOSCOW_TVER}`)).body.code).toBe('InvalidService');
  });
});
