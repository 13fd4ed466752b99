import { covarianceOf } from './covariance';
import { topEigenpairs } from './top-eigen';

/** The first two principal axes of a set of rows, and the rows placed on them. */
export interface Pca2 {
  /** dim values: the mean row, subtracted before projecting. */
  mean: Float64Array;
  /** Two unit vectors of dim values each, the first explaining the most variance. */
  components: [Float64Array, Float64Array];
  /** Each axis's share of the total variance (scikit-learn's explained_variance_ratio_). */
  explainedVarianceRatio: [number, number];
  /** count × 2, row-major: each row's coordinates on the two axes. */
  coords: Float32Array;
}

/**
 * Exact PCA of `count` rows of `dim` values, reduced to two axes.
 *
 * Phases: mean → covariance (float64, sparse or dense route: see covariance.ts) → its two largest
 * eigenpairs (subspace iteration with Rayleigh–Ritz, falling back to the whole decomposition: see
 * top-eigen.ts) → each axis's share of the trace → projection. Each axis's sign is fixed so that its
 * largest-magnitude entry is positive: PCA's axes have no sign of their own, and a map that flipped
 * between two epochs would look like a change that is not there.
 *
 * @param rows count × dim, row-major (float32 activations or pixels).
 */
export function pca2(rows: ArrayLike<number>, count: number, dim: number): Pca2 {
  if (count < 2) throw new RangeError(`PCA needs at least 2 rows, got ${count}`);
  if (dim < 1 || rows.length < count * dim) throw new RangeError(`expected ${count}×${dim} values, got ${rows.length}`);
  const mean = meanRow(rows, count, dim);
  const covariance = covarianceOf(rows, count, dim, mean);
  const top = topEigenpairs(covariance, dim, 2);
  // The trace is the sum of every eigenvalue: the total variance the ratios are shares of.
  let total = 0;
  for (let j = 0; j < dim; j++) total += covariance[j * dim + j];
  const components = [0, 1].map((c) => signFixed(top.vectors[c], dim)) as [Float64Array, Float64Array];
  const coords = project(rows, count, dim, mean, components);
  // A one-column input has a single axis: the second one explains nothing.
  const ratio = (c: number): number => (c < top.values.length && total > 0 ? Math.max(0, top.values[c] / total) : 0);
  return { mean, components, explainedVarianceRatio: [ratio(0), ratio(1)], coords };
}

export function meanRow(rows: ArrayLike<number>, count: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    for (let j = 0; j < dim; j++) mean[j] += rows[row + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= count;
  return mean;
}

/** A copy of `vector` whose largest-magnitude entry is positive; zeros when there is no such axis. */
function signFixed(vector: Float64Array | undefined, dim: number): Float64Array {
  const out = new Float64Array(dim);
  if (!vector) return out;
  let largest = 0;
  for (let j = 0; j < dim; j++) if (Math.abs(vector[j]) > Math.abs(largest)) largest = vector[j];
  const sign = largest < 0 ? -1 : 1;
  for (let j = 0; j < dim; j++) out[j] = sign * vector[j];
  return out;
}

/** Each row's coordinates on the axes after subtracting the mean: count × 2. */
export function project(rows: ArrayLike<number>, count: number, dim: number, mean: Float64Array, components: readonly [Float64Array, Float64Array]): Float32Array {
  const [u, v] = components;
  const coords = new Float32Array(count * 2);
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    let a = 0;
    let b = 0;
    for (let j = 0; j < dim; j++) {
      const centred = rows[row + j] - mean[j];
      a += centred * u[j];
      b += centred * v[j];
    }
    coords[2 * r] = a;
    coords[2 * r + 1] = b;
  }
  return coords;
}
