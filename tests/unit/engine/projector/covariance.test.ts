import { describe, expect, it } from 'vitest';
import { covarianceOf } from '$engine/projector/covariance';
import { meanRow } from '$engine/projector/pca';
import { Random } from '$engine/ml/random';

/** Rows of random values, `zeroShare` of them set to 0 (a ReLU layer's look). */
function rowsOf(count: number, dim: number, zeroShare: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: count * dim }, () => (random.next() < zeroShare ? 0 : random.symmetric(3) + 1));
}

/** The textbook two-pass covariance, one entry at a time. */
function reference(rows: Float32Array, count: number, dim: number): number[] {
  const mean = meanRow(rows, count, dim);
  const out: number[] = [];
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let r = 0; r < count; r++) s += (rows[r * dim + i] - mean[i]) * (rows[r * dim + j] - mean[j]);
      out.push(s / (count - 1));
    }
  }
  return out;
}

describe('covarianceOf', () => {
  it.each([
    ['sparse rows', 0.7],
    ['dense rows', 0],
  ] as const)('gives the two-pass covariance by either route on %s', (_name, zeroShare) => {
    // 300 rows: more than one of the dense route's 256-row blocks, with a short last one.
    const [count, dim] = [300, 13];
    const rows = rowsOf(count, dim, zeroShare, 7);
    const expected = reference(rows, count, dim);
    const mean = meanRow(rows, count, dim);
    for (const route of ['sparse', 'dense', undefined] as const) {
      const got = covarianceOf(rows, count, dim, mean, route);
      expect(got).toHaveLength(dim * dim);
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10));
    }
  });

  it('is symmetric', () => {
    const rows = rowsOf(50, 9, 0.5, 3);
    const c = covarianceOf(rows, 50, 9, meanRow(rows, 50, 9));
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(c[i * 9 + j]).toBe(c[j * 9 + i]);
  });
});
