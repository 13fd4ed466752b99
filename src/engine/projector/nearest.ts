/**
 * Exact nearest-neighbour answers: what a search returns (the search itself, over the training images
 * at a layer, is NearestIndex in nearest-index.ts), and the 2-D map's own neighbour agreement.
 */

export interface Neighbour {
  /** Row of the searched set. */
  index: number;
  /** Euclidean distance to the query. */
  distance: number;
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
      // Ties go to the lower original index, as NearestIndex does.
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
