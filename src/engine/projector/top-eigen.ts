import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { Random } from '../ml/random';

/** The largest eigenvalues of a symmetric matrix and their unit eigenvectors, largest first. */
export interface Eigenpairs {
  values: number[];
  /** One dim-long unit vector per value. */
  vectors: Float64Array[];
  /** 'subspace' when the iteration converged, 'full' when the whole decomposition was computed instead. */
  route: 'subspace' | 'full';
  iterations: number;
}

export interface TopEigenOptions {
  /** Subspace steps before giving up and decomposing the whole matrix. */
  maxIterations?: number;
  /** Converged when ‖A u − θ u‖ ≤ tolerance · θ₁ for each wanted pair. */
  tolerance?: number;
}

/** Below this size the whole decomposition costs less than setting up the iteration. */
const FULL_BELOW = 40;
/** Extra vectors carried along: convergence goes as (λ of the first one left out / λ wanted)^steps. */
const EXTRA = 8;

/**
 * The `k` largest eigenpairs of the symmetric dim × dim matrix `a` (flat, row-major).
 *
 * Phases: a seeded random block of k + 8 vectors → subspace iteration (multiply by `a`, orthonormalise)
 * with a Rayleigh–Ritz step each time (the small block's own eigenproblem, solved by ml-matrix) → stop
 * once every wanted Ritz pair's residual is below the tolerance. Each step costs (k + 8) · dim² products,
 * against the ~dim³ of a whole tridiagonal decomposition, and a covariance's leading eigenvalues are
 * usually well apart from the ninth or tenth, so a few dozen steps do. A matrix whose spectrum is too
 * flat for that falls back to ml-matrix's whole decomposition: the answer is exact either way.
 */
export function topEigenpairs(a: Float64Array, dim: number, k: number, options: TopEigenOptions = {}): Eigenpairs {
  if (a.length !== dim * dim) throw new RangeError(`expected a ${dim}×${dim} matrix, got ${a.length} values`);
  const wanted = Math.min(k, dim);
  const block = Math.min(dim, wanted + EXTRA);
  if (dim < FULL_BELOW || block === dim) return fullDecomposition(a, dim, wanted, 0);
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 300;
  const random = new Random(0x5eed);
  let basis: Float64Array[] = Array.from({ length: block }, () => Float64Array.from({ length: dim }, () => random.symmetric(1)));
  orthonormalise(basis, random);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const products = basis.map((v) => multiply(a, dim, v));
    // Rayleigh–Ritz: the best approximations to eigenpairs within the span of the block.
    const small = Matrix.zeros(block, block);
    for (let p = 0; p < block; p++) for (let q = p; q < block; q++) small.set(p, q, dot(basis[p], products[q])).set(q, p, small.get(p, q));
    const { values, vectors } = sortedDecomposition(small);
    const ritz = combine(basis, vectors, block);
    const images = combine(products, vectors, block);
    const scale = Math.max(Math.abs(values[0]), Number.MIN_VALUE);
    let converged = true;
    for (let i = 0; i < wanted && converged; i++) converged = residual(images[i], ritz[i], values[i]) <= tolerance * scale;
    if (converged) return { values: values.slice(0, wanted), vectors: ritz.slice(0, wanted), route: 'subspace', iterations: iteration };
    basis = images;
    orthonormalise(basis, random);
  }
  return fullDecomposition(a, dim, wanted, maxIterations);
}

function fullDecomposition(a: Float64Array, dim: number, wanted: number, iterations: number): Eigenpairs {
  const matrix = new Matrix(dim, dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) matrix.set(i, j, a[i * dim + j]);
  const { values, vectors } = sortedDecomposition(matrix);
  const columns = Array.from({ length: wanted }, (_, c) => Float64Array.from({ length: dim }, (_, j) => vectors.get(j, c)));
  return { values: values.slice(0, wanted), vectors: columns, route: 'full', iterations };
}

/** A symmetric matrix's eigenvalues, largest first, with the eigenvector matrix's columns in that order. */
function sortedDecomposition(matrix: Matrix): { values: number[]; vectors: Matrix } {
  const evd = new EigenvalueDecomposition(matrix, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((_, i) => i).sort((p, q) => evd.realEigenvalues[q] - evd.realEigenvalues[p]);
  const source = evd.eigenvectorMatrix;
  const vectors = new Matrix(source.rows, order.length);
  order.forEach((from, to) => {
    for (let r = 0; r < source.rows; r++) vectors.set(r, to, source.get(r, from));
  });
  return { values: order.map((i) => evd.realEigenvalues[i]), vectors };
}

function multiply(a: Float64Array, dim: number, v: Float64Array): Float64Array {
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const row = i * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += a[row + j] * v[j];
    out[i] = s;
  }
  return out;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < u.length; j++) s += u[j] * v[j];
  return s;
}

/** Column c of the result is Σ_p vectors[p][c] · set[p]. */
function combine(set: readonly Float64Array[], vectors: Matrix, count: number): Float64Array[] {
  const dim = set[0].length;
  return Array.from({ length: count }, (_, c) => {
    const out = new Float64Array(dim);
    for (let p = 0; p < set.length; p++) {
      const w = vectors.get(p, c);
      const v = set[p];
      for (let j = 0; j < dim; j++) out[j] += w * v[j];
    }
    return out;
  });
}

function residual(image: Float64Array, vector: Float64Array, value: number): number {
  let s = 0;
  for (let j = 0; j < image.length; j++) {
    const d = image[j] - value * vector[j];
    s += d * d;
  }
  return Math.sqrt(s);
}

/**
 * Modified Gram–Schmidt, each vector twice (once is not enough in floating point when the block is
 * nearly dependent). A vector that vanishes (a matrix of low rank maps the block onto fewer dimensions)
 * is replaced by a fresh random one, so the block keeps its size.
 */
function orthonormalise(set: Float64Array[], random: Random): void {
  for (let i = 0; i < set.length; i++) {
    for (let attempt = 0; ; attempt++) {
      const v = set[i];
      const before = Math.sqrt(dot(v, v));
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < i; p++) {
          const w = dot(set[p], v);
          const u = set[p];
          for (let j = 0; j < v.length; j++) v[j] -= w * u[j];
        }
      }
      const norm = Math.sqrt(dot(v, v));
      if (norm > 1e-10 * before && norm > 0) {
        for (let j = 0; j < v.length; j++) v[j] /= norm;
        break;
      }
      if (attempt > 8) throw new Error('could not complete an orthonormal block');
      set[i] = Float64Array.from({ length: v.length }, () => random.symmetric(1));
    }
  }
}
