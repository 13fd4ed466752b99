import { covarianceOf } from './covariance';
import type { Neighbour } from './nearest';
import { meanRow } from './pca';
import { topEigenpairs } from './top-eigen';

/** Principal axes whose coordinates bound each distance from below (8 of 256 rule out ~96 % of rows). */
const BOUND_AXES = 8;
/**
 * Slack on the lower bound, as a share of (‖x‖ + ‖q‖)²: the bound is exact in real arithmetic, and its
 * float32 coordinates can be off by ~2·10⁻⁶ of that; five times more keeps every true neighbour in.
 */
const BOUND_SLACK = 1e-5;

/**
 * An exact nearest-neighbour search over a fixed set of rows (the training images at one layer), built
 * once and then asked many times. Still a scan of every row, so it is exact by construction, but most
 * rows are ruled out cheaply:
 *   1. a lower bound first: the distance along the set's top 8 principal axes (an orthonormal
 *      projection never lengthens a difference), 8 products per row against 256;
 *   2. a row that passes is measured in full, its columns in falling order of variance and eight at a
 *      time, stopping as soon as the sum passes the k-th best distance so far.
 */
export class NearestIndex {
  private constructor(
    readonly count: number,
    readonly dim: number,
    /** count × dim, columns in `order`. */
    private readonly rows: Float32Array,
    /** Column order, largest variance first. */
    private readonly order: Int32Array,
    /** BOUND_AXES unit vectors of dim values, in the original column order. */
    private readonly axes: readonly Float64Array[],
    /** count × axes, each row's coordinates on the axes. */
    private readonly coords: Float32Array,
    /** Each row's length. */
    private readonly norms: Float64Array,
  ) {}

  /** @param points count × dim, row-major; copied (reordered), so the caller may let it go. */
  static build(points: Float32Array, count: number, dim: number): NearestIndex {
    if (points.length < count * dim) throw new RangeError(`points hold ${points.length} values, not ${count}×${dim}`);
    const mean = meanRow(points, count, dim);
    const covariance = count > 1 ? covarianceOf(points, count, dim, mean) : new Float64Array(dim * dim);
    const order = Int32Array.from({ length: dim }, (_, j) => j).sort((a, b) => covariance[b * dim + b] - covariance[a * dim + a]);
    const axes = dim > 0 ? topEigenpairs(covariance, dim, Math.min(BOUND_AXES, dim)).vectors : [];
    const m = axes.length;
    const rows = new Float32Array(count * dim);
    const coords = new Float32Array(count * m);
    const norms = new Float64Array(count);
    for (let r = 0; r < count; r++) {
      const at = r * dim;
      let length = 0;
      for (let j = 0; j < dim; j++) {
        const v = points[at + order[j]];
        rows[at + j] = v;
        length += v * v;
      }
      norms[r] = Math.sqrt(length);
      for (let c = 0; c < m; c++) coords[r * m + c] = dotAt(points, at, axes[c]);
    }
    return new NearestIndex(count, dim, rows, order, axes, coords, norms);
  }

  /**
   * The `k` rows nearest `query` (Euclidean), nearest first; equal distances keep the lower index first,
   * so the answer does not depend on the order the scan meets them in.
   */
  search(query: ArrayLike<number>, k: number): Neighbour[] {
    const { count, dim, rows, coords, norms } = this;
    if (query.length !== dim) throw new RangeError(`the query has ${query.length} values, the points ${dim}`);
    const keep = Math.max(0, Math.min(k, count));
    const q = Float64Array.from(this.order, (j) => query[j]);
    const m = this.axes.length;
    const qc = this.axes.map((axis) => dotAt(query, 0, axis));
    let qn = 0;
    for (let j = 0; j < dim; j++) qn += q[j] * q[j];
    qn = Math.sqrt(qn);
    const tail = dim - (dim % 8);
    const top = new TopK(keep);
    // The bar a new row must pass, kept in a local for the loops below.
    let worst = top.bar;
    for (let r = 0; r < count; r++) {
      if (worst !== Infinity) {
        let bound = 0;
        for (let c = 0; c < m; c++) {
          const d = coords[r * m + c] - qc[c];
          bound += d * d;
        }
        const reach = norms[r] + qn;
        if (bound - BOUND_SLACK * reach * reach > worst) continue;
      }
      const at = r * dim;
      let d2 = 0;
      let j = 0;
      for (; j < tail && d2 <= worst; j += 8) {
        const d0 = rows[at + j] - q[j];
        const d1 = rows[at + j + 1] - q[j + 1];
        const d2_ = rows[at + j + 2] - q[j + 2];
        const d3 = rows[at + j + 3] - q[j + 3];
        const d4 = rows[at + j + 4] - q[j + 4];
        const d5 = rows[at + j + 5] - q[j + 5];
        const d6 = rows[at + j + 6] - q[j + 6];
        const d7 = rows[at + j + 7] - q[j + 7];
        d2 += d0 * d0 + d1 * d1 + d2_ * d2_ + d3 * d3 + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7;
      }
      if (d2 <= worst) for (; j < dim; j++) d2 += (rows[at + j] - q[j]) ** 2;
      if (d2 < worst) {
        top.offer(r, d2);
        worst = top.bar;
      }
    }
    return top.best.map(({ index, d2 }) => ({ index, distance: Math.sqrt(d2) }));
  }
}

/**
 * The k smallest squared distances offered so far, sorted; one equal to a kept one stays behind it, so
 * rows offered in index order keep the lower index first among equals.
 */
export class TopK {
  readonly best: { index: number; d2: number }[] = [];
  /** What a new row must beat: the k-th best so far, Infinity until there are k. */
  bar = Infinity;

  constructor(private readonly k: number) {
    if (k === 0) this.bar = -Infinity;
  }

  offer(index: number, d2: number): void {
    if (!(d2 < this.bar)) return;
    let at = this.best.length;
    while (at > 0 && this.best[at - 1].d2 > d2) at--;
    this.best.splice(at, 0, { index, d2 });
    if (this.best.length > this.k) this.best.pop();
    if (this.best.length === this.k) this.bar = this.best[this.k - 1].d2;
  }
}

function dotAt(values: ArrayLike<number>, at: number, axis: Float64Array): number {
  let s = 0;
  for (let j = 0; j < axis.length; j++) s += values[at + j] * axis[j];
  return s;
}
