import { describe, expect, it } from 'vitest';
import { Random } from '$engine/ml/random';

describe('Random.fillMask', () => {
  it.each([0.2, 0.5, 0.75, 1e-9, 0.999999])('draws what next() would, unit for unit, at rate %s', (rate) => {
    const byNext = new Random(42);
    const byFill = new Random(42);
    const keep = 1 / (1 - rate);
    const expected = Float32Array.from({ length: 5000 }, () => (byNext.next() >= rate ? keep : 0));
    expect(byFill.fillMask(new Float32Array(5000), rate, keep)).toEqual(expected);
    // The stream carries on from the same place.
    expect(byFill.next()).toBe(byNext.next());
  });

  it('keeps about 1 − rate of the units, each scaled by keep', () => {
    const mask = new Random(1).fillMask(new Float32Array(100_000), 0.2, 1.25);
    const kept = mask.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([1.25]));
    expect(kept.length / mask.length).toBeCloseTo(0.8, 2);
  });
});
