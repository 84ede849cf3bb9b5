/**
 * The OSRM HTTP API as its documentation shows it (project-osrm.org/docs,
 * the source's docs/http.md: "Route service", "Route object", "RouteLeg
 * object", "Waypoint object", "Responses"), and the speeds of its bundled
 * profiles (profiles/car.lua, bicycle.lua, foot.lua).
 */

/** The documented example route (three waypoints, `geometries=geojson`, `steps=false`). */
export const DOCUMENTED_ROUTE = {
  distance: 90.0,
  duration: 300.0,
  weight: 300.0,
  weight_name: 'duration',
  geometry: {
    type: 'LineString',
    coordinates: [
      [120.0, 10.0],
      [120.1, 10.0],
      [120.2, 10.0],
      [120.3, 10.0],
    ],
  },
  legs: [
    { distance: 30.0, duration: 100.0, steps: [] },
    { distance: 60.0, duration: 200.0, steps: [] },
  ],
} as const;

/** The documented example waypoint. */
export const DOCUMENTED_WAYPOINT = {
  hint: 'KSoKADRYroqUBAEAEAAAABkAAAAGAAAAAAAAABhnCQCLtwAA_0vMAKlYIQM8TMwArVghAwEAAQH1a66g',
  distance: 4.152629,
  name: 'Friedrichstraße',
  location: [13.388799, 52.517033],
} as const;

/** A profile the emulated server routes with. */
export interface RoutingProfile {
  /** Road distance over the great-circle one. */
  roadFactor: number;
  /** Average speed (km/h) over a route of `km` kilometres. */
  speedKmh(km: number): number;
  /** The profile's `weight_name`. */
  weightName: string;
}

/**
 * The bundled profiles: a car averages ~30 km/h in town and up to ~85 on
 * long trips, a bicycle 15 km/h and a walker 5 km/h (bicycle.lua's
 * `default_speed`, foot.lua's `walking_speed`).
 */
export const ROUTING_PROFILES: Readonly<Record<'car' | 'bike' | 'foot', RoutingProfile>> = {
  car: { roadFactor: 1.15, speedKmh: (km) => 30 + 55 * (1 - Math.exp(-km / 60)), weightName: 'routability' },
  bike: { roadFactor: 1.12, speedKmh: () => 15, weightName: 'cyclability' },
  foot: { roadFactor: 1.1, speedKmh: () => 5, weightName: 'duration' },
};

/**
 * The profile names the URL may carry for each (the docs name `car`,
 * `bike`, `foot`; the examples and Mapbox-style clients say `driving`,
 * `cycling`, `walking`). Any other name routes by car, as `osrm-routed`
 * ignores the profile part of the URL.
 */
export const PROFILE_NAMES: Readonly<Record<string, 'car' | 'bike' | 'foot'>> = {
  car: 'car',
  driving: 'car',
  bike: 'bike',
  bicycle: 'bike',
  cycling: 'bike',
  foot: 'foot',
  walking: 'foot',
};
