import { describe, expect, it } from 'vitest';
import { familySeries } from '$renderer/panels/gallery/robustness-series';
import { ROBUSTNESS_VARIANTS, type RobustnessResult } from '$shared/robustness';

// Accuracy falls 0.1 per pixel of shift, 0.01 per degree, and is 0.5 scaled, 0.9 re-centred.
const result: RobustnessResult = {
  modelId: 'm',
  modelName: 'M',
  images: 100,
  original: 0.95,
  rows: ROBUSTNESS_VARIANTS.map((v) => ({
    variant: v.id,
    accuracy:
      v.family === 'shift'
        ? 0.95 - 0.1 * Math.max(Math.abs(v.dx), Math.abs(v.dy)) - (v.dx === 0 ? 0 : 0.02)
        : v.family === 'rotate'
          ? 0.95 - 0.01 * Math.abs(v.rotation)
          : v.family === 'scale'
            ? 0.5
            : 0.9,
  })),
};

describe('familySeries', () => {
  it('averages the 8 directions per shift distance, starting from the untouched set at 0', () => {
    const points = familySeries(result, 'shift');
    expect(points.map((p) => p.x)).toEqual([0, 1, 2, 3, 4]);
    expect(points[0].y).toBe(0.95);
    // Of the 8 directions, 6 move along x (each 0.02 worse): the mean costs 0.015 more.
    expect(points[2].y).toBeCloseTo(0.95 - 0.2 - 0.015, 12);
  });

  it('puts rotations on a signed axis and scales about 1, with the original in place', () => {
    expect(familySeries(result, 'rotate').map((p) => [p.x, +p.y.toFixed(2)])).toEqual([
      [-20, 0.75],
      [-10, 0.85],
      [0, 0.95],
      [10, 0.85],
      [20, 0.75],
    ]);
    expect(familySeries(result, 'scale').map((p) => [p.x, p.y])).toEqual([
      [0.8, 0.5],
      [1, 0.95],
      [1.2, 0.5],
    ]);
    expect(familySeries(result, 'recentre')).toEqual([
      { x: 0, y: 0.95 },
      { x: 1, y: 0.9 },
    ]);
  });

  it('draws nothing for a family that was not checked', () => {
    expect(familySeries({ ...result, rows: [] }, 'shift')).toEqual([]);
  });
});
