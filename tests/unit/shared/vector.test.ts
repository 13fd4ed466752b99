import { describe, expect, it } from 'vitest';
import { argMax, scaleToUnitLength } from '$shared/vector';

describe('scaleToUnitLength', () => {
  it('scales only the given range to length 1', () => {
    const values = Float32Array.from([9, 3, 4, 9]);
    scaleToUnitLength(values, 1, 2);
    expect(Array.from(values)).toEqual([9, expect.closeTo(0.6, 6), expect.closeTo(0.8, 6), 9]);
  });

  it('leaves a blank vector at zero', () => {
    const values = new Float32Array(4);
    scaleToUnitLength(values);
    expect(Array.from(values)).toEqual([0, 0, 0, 0]);
  });
});

describe('argMax', () => {
  it('finds the largest within a row, relative to its offset, first on ties', () => {
    const rows = Float32Array.from([0.9, 0.1, 0.2, 0.3, 0.3, 0.1]);
    expect(argMax(rows, 0, 3)).toBe(0);
    expect(argMax(rows, 3, 3)).toBe(0);
    expect(argMax(Float32Array.from([0.1, 0.7, 0.2]))).toBe(1);
  });
});
