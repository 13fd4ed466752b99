import { describe, expect, it } from 'vitest';
import { DEFAULT_SMOOTHING, smoothSeries } from '$renderer/panels/train/training-run';

const series = (ys: number[]): { x: number; y: number }[] => ys.map((y, i) => ({ x: i, y }));

describe('smoothSeries (debiased EMA, as TensorBoard smooths)', () => {
  it('starts at the first value rather than at zero or dragged by it', () => {
    const [first, second] = smoothSeries(series([2, 1]), 0.6);
    expect(first.y).toBeCloseTo(2, 10);
    // (0.6·0.4·2 + 0.4·1) / (1 − 0.36) = 0.88 / 0.64
    expect(second.y).toBeCloseTo(0.88 / 0.64, 10);
  });

  it('sits on the loss where it is flat, after a high start', () => {
    const ys = [2.3, 1.5, 1, ...Array.from({ length: 30 }, (_, i) => 0.18 + (i % 2 ? 0.02 : -0.02))];
    const last = smoothSeries(series(ys), DEFAULT_SMOOTHING).at(-1)!.y;
    expect(Math.abs(last - 0.18) / 0.18).toBeLessThan(0.1);
  });

  it('is the raw series at smoothing 0 and skips a NaN rather than blanking the curve', () => {
    expect(smoothSeries(series([3, 2, 1]), 0).map((p) => p.y)).toEqual([3, 2, 1]);
    const smoothed = smoothSeries(series([1, Number.NaN, 1]), 0.6);
    expect(smoothed.map((p) => p.x)).toEqual([0, 2]);
    expect(smoothed.every((p) => Number.isFinite(p.y))).toBe(true);
  });
});
