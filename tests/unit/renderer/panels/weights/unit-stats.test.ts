import { describe, expect, it } from 'vitest';
import { histogram, sortUnits } from '$renderer/panels/weights/unit-stats';
import { values } from './fixtures';

describe('sorting units', () => {
  const norms = Float32Array.of(0.5, 2, 1, 2);
  const activations = Float32Array.of(3, 0, 7, -1);

  it('keeps index order by default, and while nothing is drawn when sorting by activation', () => {
    expect(Array.from(sortUnits('index', 4, norms, activations))).toEqual([0, 1, 2, 3]);
    expect(Array.from(sortUnits('activation', 4, norms, null))).toEqual([0, 1, 2, 3]);
  });

  it('puts the largest first, ties in index order', () => {
    expect(Array.from(sortUnits('norm', 4, norms, activations))).toEqual([1, 3, 2, 0]);
    expect(Array.from(sortUnits('activation', 4, norms, activations))).toEqual([2, 0, 1, 3]);
  });
});

describe('histogram', () => {
  it('counts every value once, in equal bins from the smallest to the largest', () => {
    const next = values(5);
    const data = Float32Array.from({ length: 1000 }, next);
    const h = histogram(data, 20);
    expect(h.counts).toHaveLength(20);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.min).toBe(Math.min(...data));
    expect(h.max).toBe(Math.max(...data));
    expect(histogram(Float32Array.of(0, 0.1, 0.2, 1), 2).counts).toEqual([3, 1]);
  });

  it('puts equal values in one bin, and has none for no values', () => {
    expect(histogram(Float32Array.of(2, 2, 2), 10)).toEqual({ min: 2, max: 2, counts: [3] });
    expect(histogram(new Float32Array(0), 10).counts).toEqual([]);
  });
});
