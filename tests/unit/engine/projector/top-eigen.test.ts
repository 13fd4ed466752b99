import { describe, expect, it } from 'vitest';
import { topEigenpairs } from '$engine/projector/top-eigen';
import { Random } from '$engine/ml/random';

/** Q diag(values) Qᵀ for a random orthonormal Q: a symmetric matrix whose eigenpairs are known. */
function withSpectrum(values: number[], seed: number): { a: Float64Array; q: Float64Array[] } {
  const dim = values.length;
  const random = new Random(seed);
  const q: Float64Array[] = [];
  for (let c = 0; c < dim; c++) {
    const v = Float64Array.from({ length: dim }, () => random.symmetric(1));
    for (const u of q) {
      const w = u.reduce((s, x, j) => s + x * v[j]!, 0);
      for (let j = 0; j < dim; j++) v[j] -= w * u[j]!;
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const a = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) for (let c = 0; c < dim; c++) a[i * dim + j] += q[c]![i]! * values[c]! * q[c]![j]!;
  return { a, q };
}

function expectSameAxis(got: Float64Array, want: Float64Array): void {
  const sign = Math.sign(got.reduce((s, v, j) => s + v * want[j]!, 0));
  got.forEach((v, j) => expect(v).toBeCloseTo(sign * want[j]!, 7));
}

describe('topEigenpairs', () => {
  // A covariance-like spectrum: a few large values, then a long slowly falling tail.
  const spectrum = Array.from({ length: 64 }, (_, i) => (i < 3 ? [9, 5, 3][i]! : 1.5 / (1 + i / 8)));

  it('finds the largest eigenpairs of a 64 × 64 matrix by subspace iteration', () => {
    const { a, q } = withSpectrum(spectrum, 11);
    const top = topEigenpairs(a, 64, 3);
    expect(top.route).toBe('subspace');
    expect(top.values).toEqual([9, 5, 3].map((v) => expect.closeTo(v, 9)));
    top.vectors.forEach((v, i) => expectSameAxis(v, q[i]!));
  });

  it('falls back to the whole decomposition when the iteration does not converge in time', () => {
    const { a, q } = withSpectrum(spectrum, 12);
    const top = topEigenpairs(a, 64, 2, { maxIterations: 1 });
    expect(top.route).toBe('full');
    expect(top.values).toEqual([9, 5].map((v) => expect.closeTo(v, 9)));
    top.vectors.forEach((v, i) => expectSameAxis(v, q[i]!));
  });

  it('copes with a matrix of rank one', () => {
    const dim = 50;
    const u = Float64Array.from({ length: dim }, (_, j) => (j + 1) / Math.sqrt((dim * (dim + 1) * (2 * dim + 1)) / 6));
    const a = new Float64Array(dim * dim).map((_, k) => 4 * u[Math.floor(k / dim)]! * u[k % dim]!);
    const top = topEigenpairs(a, dim, 2);
    expect(top.values[0]).toBeCloseTo(4, 10);
    expect(top.values[1]).toBeCloseTo(0, 10);
    expectSameAxis(top.vectors[0]!, u);
    expect(Math.hypot(...top.vectors[1]!)).toBeCloseTo(1, 10);
  });

  it('refuses a matrix of the wrong size', () => {
    expect(() => topEigenpairs(new Float64Array(10), 3, 1)).toThrow(/3×3/);
  });
});
