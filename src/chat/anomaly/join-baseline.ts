import { ANOMALY_LIMITS, type JoinBaseline } from './anomaly-state.js';
import { ANOMALY_THRESHOLDS as T } from './anomaly-thresholds.js';

const MINUTE_MS = 60_000;
/** Beyond a week of silence the baseline decays in one step (zeros barely move the variance). */
const EXACT_GAP_MINUTES = 7 * 1440;

/** How far the joins counted so far stand above the chat's baseline. */
export interface JoinScore {
  minute: number;
  fiveMinutes: number;
  zMinute: number;
  zFiveMinutes: number;
  /** Joins per minute the baseline expects. */
  expectedPerMinute: number;
}

/**
 * Counts joins into the current minute, first closing the minutes that
 * ended since: each closed minute (empty ones too) updates the exponentially
 * weighted mean and variance of joins per minute, winsorised at a few
 * deviations so a raid does not teach the baseline that raids are normal.
 */
export function countJoins(baseline: JoinBaseline, window: number[], joins: number, nowMs: number): JoinScore {
  const minute = Math.floor(nowMs / MINUTE_MS);
  if (minute > baseline[0]) {
    const first = baseline[0] === 0;
    if (!first) {
      closeMinute(baseline, window, baseline[1]);
      const gap = minute - baseline[0] - 1;
      if (gap > EXACT_GAP_MINUTES) decay(baseline, window, gap);
      else for (let i = 0; i < gap; i++) closeMinute(baseline, window, 0);
    }
    baseline[0] = minute;
    baseline[1] = 0;
  }
  baseline[1] += joins;
  return scoreJoins(baseline, window);
}

export function scoreJoins(baseline: JoinBaseline, window: number[]): JoinScore {
  const [, count, mean, variance] = baseline;
  const spread = Math.max(variance, mean);
  let fiveMinutes = count;
  for (const c of window) fiveMinutes += c;
  return {
    minute: count,
    fiveMinutes,
    zMinute: (count - mean) / Math.sqrt(spread + T.joinNoiseFloor),
    zFiveMinutes: (fiveMinutes - 5 * mean) / Math.sqrt(5 * spread + T.joinNoiseFloor),
    expectedPerMinute: mean,
  };
}

function closeMinute(baseline: JoinBaseline, window: number[], joins: number): void {
  const mean = baseline[2];
  const variance = baseline[3];
  const ceiling = mean + T.joinClipZ * Math.sqrt(Math.max(variance, mean) + T.joinNoiseFloor);
  const x = Math.min(joins, ceiling);
  const diff = x - mean;
  const step = T.joinAlpha * diff;
  baseline[2] = mean + step;
  baseline[3] = (1 - T.joinAlpha) * (variance + diff * step);
  window.push(joins);
  if (window.length > ANOMALY_LIMITS.joinWindowMinutes - 1) window.shift();
}

function decay(baseline: JoinBaseline, window: number[], minutes: number): void {
  const keep = Math.pow(1 - T.joinAlpha, minutes);
  baseline[2] *= keep;
  baseline[3] *= keep;
  window.length = 0;
}
