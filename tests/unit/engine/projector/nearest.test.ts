import { describe, expect, it } from 'vitest';
import { neighbourAgreement } from '$engine/projector/nearest';
import { NearestIndex } from '$engine/projector/nearest-index';

const nearestRows = (points: Float32Array, count: number, dim: number, query: ArrayLike<number>, k: number) =>
  NearestIndex.build(points, count, dim).search(query, k);

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every row's distance, sorted (ties by index): the brute force the search must equal. */
function bruteForce(points: Float32Array, count: number, dim: number, query: Float32Array, k: number) {
  const all = Array.from({ length: count }, (_, index) => {
    let d2 = 0;
    for (let j = 0; j < dim; j++) d2 += (points[index * dim + j] - query[j]) ** 2;
    return { index, distance: Math.sqrt(d2) };
  });
  return all.sort((a, b) => a.distance - b.distance || a.index - b.index).slice(0, k);
}

describe('NearestIndex', () => {
  it.each([
    [1, 500, 16, 8],
    [2, 2000, 64, 8],
    [3, 37, 5, 50],
  ])('equals brute force on random data (seed %i: %i rows of %i, k %i)', (seed, count, dim, k) => {
    const next = random(seed);
    const points = Float32Array.from({ length: count * dim }, () => (next() < 0.4 ? 0 : next()));
    for (let q = 0; q < 5; q++) {
      const query = Float32Array.from({ length: dim }, () => next());
      const found = nearestRows(points, count, dim, query, k);
      const expected = bruteForce(points, count, dim, query, k);
      expect(found.map((n) => n.index)).toEqual(expected.map((n) => n.index));
      for (const [i, n] of found.entries()) expect(n.distance).toBeCloseTo(expected[i].distance, 5);
    }
  });

  it('equals brute force on clustered rows, where the principal-axis bound rules most rows out', () => {
    // Ten clusters in 96 dimensions, as a layer's values group by class; some rows repeated exactly.
    const next = random(9);
    const [count, dim] = [3000, 96];
    const centres = Array.from({ length: 10 }, () => Float32Array.from({ length: dim }, () => (next() < 0.5 ? 0 : 4 * next())));
    const points = new Float32Array(count * dim);
    for (let r = 0; r < count; r++) {
      if (r % 97 === 5) points.copyWithin(r * dim, (r - 1) * dim, r * dim);
      else points.set(centres[r % 10].map((v) => Math.max(0, v + 0.6 * (next() - 0.5))), r * dim);
    }
    const index = NearestIndex.build(points, count, dim);
    for (let q = 0; q < 12; q++) {
      // Near a cluster, on a repeated row exactly, or between clusters.
      const query = q % 3 === 0 ? points.slice(4 * dim, 5 * dim) : Float32Array.from(centres[q % 10], (v) => v + 0.8 * (next() - 0.5));
      const found = index.search(query, 8);
      const expected = bruteForce(points, count, dim, query, 8);
      expect(found.map((n) => n.index)).toEqual(expected.map((n) => n.index));
      for (const [i, n] of found.entries()) expect(n.distance).toBeCloseTo(expected[i].distance, 5);
    }
  });

  it('keeps the lower index first among equal distances', () => {
    const points = Float32Array.from([1, 0, 0, 1, -1, 0, 5, 5]);
    expect(nearestRows(points, 4, 2, [0, 0], 3)).toEqual([
      { index: 0, distance: 1 },
      { index: 1, distance: 1 },
      { index: 2, distance: 1 },
    ]);
  });

  it('answers nothing for k = 0, and every row for k past the count', () => {
    const points = Float32Array.from([3, 0, 1, 0, 2, 0]);
    expect(nearestRows(points, 3, 2, [0, 0], 0)).toEqual([]);
    expect(nearestRows(points, 3, 2, [0, 0], 10).map((n) => n.index)).toEqual([1, 2, 0]);
  });

  it('refuses a query of the wrong length', () => {
    expect(() => nearestRows(new Float32Array(6), 3, 2, [1, 2, 3], 1)).toThrow(/3 values/);
  });
});

describe('neighbourAgreement', () => {
  it('equals the brute-force share on random points', () => {
    const next = random(7);
    const count = 600;
    const coords = Float32Array.from({ length: count * 2 }, () => next() * 10);
    const labels = Uint8Array.from({ length: count }, (_, i) => (coords[2 * i] > 5 ? 1 : 0) ^ (next() < 0.2 ? 1 : 0));
    let agree = 0;
    for (let p = 0; p < count; p++) {
      let best = Infinity;
      let at = -1;
      for (let q = 0; q < count; q++) {
        if (q === p) continue;
        const d = (coords[2 * p] - coords[2 * q]) ** 2 + (coords[2 * p + 1] - coords[2 * q + 1]) ** 2;
        if (d < best) [best, at] = [d, q];
      }
      if (labels[at] === labels[p]) agree++;
    }
    expect(neighbourAgreement(coords, labels, count)).toBeCloseTo(agree / count, 12);
  });

  it('is 1 for separated classes and 0 for alternating ones', () => {
    // Ten points on the x axis, a gap between the first five and the rest.
    const line = Float32Array.from({ length: 20 }, (_, i) => (i % 2 === 1 ? 0 : i / 2 < 5 ? i / 2 : i / 2 + 10));
    expect(neighbourAgreement(line, Uint8Array.from({ length: 10 }, (_, i) => (i < 5 ? 0 : 1)), 10)).toBe(1);
    expect(neighbourAgreement(line, Uint8Array.from({ length: 10 }, (_, i) => i % 2), 10)).toBe(0);
  });
});
