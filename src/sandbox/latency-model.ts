import type { SeededRandom } from './seeded-random.js';

/** An emulated service's latency: a fixed delay, or log-normal with the given median and 99th percentile. */
export type LatencyModel = number | { medianMs: number; p99Ms: number };

/** One call's latency drawn from `model`. */
export function drawLatencyMs(model: LatencyModel, random: SeededRandom): number {
  if (typeof model === 'number') return model;
  const sigma = Math.log(model.p99Ms / model.medianMs) / 2.326;
  return model.medianMs * Math.exp(sigma * random.normal());
}
