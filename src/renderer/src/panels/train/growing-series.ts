/** A point of a curve: x in fractional epochs. */
export interface Point {
  x: number;
  y: number;
}

/**
 * A batch-loss series that grows in place: a progress report adds one point without copying the
 * points before it (a long batch-32 run reports ten times a second, for thousands of points). Any
 * other change (Continue redoing a cut-short epoch) makes a new array, so that a reader who keeps the
 * last array it saw can tell "grew" (same array, longer) from "changed" (another array).
 */
export function appendInPlace(series: Point[], point: Point): Point[] {
  const last = series[series.length - 1];
  if (last && last.x >= point.x) return [...series.filter((p) => p.x < point.x), point];
  series.push(point);
  return series;
}

/**
 * TensorBoard's debiased moving average (see smoothSeries), kept up to date point by point: while the
 * source only grows and the smoothing stays, each call smooths the new points alone and extends the
 * same array; otherwise it starts a new array from the first point.
 */
export class IncrementalSmoothing {
  #source: readonly Point[] | null = null;
  #smoothing = Number.NaN;
  #points: Point[] = [];
  #done = 0;
  #last = 0;
  #weight = 0;

  of(source: readonly Point[], smoothing: number): readonly Point[] {
    const s = Math.min(0.999, Math.max(0, smoothing));
    if (source !== this.#source || s !== this.#smoothing || source.length < this.#done) {
      this.#source = source;
      this.#smoothing = s;
      this.#points = [];
      this.#done = 0;
      this.#last = 0;
      this.#weight = 0;
    }
    for (; this.#done < source.length; this.#done++) {
      const point = source[this.#done];
      // A NaN or infinite loss is skipped: one bad batch must not blank the whole curve.
      if (!Number.isFinite(point.y)) continue;
      this.#last = this.#last * s + (1 - s) * point.y;
      this.#weight = this.#weight * s + (1 - s);
      this.#points.push({ x: point.x, y: this.#last / this.#weight });
    }
    return this.#points;
  }
}
