/** Latency samples, sorted once and read at any quantile (nearest rank). */
export class Percentiles {
  private readonly sorted: Float64Array;

  constructor(samples: readonly number[]) {
    this.sorted = Float64Array.from(samples).sort();
  }

  get count(): number {
    return this.sorted.length;
  }

  /** The sample at quantile `q` (0.5 for the median); NaN without samples. */
  at(q: number): number {
    const n = this.sorted.length;
    if (n === 0) return Number.NaN;
    return this.sorted[Math.min(n - 1, Math.floor(q * n))]!;
  }
}
