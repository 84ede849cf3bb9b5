/**
 * Draws ranks `0 … n-1` with probability proportional to `1 / (rank + 1)^exponent`:
 * a few chats carry most of the traffic and a long tail is nearly silent, as in
 * a real multi-chat deployment. Seeded, so every run replays the same traffic.
 *
 * Hand-written because it is a dozen lines (inverse CDF by binary search over
 * the cumulative weights, mulberry32 for the uniform draws) and the bench must
 * not depend on a package's choice of generator.
 */
export class ZipfSampler {
  private readonly cumulative: Float64Array;
  private state: number;

  constructor(
    readonly n: number,
    readonly exponent: number,
    seed: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf n must be a positive integer, got ${n}`);
    this.cumulative = new Float64Array(n);
    let sum = 0;
    for (let rank = 0; rank < n; rank++) {
      sum += 1 / (rank + 1) ** exponent;
      this.cumulative[rank] = sum;
    }
    this.state = seed >>> 0;
  }

  /** Share of all draws that go to `rank`. */
  share(rank: number): number {
    const total = this.cumulative[this.n - 1] as number;
    return 1 / (rank + 1) ** this.exponent / total;
  }

  next(): number {
    const target = this.uniform() * (this.cumulative[this.n - 1] as number);
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `count` draws. */
  draw(count: number): Int32Array {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.next();
    return out;
  }

  private uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
}
