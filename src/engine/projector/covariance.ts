/**
 * The sample covariance of a set of rows (divided by count − 1, as numpy and scikit-learn do), as a flat
 * dim × dim Float64Array, symmetric.
 *
 * Two routes, chosen by how many values are zero:
 *   - sparse (ReLU layers, MNIST pixels: two thirds zero or more): Σ x xᵀ over each row's non-zero
 *     entries only, then the mean's outer product subtracted once. The work falls with the square of the
 *     density: a third of the entries non-zero costs about a ninth of the dense products.
 *   - dense (tanh, sigmoid, the output): the centred rows are turned into column blocks of a few hundred
 *     rows, and each entry is a dot product of two contiguous columns of the block, four at a time, so
 *     the inner loop streams memory that stays in cache instead of scattering into the table.
 * Both accumulate in float64; the sparse route's subtraction loses only the digits that the mean's size
 * over the spread costs, far below what the explained-variance ratios need.
 */

/** Non-zero share below which the sparse route wins (measured on 10,000 × 256: 0.32 dense → ~4.5× faster). */
const SPARSE_BELOW = 0.5;
/** Rows per column block of the dense route: 256 columns × 256 rows of float64 is 512 KiB, cache-sized. */
const BLOCK_ROWS = 256;

export type CovarianceRoute = 'sparse' | 'dense';

/**
 * @param rows count × dim, row-major.
 * @param mean dim values, the column means.
 * @param route forces one route (tests); by default the density chooses.
 */
export function covarianceOf(rows: ArrayLike<number>, count: number, dim: number, mean: Float64Array, route?: CovarianceRoute): Float64Array {
  const sums = (route ?? routeOf(rows, count * dim)) === 'sparse' ? sparseProducts(rows, count, dim, mean) : denseProducts(rows, count, dim, mean);
  // Only the upper triangle was summed: mirror it, and divide.
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const value = sums[i * dim + j] / (count - 1);
      sums[i * dim + j] = value;
      sums[j * dim + i] = value;
    }
  }
  return sums;
}

function routeOf(rows: ArrayLike<number>, length: number): CovarianceRoute {
  // A sample of the values is enough to tell a ReLU layer from a tanh one.
  const step = Math.max(1, Math.floor(length / 65_536));
  let nonZero = 0;
  let seen = 0;
  for (let i = 0; i < length; i += step, seen++) if (rows[i] !== 0) nonZero++;
  return nonZero < SPARSE_BELOW * seen ? 'sparse' : 'dense';
}

/** Upper triangle of Σ (x − μ)(x − μ)ᵀ, from the non-zero entries of each row. */
function sparseProducts(rows: ArrayLike<number>, count: number, dim: number, mean: Float64Array): Float64Array {
  const sums = new Float64Array(dim * dim);
  const at = new Int32Array(dim);
  const value = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    const row = r * dim;
    let m = 0;
    for (let j = 0; j < dim; j++) {
      const v = rows[row + j];
      if (v !== 0) {
        at[m] = j;
        value[m++] = v;
      }
    }
    for (let p = 0; p < m; p++) {
      const v = value[p];
      const line = at[p] * dim;
      for (let q = p; q < m; q++) sums[line + at[q]] += v * value[q];
    }
  }
  // Σ (x − μ)(x − μ)ᵀ = Σ x xᵀ − n μ μᵀ.
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) sums[i * dim + j] -= count * mean[i] * mean[j];
  return sums;
}

/** Upper triangle of Σ (x − μ)(x − μ)ᵀ, by column dot products over blocks of rows. */
function denseProducts(rows: ArrayLike<number>, count: number, dim: number, mean: Float64Array): Float64Array {
  const sums = new Float64Array(dim * dim);
  const block = new Float64Array(dim * BLOCK_ROWS);
  for (let start = 0; start < count; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, count - start);
    // Column j of the block at j·n: centred values of rows start..start+n.
    for (let r = 0; r < n; r++) {
      const row = (start + r) * dim;
      for (let j = 0; j < dim; j++) block[j * n + r] = rows[row + j] - mean[j];
    }
    for (let i = 0; i < dim; i++) {
      const a = i * n;
      let j = i;
      for (; j + 3 < dim; j += 4) {
        const b = j * n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let r = 0; r < n; r++) {
          const v = block[a + r];
          s0 += v * block[b + r];
          s1 += v * block[b + n + r];
          s2 += v * block[b + 2 * n + r];
          s3 += v * block[b + 3 * n + r];
        }
        const out = i * dim + j;
        sums[out] += s0;
        sums[out + 1] += s1;
        sums[out + 2] += s2;
        sums[out + 3] += s3;
      }
      for (; j < dim; j++) {
        const b = j * n;
        let s = 0;
        for (let r = 0; r < n; r++) s += block[a + r] * block[b + r];
        sums[i * dim + j] += s;
      }
    }
  }
  return sums;
}
