/** Seeded PRNG (mulberry32): same seed, same sequence, on every backend and platform. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [-range, range]. */
  symmetric(range: number): number {
    return (this.next() * 2 - 1) * range;
  }

  /**
   * Fills `out` as `out.length` calls of next() would, each value `keep` where the draw is ≥ rate and 0
   * where it is below: an inverted-dropout mask. The same draws, in one loop with the state in a local
   * and an integer comparison (next() ≥ rate ⟺ its 32-bit integer ≥ ⌈rate·2³²⌉), which is several
   * times faster than calling next() per unit; a dropout layer of the default model draws 131,072.
   */
  fillMask(out: Float32Array, rate: number, keep: number): Float32Array {
    const threshold = Math.ceil(rate * 4294967296);
    let state = this.state;
    for (let i = 0; i < out.length; i++) {
      let t = (state = (state + 0x6d2b79f5) >>> 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = (t ^ (t >>> 14)) >>> 0 >= threshold ? keep : 0;
    }
    this.state = state;
    return out;
  }

  /** A fresh 31-bit seed for a library call that takes one. */
  seed(): number {
    return Math.floor(this.next() * 2 ** 31);
  }

  /** Fisher–Yates, in place. */
  shuffle(values: Int32Array): Int32Array {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}
