import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PCA } from 'ml-pca';
import { pca2 } from '$engine/projector/pca';
import { Random } from '$engine/ml/random';
import { REPO_ROOT } from '$tests/helpers/datasets';

interface NumpyCase {
  name: string;
  count: number;
  dim: number;
  rows: number[];
  ratios: [number, number];
  components: [number[], number[]];
  coords: number[];
}
/** Made by tests/fixtures/make-pca.py: numpy's SVD of the centred rows, another route than ours. */
const fixture = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests/fixtures/pca.json'), 'utf8')) as NumpyCase[];

describe('pca2', () => {
  it.each(fixture.map((c) => [c.name, c] as const))('matches numpy on %s', (_name, c) => {
    const result = pca2(Float32Array.from(c.rows), c.count, c.dim);
    for (const axis of [0, 1]) {
      expect(Math.abs(result.explainedVarianceRatio[axis] - c.ratios[axis])).toBeLessThan(1e-4);
      const ours = result.components[axis];
      const theirs = c.components[axis];
      // Equal up to sign: PCA axes have none of their own.
      const sign = Math.sign(ours.reduce((sum, v, j) => sum + v * theirs[j], 0));
      expect(Math.abs(sign)).toBe(1);
      for (let j = 0; j < c.dim; j++) expect(ours[j]).toBeCloseTo(sign * theirs[j], 5);
      for (let r = 0; r < c.count; r++) expect(result.coords[2 * r + axis]).toBeCloseTo(sign * c.coords[2 * r + axis], 3);
    }
  });

  it('fixes each axis so that its largest entry is positive', () => {
    const c = fixture[0];
    const result = pca2(Float32Array.from(c.rows), c.count, c.dim);
    for (const axis of result.components) {
      const largest = axis.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('puts points on a line along the first axis, with all the variance there', () => {
    const rows = new Float32Array(50 * 3);
    for (let r = 0; r < 50; r++) rows.set([r, 2 * r, -r], r * 3);
    const result = pca2(rows, 50, 3);
    expect(result.explainedVarianceRatio[0]).toBeCloseTo(1, 10);
    expect(result.explainedVarianceRatio[1]).toBeCloseTo(0, 10);
    const norm = Math.sqrt(6);
    expect([...result.components[0]].map((v) => Math.abs(v))).toEqual([1 / norm, 2 / norm, 1 / norm].map((v) => expect.closeTo(v, 10)));
  });

  it('refuses fewer than two rows or too few values', () => {
    expect(() => pca2(new Float32Array(3), 1, 3)).toThrow(/at least 2 rows/);
    expect(() => pca2(new Float32Array(5), 2, 3)).toThrow(/2×3/);
  });
});

describe('pca2 against ml-pca', () => {
  // Wide enough (≥ 40 columns) for the subspace iteration, one dense and one ReLU-like (sparse route).
  it.each([
    ['dense', 0],
    ['ReLU-like', 0.65],
  ] as const)('agrees on %s rows of 64 values', (_name, zeroShare) => {
    const [count, dim] = [400, 64];
    const random = new Random(21);
    // Columns of falling scale, so the leading axes are well defined.
    const rows = Float32Array.from({ length: count * dim }, (_, i) => (random.next() < zeroShare ? 0 : (random.symmetric(1) + 0.5) * (1 + 6 / (1 + (i % dim)))));
    const matrix = Array.from({ length: count }, (_, r) => Array.from(rows.subarray(r * dim, (r + 1) * dim)));
    const reference = new PCA(matrix, { method: 'covarianceMatrix' });
    const ratios = reference.getExplainedVariance();
    const vectors = reference.getEigenvectors();
    const result = pca2(rows, count, dim);
    for (const axis of [0, 1]) {
      expect(result.explainedVarianceRatio[axis]).toBeCloseTo(ratios[axis]!, 8);
      const ours = result.components[axis];
      const sign = Math.sign(ours.reduce((sum, v, j) => sum + v * vectors.get(j, axis), 0));
      for (let j = 0; j < dim; j++) expect(ours[j]).toBeCloseTo(sign * vectors.get(j, axis), 6);
    }
  });
});
