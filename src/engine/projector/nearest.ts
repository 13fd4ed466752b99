/**
 * Exact nearest-neighbour searches: the training images nearest a drawing in a layer's space, and the
 * 2-D map's own neighbour agreement. No index structure: the sets are small enough (60,000 × a few
 * hundred values) that one pass is a few milliseconds, and a pass is exact by construction.
 */

export interface Neighbour {
  /** Row of the searched set. */
  index: number;
  /** Euclidean distance to the query. */
  distance: number;
}

/**
 * The `k` rows of `points` nearest `query` (Euclidean), nearest first; equal distances keep the lower
 * index first, so the answer does not depend on the order the scan meets them in.
 *
 * @param points count × dim, row-major.
 * @param query dim values.
 */
export function nearestRows(points: Float32Array, count: number, dim: number, query: ArrayLike<number>, k: number): Neighbour[] {
  if (query.length !== dim) throw new RangeError(`the query has ${query.length} values, the points ${dim}`);
  if (points.length < count * dim) throw new RangeError(`points hold ${points.length} values, not ${count}×${dim}`);
  const keep = Math.max(0, Math.min(k, count));
  // The best `keep` so far, sorted by squared distance; `worst` is the bar a new row must pass.
  const best: { index: number; d2: number }[] = [];
  let worst = Infinity;
  const q = Float64Array.from(query);
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    let d2 = 0;
    for (let j = 0; j < dim; j++) {
      const d = points[row + j] - q[j];
      d2 += d * d;
      // Past the bar already: the rest of the row cannot bring it back.
      if (d2 > worst) break;
    }
    if (best.length === keep && !(d2 < worst)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].d2 > d2) at--;
    best.splice(at, 0, { index: r, d2 });
    if (best.length > keep) best.pop();
    if (best.length === keep) worst = best[keep - 1].d2;
  }
  return best.map(({ index, d2 }) => ({ index, distance: Math.sqrt(d2) }));
}

/**
 * The share of points whose nearest other point in the 2-D map has the same label: how well the map
 * keeps the classes apart. Exact: points are swept in x order and a search stops once the x gap alone
 * exceeds the best distance found.
 *
 * @param coords count × 2, row-major.
 */
export function neighbourAgreement(coords: Float32Array, labels: ArrayLike<number>, count: number): number {
  if (count < 2) return 0;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => coords[2 * a] - coords[2 * b]);
  const xs = Float64Array.from(order, (i) => coords[2 * i]);
  const ys = Float64Array.from(order, (i) => coords[2 * i + 1]);
  let agree = 0;
  for (let p = 0; p < count; p++) {
    let best = Infinity;
    let bestAt = -1;
    const visit = (q: number): boolean => {
      const dx = xs[q] - xs[p];
      if (dx * dx > best) return false;
      const dy = ys[q] - ys[p];
      const d2 = dx * dx + dy * dy;
      // Ties go to the lower original index, as nearestRows does.
      if (d2 < best || (d2 === best && order[q] < order[bestAt])) {
        best = d2;
        bestAt = q;
      }
      return true;
    };
    for (let q = p + 1; q < count && visit(q); q++);
    for (let q = p - 1; q >= 0 && visit(q); q--);
    if (labels[order[bestAt]] === labels[order[p]]) agree++;
  }
  return agree / count;
}
