import { Matrix } from 'ml-matrix';
import { PCA } from 'ml-pca';

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
 * Phases: mean → covariance (float64 column dot products, see covarianceOf) → symmetric eigen-
 * decomposition (ml-pca from the covariance matrix, which runs ml-matrix's tridiagonal QL: every
 * eigenpair, no iteration count to tune) → projection. Each axis's sign is fixed so that its
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
  const pca = new PCA(covariance, { isCovarianceMatrix: true });
  const vectors = pca.getEigenvectors();
  const ratios = pca.getExplainedVariance();
  const components = [0, 1].map((c) => axis(vectors, c, dim)) as [Float64Array, Float64Array];
  const coords = project(rows, count, dim, mean, components);
  // A one-column input has a single axis: the second one explains nothing.
  const ratio = (c: number): number => (Number.isFinite(ratios[c]) ? Math.max(0, ratios[c]) : 0);
  return { mean, components, explainedVarianceRatio: [ratio(0), ratio(1)], coords };
}

function meanRow(rows: ArrayLike<number>, count: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    for (let j = 0; j < dim; j++) mean[j] += rows[row + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= count;
  return mean;
}

/**
 * The sample covariance (divided by count − 1, as numpy and scikit-learn do). The rows are centred and
 * turned into columns first, so each entry is one dot product of two contiguous float64 columns, four
 * at a time: the inner loop then streams memory instead of scattering into a dim × dim table, which
 * made it several times faster than the row-by-row outer products on 10,000 × 256.
 */
function covarianceOf(rows: ArrayLike<number>, count: number, dim: number, mean: Float64Array): Matrix {
  const columns = Array.from({ length: dim }, () => new Float64Array(count));
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    for (let j = 0; j < dim; j++) columns[j][r] = rows[row + j] - mean[j];
  }
  const covariance = new Matrix(dim, dim);
  const put = (i: number, j: number, sum: number): void => {
    covariance.set(i, j, sum / (count - 1));
    covariance.set(j, i, sum / (count - 1));
  };
  for (let i = 0; i < dim; i++) {
    const a = columns[i];
    let j = i;
    for (; j + 3 < dim; j += 4) {
      const [b0, b1, b2, b3] = [columns[j], columns[j + 1], columns[j + 2], columns[j + 3]];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < count; r++) {
        const v = a[r];
        s0 += v * b0[r];
        s1 += v * b1[r];
        s2 += v * b2[r];
        s3 += v * b3[r];
      }
      put(i, j, s0);
      put(i, j + 1, s1);
      put(i, j + 2, s2);
      put(i, j + 3, s3);
    }
    for (; j < dim; j++) {
      const b = columns[j];
      let s = 0;
      for (let r = 0; r < count; r++) s += a[r] * b[r];
      put(i, j, s);
    }
  }
  return covariance;
}

/** Column `c` of the eigenvector matrix, sign-fixed; zeros when there is no such column. */
function axis(vectors: Matrix, c: number, dim: number): Float64Array {
  const out = new Float64Array(dim);
  if (c >= vectors.columns) return out;
  let largest = 0;
  for (let j = 0; j < dim; j++) {
    out[j] = vectors.get(j, c);
    if (Math.abs(out[j]) > Math.abs(largest)) largest = out[j];
  }
  if (largest < 0) for (let j = 0; j < dim; j++) out[j] = -out[j];
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
