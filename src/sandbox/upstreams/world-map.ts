import { WORLD_CITIES, type WorldCity } from './open-meteo-geocoding-fixtures.js';

const EARTH_RADIUS_M = 6_371_008.8;

/** The great-circle distance between two points, in metres (haversine). */
export function greatCircleMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The emulated world's city nearest a point, with its distance in metres. */
export function nearestCity(latitude: number, longitude: number): { city: WorldCity; meters: number } {
  let best = { city: WORLD_CITIES[0] as WorldCity, meters: Infinity };
  for (const city of WORLD_CITIES) {
    const meters = greatCircleMeters(latitude, longitude, city.latitude, city.longitude);
    if (meters < best.meters) best = { city, meters };
  }
  return best;
}

/** Text compared as the geocoder compares names: lower case, no accents, ё as е, dashes as spaces. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-‐‑–—.'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
